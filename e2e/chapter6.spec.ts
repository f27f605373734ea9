/** Chapter 6 in the page: a convolutional network of the book's ladder, trained in its worker, reading digits and drawn layer by layer. */
import { readFileSync } from 'node:fs';
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
  // Learning within the epoch: halfway, on the first 1,000 test digits.
  await page.getByText('The chart as a table').click();
  const within = page.getByRole('table', { name: /Test accuracy within epochs/ });
  await expect(within.getByRole('row', { name: /Run 1 0 5,000 of 10,000 \d+\.\d\d% of the first 1,000/ })).toBeVisible();

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

test('a chapter 6 network saves and loads in its own format, compares with chapter 3’s network, and votes with others as the book’s ensemble', async ({
  app,
  page,
}) => {
  test.slow();
  await app.chapter6('relu', { Epochs: '1', 'Training examples': '3000', 'Seeds per network': '1' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 180_000 });
  const [line] = await app.epochLines();

  // Saved in chapter 6's format (network3.py has none), and loaded back: the same network, the same count.
  await expect(page.getByText('chapter 6’s JSON format (network3.py has no save()); Load model reads either')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download model' }).click();
  const path = await (await downloading).path();
  const model = JSON.parse(readFileSync(path, 'utf8'));
  expect([model.format, model.version, model.layers.map((l: { kind: string }) => l.kind).join(' ')]).toEqual([
    'network3',
    1,
    'conv-pool conv-pool fully-connected softmax',
  ]);
  await page.getByLabel('Load model').setInputFiles({ name: 'convnet.json', mimeType: 'application/json', buffer: readFileSync(path) });
  await expect(app.log).toContainText(`Run 2 · Loaded model conv 20-40 ReLU: ${line.correct} / 10000`);
  await expect(app.viewer).toContainText(/Run 2 reads \d/);

  // Compare across kinds: the convnet against chapter 3's 784-100-10, one seed each, the same epochs and examples.
  await page.getByLabel('Compare with').selectOption('chapter3');
  await page.getByRole('button', { name: 'Compare the two' }).click();
  const table = page.getByRole('table', { name: /Comparison/ });
  await expect(table).toBeVisible({ timeout: 180_000 });
  await expect(table.getByRole('row', { name: /conv 20-40 ReLU/ })).toBeVisible({ timeout: 180_000 });
  await expect(table.getByRole('row', { name: /784-100-10/ })).toBeVisible({ timeout: 180_000 });
  await expect(app.run('Run 3')).toContainText('finished', { timeout: 180_000 });
  await expect(app.run('Run 4')).toContainText('finished', { timeout: 180_000 });

  // The ensemble: the chapter 6 networks are ticked (Runs 1, 2 and 3); their vote on the 10,000 test digits.
  const ensemble = page.getByRole('region', { name: /ensemble/ });
  await ensemble.getByRole('checkbox', { name: /^Run 2/ }).uncheck();
  await ensemble.getByRole('checkbox', { name: /^Run 4/ }).check();
  await ensemble.getByRole('button', { name: 'Vote on the test digits' }).click();
  await expect(ensemble.getByRole('status', { name: 'Ensemble' })).toHaveText(
    /^The vote of Run 1, Run 3 and Run 4: \d+\.\d\d% of the 10,000 test digits \(alone: \d+\.\d\d%, \d+\.\d\d%, \d+\.\d\d%\)\.$/,
    { timeout: 120_000 },
  );
  const alone = (await ensemble.getByRole('status', { name: 'Ensemble' }).textContent())!.match(/alone: ([\d.]+)%/)![1];
  expect(Number(alone)).toBeCloseTo(line.correct / 100, 2);
});

test('a chapter 6 run can be watched: Pace, Pause, Step one mini-batch (its ten digits before and after) and Resume', async ({
  app,
  page,
}) => {
  test.slow();
  await app.chapter6('relu', { Epochs: '1', 'Training examples': '2000' });
  await page.getByLabel('Pace').selectOption({ label: '10 mini-batches/s' });
  await app.trainButton.click();
  const card = page.getByLabel('Training progress');
  await expect(card).toContainText(/Run 1: epoch 0 · mini-batch \d+ of 200 · at 10 mini-batches a second/);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(card).toContainText(/Run 1: paused at epoch 0 · mini-batch \d+ of 200/);
  const at = Number(/mini-batch (\d+) of 200/.exec((await card.textContent())!)![1]);
  await page.getByRole('button', { name: 'Step one mini-batch' }).click();
  await expect(card).toContainText(`paused at epoch 0 · mini-batch ${at + 1} of 200`);
  const network = page.getByRole('region', { name: 'Network', exact: true });
  await expect(network).toContainText(`The last step: mini-batch ${at + 1} of epoch 0`);
  await expect(network.getByRole('list', { name: 'The stepped mini-batch' }).getByRole('listitem')).toHaveCount(10);
  await expect(network).toContainText(/The mean cost of these digits went from \d+\.\d{4} to \d+\.\d{4}/);
  await expect(network.getByRole('img', { name: /^Feature maps after conv-pool layer 1/ })).toBeVisible();
  await page.getByLabel('Pace').selectOption({ label: 'Full speed' });
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 120_000 });
  await expect(app.log).toContainText(/Run 1 \(conv 20-40 ReLU\) · Epoch 0: \d+ \/ 10000/);
});
