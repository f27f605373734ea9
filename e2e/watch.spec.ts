/**
 * Watching a run at a person's pace: Pace slows it to mini-batches, Pause holds it, the steps move it by
 * exactly one mini-batch or to the end of the epoch, a paused run is kept where it stands, and none of it
 * changes the numbers: the counts are those of a run never paused.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

/** The mini-batch a watched run stands at, from the progress card's words (`epoch 1 · mini-batch 37 of 100`). */
const POSITION = /epoch (\d+) · mini-batch (\d+) of (\d+)/;

test('Pace slows a run to mini-batches; Pause, Step one mini-batch, Step one epoch and a reload while paused give the counts of a run never paused', async ({
  app,
  page,
}) => {
  test.slow();
  await app.set({ Epochs: '2', 'Training examples': '1000', Seed: '3' });
  // The run to match: the same settings at full speed.
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  const unpaused = (await app.epochLines()).map((line) => line.correct);
  expect(unpaused).toHaveLength(2);

  const card = page.getByLabel('Training progress');
  const position = async () => {
    const m = POSITION.exec((await card.textContent()) ?? '');
    return m ? { epoch: Number(m[1]), batch: Number(m[2]), of: Number(m[3]) } : null;
  };
  await page.getByLabel('Pace').selectOption({ label: '10 mini-batches/s' });
  await app.trainButton.click();
  await expect(card).toContainText(/Run 2: epoch 0 · mini-batch \d+ of 100 · at 10 mini-batches a second/);
  // At full speed the run would be over in well under a second; at this pace eight more mini-batches take
  // about 0.8 s (a busy machine only makes it longer).
  const from = (await position())!.batch;
  const started = Date.now();
  await expect.poll(async () => (await position())?.batch ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(from + 8);
  expect(Date.now() - started).toBeGreaterThanOrEqual(650);
  await expect(app.run('Run 2')).not.toContainText('finished');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(card).toContainText(/Run 2: paused at epoch 0 · mini-batch \d+ of 100/);
  const paused = (await position())!;
  expect(paused.epoch).toBe(0);
  // Held: the step below lands exactly one mini-batch on, so nothing moved while paused.
  // One step: the counter moves by exactly one, and the Network region draws the network after it.
  const drawing = page.getByRole('region', { name: 'Network', exact: true }).getByRole('img', { name: /^784-30-10 reading/ });
  await expect(page.getByRole('region', { name: 'Network', exact: true })).toContainText('Run 2 as it is now');
  const before = await drawing.innerHTML();
  await page.getByRole('button', { name: 'Step one mini-batch' }).click();
  await expect(card).toContainText(`paused at epoch 0 · mini-batch ${paused.batch + 1} of 100`);
  await expect.poll(() => drawing.innerHTML()).not.toBe(before);
  // What the step did: its ten digits read before and after, the cost on them, the neurons that moved most.
  const network = page.getByRole('region', { name: 'Network', exact: true });
  await expect(network).toContainText(`The last step: mini-batch ${paused.batch + 1} of epoch 0`);
  await expect(network.getByRole('list', { name: 'The stepped mini-batch' }).getByRole('listitem')).toHaveCount(10);
  await expect(network).toContainText(/The mean cost of these digits went from \d+\.\d{4} to \d+\.\d{4}/);
  await expect(network.getByRole('img', { name: /^How the step changed hidden neuron \d+'s input weights$/ })).toHaveCount(3);
  await page.getByRole('button', { name: 'Step one epoch' }).click();
  await expect(app.log).toContainText('Run 2 (784-30-10) · Epoch 0: ');
  await expect(card).toContainText('paused at epoch 1 · mini-batch 0 of 100');
  for (const batch of [1, 2, 3]) {
    await page.getByRole('button', { name: 'Step one mini-batch' }).click();
    await expect(card).toContainText(`paused at epoch 1 · mini-batch ${batch} of 100`);
  }
  // Kept where it stands: a reload finds it there, and Continue picks up at that mini-batch.
  await expect(card).toContainText('kept here: a reload picks up at this mini-batch');
  await page.reload();
  await expect(app.run('Run 2')).toContainText('interrupted after epoch 0 of 2');
  await expect(page.getByLabel('Pace')).toHaveValue('full');
  await page.getByRole('button', { name: 'Continue Run 2' }).click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
  const lines = await app.log.getByRole('listitem').allTextContents();
  const run2 = lines.filter((text) => text.startsWith('Run 2')).flatMap((text) => /Epoch \d+: (\d+) \/ 10000/.exec(text)?.[1] ?? []);
  expect(run2.map(Number)).toEqual(unpaused);
});

test('a finished run trains ten more epochs with the numbers of a run that asked for them from the start', async ({ app, page }) => {
  test.slow();
  await app.set({ Epochs: '2', 'Training examples': '1000', Seed: '5' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train Run 1 10 more epochs' }).click();
  await expect(app.log).toContainText('Run 1 (784-30-10) · trains 10 more epochs after epoch 1');
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 90_000 });
  await app.set({ Epochs: '12' });
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 90_000 });
  const lines = await app.log.getByRole('listitem').allTextContents();
  const counts = (run: string) => lines.filter((t) => t.startsWith(run)).flatMap((t) => /Epoch \d+: (\d+) \/ 10000/.exec(t)?.[1] ?? []);
  expect(counts('Run 1 ')).toHaveLength(12);
  expect(counts('Run 1 ')).toEqual(counts('Run 2 '));
});

test('a loaded model trains further as a new run that begins exactly where the file’s network reads, with the settings above', async ({
  app,
  page,
}) => {
  test.slow();
  await app.set({ Epochs: '1', 'Training examples': '5000', Seed: '6' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download model' }).click();
  const file = readFileSync(await (await downloading).path());
  await page.getByLabel('Load model').setInputFiles({ name: 'network-784-30-10.json', mimeType: 'application/json', buffer: file });
  await expect(app.run('Run 2')).toContainText('loaded from network-784-30-10.json');
  const loaded = Number(/Run 2 · Loaded model 784-30-10: (\d+) \/ 10000/.exec((await app.log.textContent()) ?? '')![1]);

  // The settings above say how (η = 1, one epoch of 1,000 examples, watched); its layers stay the file’s, not the form’s 100.
  await app.set({ 'Hidden layers': '100', 'Learning rate (η)': '1', 'Training examples': '1000' });
  await page.getByLabel('Pace').selectOption({ label: '100 mini-batches/s' });
  await page.getByRole('button', { name: 'Train further from Run 2' }).click();
  await expect(app.run('Run 3')).toContainText('finished', { timeout: 60_000 });
  await expect(app.run('Run 3')).toContainText('784-30-10, η=1, batch 10');
  await expect(app.run('Run 3')).toContainText('trained further from Run 2, loaded from network-784-30-10.json');
  await expect(app.run('Run 2')).toContainText('loaded');
  // Its first measurement, before any training, is the file's network: exactly the loaded count.
  await page.getByText('The chart as a table').click();
  const table = page.getByRole('table', { name: /Test accuracy within epochs/ });
  const first = table.getByRole('row').nth(1);
  await expect(first.getByRole('rowheader')).toHaveText('Run 3');
  await expect(first.getByRole('cell')).toHaveText(['0', '0 of 1,000', `${(loaded / 100).toFixed(2)}%`]);
  // Kept as what it is.
  await page.reload();
  await expect(app.run('Run 3')).toContainText('trained further from Run 2, loaded from network-784-30-10.json');
});

test('at a slow pace the chart draws the climb within an epoch, from the untrained network on, and keeps it', async ({ app, page }) => {
  test.slow();
  // 500 mini-batches at 100 a second: about five seconds, a measurement every 100 examples.
  await app.set({ Epochs: '1', 'Training examples': '5000', Seed: '2' });
  await page.getByLabel('Pace').selectOption({ label: '100 mini-batches/s' });
  await app.trainButton.click();
  const summary = page.locator('#chart-summary');
  // Mid-epoch, the chart's words already give the latest measurement.
  await expect(summary).toContainText(/Run 1 \(784-30-10, η=3, batch 10\): \d+\.\d\d% after [\d,]+ of 5,000 examples of epoch 0/, {
    timeout: 30_000,
  });
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  const table = page.getByRole('table', { name: /Test accuracy within epochs/ });
  const rows = async () =>
    (await table.getByRole('row').allTextContents()).slice(1).map((text) => {
      const m = /Run 1\s*0\s*([\d,]+) of 5,000\s*(\d+\.\d\d)%/.exec(text);
      if (!m) throw new Error(`not a measurement: ${text}`);
      return { examples: Number(m[1].replace(/,/g, '')), percent: Number(m[2]) };
    });
  await page.getByText('The chart as a table').click();
  const measured = await rows();
  // The untrained network reads about one digit in ten; then a point every hundred examples or so.
  expect(measured[0].examples).toBe(0);
  expect(measured[0].percent).toBeLessThan(20);
  expect(measured.length).toBeGreaterThanOrEqual(20);
  expect(measured.map((m) => m.examples)).toEqual([...measured.map((m) => m.examples)].sort((a, b) => a - b));
  // The climb: the last measurement within the epoch reads far more than the start.
  expect(measured.at(-1)!.percent).toBeGreaterThan(measured[0].percent + 40);
  // Kept with the run.
  await page.reload();
  await page.getByText('The chart as a table').click();
  expect(await rows()).toEqual(measured);
});
