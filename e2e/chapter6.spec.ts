/** Chapter 6 in the page: a convolutional network of the book's ladder, trained in its worker, reading digits and drawn layer by layer. */
import { expect, test } from './fixtures';
import { DIGIT_STROKES, EPOCH_LINE } from './pages/trainer-page';

test('a chapter 6 network trains in the page, climbs within its epoch, reads the viewer’s digits and the pad, draws its layers, and is kept across a reload', async ({
  app,
  page,
}) => {
  test.slow();
  await app.mnistLoaded();
  const kind = page.getByLabel('Network kind');
  await expect(kind.getByRole('option', { name: /chapter 6/ })).toHaveCount(1);
  await kind.selectOption({ label: 'Convolutional (chapter 6)' });
  const network = page.getByLabel('Chapter 6 network');
  // The book's ladder, each with its figure.
  await expect(network.getByRole('option')).toHaveCount(7);
  await expect(network.getByRole('option', { name: /99\.23%$/ })).toHaveCount(1);
  await network.selectOption({ label: (await network.getByRole('option', { name: /99\.23%$/ }).textContent())! });
  // The preset's settings, as network3.py trains it; the hidden layers are the preset's.
  await expect(page.getByLabel('Learning rate (η)')).toHaveValue('0.03');
  await expect(page.getByRole('textbox', { name: 'Epochs' })).toHaveValue('60');
  await expect(page.getByRole('textbox', { name: 'Hidden layers' })).toHaveCount(0);
  await expect(page.getByLabel('Regularisation λ')).toHaveValue('0.1');

  await app.set({ Epochs: '1', 'Training examples': '10000' });
  await app.trainButton.click();
  await expect(app.progress).toBeVisible();
  const run = app.run('Run 1');
  await expect(run).toContainText('conv 20-40 ReLU');
  await expect(run).toContainText('finished', { timeout: 180_000 });
  const [line] = await app.epochLines();
  expect(line.text).toMatch(/Run 1 \(conv 20-40 ReLU\) · Epoch 0: \d+ \/ 10000/);
  // 10,000 digits once through the ReLU convnet: well past 90%.
  expect(line.correct).toBeGreaterThan(9000);
  expect(line.text).toMatch(EPOCH_LINE);

  // The viewer reads with it; its Network region draws its filters and feature maps for that digit.
  await expect(app.viewer).toContainText(/reads 7/);
  const region = page.getByRole('region', { name: 'Network', exact: true });
  await expect(region.getByRole('img', { name: /^The 20 filters of conv-pool layer 1/ })).toBeVisible();
  await expect(region.getByRole('img', { name: /^Feature maps after conv-pool layer 1: 20 of 12 × 12/ })).toBeVisible();
  await expect(region.getByRole('img', { name: /^Feature maps after conv-pool layer 2: 40 of 4 × 4/ })).toBeVisible();
  await expect(region.getByRole('status', { name: 'Convolutional reading' })).toContainText('It reads 7');

  // The pad reads with it.
  await app.draw(DIGIT_STROKES['1']);
  await expect(app.prediction).toHaveText(/^\d$/);
  await expect(region.getByRole('status', { name: 'Convolutional reading' })).toContainText(/It reads \d with probability/);

  // Kept across a reload, as any run.
  await page.reload();
  await app.mnistLoaded();
  await expect(app.run('Run 1')).toContainText('conv 20-40 ReLU');
  await expect(app.log).toContainText(`Epoch 0: ${line.correct} / 10000`);
  await expect(page.getByLabel('Network kind')).toHaveValue('convolutional');
});
