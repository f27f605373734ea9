/** The book's later chapters, live: chapter 5's speed of learning per layer. */
import { expect, test } from './fixtures';

test('chapter 5: a deep network’s first hidden layer learns many times slower than its third, from the start', async ({ app, page }) => {
  await app.mnistLoaded();
  await page.getByRole('button', { name: 'Train [784, 30, 30, 30, 10] as chapter 5 does' }).click();
  await expect(app.run('Run 1')).toContainText('784-30-30-30-10, η=0.1, batch 10, cross-entropy, λ=5, scaled init');
  await expect(app.log).toContainText('Run 1 (784-30-30-30-10) · Epoch 1:', { timeout: 90_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('img', { name: 'Learning speed per layer' })).toBeVisible();
  await page.getByText('The speeds as a table').click();
  const start = page
    .getByRole('table', { name: /of each hidden layer over the first 1,000 training images/ })
    .getByRole('row', { name: /^start/ });
  const [first, second, third] = (await start.getByRole('cell').allTextContents()).map(Number);
  console.log(`[784, 30, 30, 30, 10] at the start: ${first}, ${second}, ${third} (the book: 0.012, 0.060, 0.283)`);
  expect(second).toBeGreaterThan(first);
  expect(third).toBeGreaterThanOrEqual(5 * first);
  // The words say it too, for a screen reader.
  await expect(page.locator('#speed-summary')).toContainText(/the last hidden layer learns \d+\.\d times as fast as the first/);
  // Within the first epoch, mini-batch by mini-batch: measured after 1, 2, 5, … 2,000 of its 5,000.
  await expect(page.getByRole('img', { name: 'Learning speed in the first epoch' })).toBeVisible();
  const table = page.getByRole('table', { name: /of each hidden layer over the first 1,000 training images/ });
  for (const mark of ['1 mini-batch', '2 mini-batches', '10 mini-batches', '2,000 mini-batches']) {
    await expect(table.getByRole('row', { name: new RegExp(`^after ${mark} of epoch 0 `) })).toBeVisible();
  }
  const rows = await table.getByRole('row').allTextContents();
  expect(rows.findIndex((r) => r.startsWith('after 2,000 mini-batches'))).toBeLessThan(
    rows.findIndex((r) => r.startsWith('after epoch 0')),
  );
  await expect(page.locator('#speed-first-summary')).toHaveText(
    /^How many times as fast as the first the last hidden layer learns: \d+\.\d at the start, \d+\.\d after 2,000 mini-batches of epoch 0 and \d+\.\d after epoch 0\.$/,
  );
  // Chapter 1's larger N(0, 1) weights offset part of the shrinking: a smaller gap at the start.
  await page.getByRole('button', { name: 'The same from N(0, 1) weights' }).click();
  await expect(app.run('Run 2')).toContainText('784-30-30-30-10, η=0.1, batch 10, cross-entropy, λ=5');
  await expect(app.run('Run 2')).not.toContainText('scaled init');
  await expect(page.locator('#speed-summary')).toContainText('Run 2', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  // The table shows the selected run's measurements (its fold opened again, the chart being drawn anew).
  const fold = page.locator('details', { has: page.getByText('The speeds as a table') });
  if (!(await fold.evaluate((d: HTMLDetailsElement) => d.open))) await page.getByText('The speeds as a table').click();
  const large = (
    await table
      .getByRole('row', { name: /^start/ })
      .getByRole('cell')
      .allTextContents()
  ).map(Number);
  console.log(`the same from N(0, 1) weights, at the start: ${large.join(', ')}`);
  expect(large[2] / large[0]).toBeLessThan(third / first);
});

test('Reproduce the book: the overfitting run of chapter 3 trains over seeds and sets our figures beside the book’s 82.27%', async ({
  app,
  page,
}) => {
  test.slow();
  await app.set({ 'Seeds per network': '2' });
  const list = page.getByRole('list', { name: 'Reproduce the book' });
  await expect(list.getByRole('listitem')).toHaveCount(13);
  const entry = list.getByRole('listitem').filter({ hasText: 'Overfitting: 1,000 training images, 400 epochs' });
  await expect(entry).toContainText('The book: training 100%, test 82.27%');
  await expect(entry.getByRole('link')).toHaveAttribute(
    'href',
    'http://neuralnetworksanddeeplearning.com/chap3.html#overfitting_and_regularization',
  );
  await entry.getByRole('button', { name: 'Reproduce: Overfitting: 1,000 training images, 400 epochs' }).click();
  await expect(app.run('Run 1')).toContainText('784-30-10, η=0.5, batch 10, cross-entropy');
  const ours = /Ours: 784-30-10: best (\d+\.\d\d)% \([\d.]+–[\d.]+%\), last (\d+\.\d\d)% \([\d.]+–[\d.]+%\) over 2 seeds/;
  await expect(entry).toContainText(ours, { timeout: 240_000 });
  const [, best, last] = ours.exec((await entry.textContent())!)!;
  console.log(`chapter 3's overfitting run, 2 seeds: best ${best}%, last ${last}% (the book: 82.27%)`);
  expect(Number(last)).toBeGreaterThan(78);
  expect(Number(last)).toBeLessThan(87);
  // It is a comparison: its table names the network and the seeds.
  await expect(page.getByRole('table', { name: /Comparison/ })).toContainText('784-30-10');
  // The figures are read from the kept runs: a reload brings them back.
  await page.reload();
  await expect(entry).toContainText(`Ours: 784-30-10: best ${best}%`);
});
