import { expect, test } from './fixtures';

test('Compare trains 30 and 100 hidden at once; both curves and both runs are listed, each can be hidden or removed', async ({ app }) => {
  await app.set({ Epochs: '2', 'Training examples': '5000' });
  await app.compareButton.click();
  await expect(app.run('Run 1')).toContainText('784-30-10, η=3, batch 10');
  await expect(app.run('Run 2')).toContainText('784-100-10, η=3, batch 10');
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 90_000 });
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 90_000 });
  await expect(app.log.getByText(/^Run 1 \(784-30-10\) · Epoch 1: \d+ \/ 10000/)).toBeVisible();
  await expect(app.log.getByText(/^Run 2 \(784-100-10\) · Epoch 1: \d+ \/ 10000/)).toBeVisible();
  const summary = app.page.locator('#chart-summary');
  await expect(summary).toContainText(/Run 1 \(784-30-10, η=3, batch 10\): \d+\.\d\d% after epoch 1/);
  await expect(summary).toContainText(/Run 2 \(784-100-10, η=3, batch 10\): \d+\.\d\d% after epoch 1/);

  await app.page.getByRole('checkbox', { name: 'Show Run 1 on chart' }).uncheck();
  await expect(summary).not.toContainText('Run 1');
  await app.page.getByRole('button', { name: 'Remove Run 2' }).click();
  await expect(app.run('Run 2')).toHaveCount(0);
  await expect(app.log.getByText(/^Run 2/)).toHaveCount(0);
  await expect(app.run('Run 1')).toBeVisible();
});

test('a run that stalls says which digits it never reads, why, and starts chapter 3’s cure on the same network', async ({ app }) => {
  // Measured: 784-100-10, seed 1, η = 3.0 answers "1" once and "7" three times in the 10,000 test digits after 2 epochs.
  await app.set({ 'Hidden layers': '100', Epochs: '2', Seed: '1' });
  await app.trainButton.click();
  const stalled = app.run('Run 1');
  await expect(stalled).toContainText('finished', { timeout: 90_000 });
  await expect(stalled).toContainText('never reads 1, 7');
  await stalled.getByText('never reads 1, 7').click();
  await expect(stalled).toContainText('σ′(z) ≈ 0');
  await stalled.getByRole('button', { name: 'Train 784-100-10 with chapter 3’s cure' }).click();
  const cured = app.run('Run 2');
  await expect(cured).toContainText('784-100-10, η=0.5, batch 10, cross-entropy, scaled init');
  await expect(cured).toContainText('finished', { timeout: 90_000 });
  await expect(cured).not.toContainText('never reads');
  await expect(stalled).toContainText('never reads 1, 7');
});
