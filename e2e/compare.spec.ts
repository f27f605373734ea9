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
