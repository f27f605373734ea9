import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { EPOCH_LINE, INSPECTING_WORKERS } from './pages/trainer-page';

test('runs survive a reload, and a removed run stays removed', async ({ app, page }) => {
  await app.set({ Epochs: '2', 'Training examples': '5000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  const best = (await app.run('Run 1').textContent())!.match(/best (\d+\.\d\d)%/)![1];
  await page.reload();
  await expect(app.run('Run 1')).toContainText(`best ${best}%`);
  await expect(app.run('Run 1')).toContainText('finished');
  await expect(app.log).toContainText('Epoch 1: ');
  await expect(page.locator('#chart-summary')).toContainText(`Run 1 (784-30-10, η=3, batch 10): ${best}% after epoch 1`);
  // The kept weights are usable: the viewer reads digits with them.
  await expect(app.viewer).toContainText(/Run 1 reads \d/);
  // New runs continue the numbering, and a run keeps its number when an earlier one is removed.
  await app.set({ 'Hidden layers': '20' });
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Remove Run 1' }).click();
  await expect(app.run('Run 1')).toHaveCount(0);
  await page.reload();
  await expect(app.run('Run 2')).toContainText('784-20-10');
  await expect(app.runs.getByRole('listitem')).toHaveCount(1);
});

test("a downloaded model is in network2.py's format and loads back with the same test count", async ({ app, page }) => {
  await app.set({ Epochs: '1', 'Training examples': '5000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  const [line] = await app.epochLines();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download model' }).click();
  const path = await (await downloading).path();
  const model = JSON.parse(readFileSync(path, 'utf8'));
  expect(Object.keys(model)).toEqual(['sizes', 'weights', 'biases', 'cost']);
  expect(model.sizes).toEqual([784, 30, 10]);
  expect([model.weights[0].length, model.weights[0][0].length, model.biases[1][9].length]).toEqual([30, 784, 1]);
  expect(model.cost).toBe('QuadraticCost');

  await page
    .getByLabel('Load model')
    .setInputFiles({ name: 'network-784-30-10.json', mimeType: 'application/json', buffer: readFileSync(path) });
  await expect(app.log).toContainText(`Run 2 · Loaded model 784-30-10: ${line.correct} / 10000`);
  // Its card says where it came from, not training settings it never had.
  await expect(app.run('Run 2')).toContainText('784-30-10, loaded from network-784-30-10.json');
  await expect(app.run('Run 2')).not.toContainText('η=');
  await expect(app.viewer).toContainText(/Run 2 reads \d/);
  // On the chart it is a level named by its file, beside Run 1's curve; the table says the same in words.
  await page.getByText('The chart as a table').click();
  await expect(page.getByText(`Run 2, loaded from network-784-30-10.json: ${(line.correct / 100).toFixed(2)}%`)).toBeVisible();
});

test('a model file that is wrong is refused with the reason and changes nothing', async ({ app, page }) => {
  await app.mnistLoaded();
  const input = page.getByLabel('Load model');
  await input.setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"sizes": [784, 30, 10], "weights": '),
  });
  await expect(page.getByRole('alert')).toContainText('“notes.json” was not loaded: Not a model file: it is not valid JSON');
  await input.setInputFiles({
    name: 'huge.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"sizes": [784, 1000000000, 10], "weights": [], "biases": [], "cost": "QuadraticCost"}'),
  });
  await expect(page.getByRole('alert')).toContainText('is too large');
  await expect(app.runs).toHaveCount(0);
  await expect(app.log.getByRole('listitem')).toHaveText(['Press Train: each epoch prints a line here, as network.py does.']);
});

test('chapter 3 in the page: 784-100-10, cross-entropy, λ = 5.0, scaled init, η = 0.5 reaches 97.8% within 30 epochs', async ({
  app,
  page,
}) => {
  test.slow();
  await page.goto('/?hidden=100&epochs=30&miniBatchSize=10&eta=0.5&seed=1&cost=cross-entropy&lambda=5.0&init=scaled');
  await expect(app.field('Hidden layers')).toHaveValue('100');
  await expect(page.getByLabel('Cost', { exact: true })).toHaveValue('cross-entropy');
  await expect(page.getByLabel('Regularisation λ')).toHaveValue('5.0');
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 200_000 });
  const lines = await app.epochLines();
  console.log(lines.map((l) => `${l.epoch}: ${l.correct} (${l.seconds}s)`).join(', '));
  expect(lines).toHaveLength(30);
  expect(Math.max(...lines.map((l) => l.correct))).toBeGreaterThanOrEqual(9780);
});

test('settings live in the URL, and the confusion matrix opens the viewer on its digits', async ({ app, page }) => {
  await app.set({ Epochs: '2', 'Training examples': '3000', Seed: '7' });
  await expect(page).toHaveURL(/epochs=2&/);
  await expect(page).toHaveURL(/seed=7/);
  await page.getByText('Chapter 3: cost, regularisation, initialisation').click();
  await page.getByLabel('Monitor training data').check();
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await expect(app.log).toContainText(EPOCH_LINE);

  await page.getByRole('checkbox', { name: 'Training accuracy' }).check();
  await page.getByRole('checkbox', { name: 'Test cost' }).check();
  await expect(page.locator('#chart-summary')).toContainText(/after epoch 1 \(training \d+\.\d\d%, test cost \d\.\d{4}\)/);

  const matrix = page.getByRole('table', { name: 'Confusion matrix' });
  await expect(matrix).toContainText('Run 1 after epoch 1:');
  const cell = matrix.getByRole('button', { name: /^[1-9]\d* test digits labelled 4 read as 9$/ });
  const n = Number((await cell.getAttribute('aria-label'))!.split(' ')[0]);
  await cell.click();
  await expect(app.viewer).toContainText(`Test digits labelled 4 that Run 1 reads as 9: 1 of ${n}`);
  await expect(app.viewer).toContainText('label 4');
  await expect(app.viewer).toContainText('Run 1 reads 9 ✗');
  await expect(page.getByRole('button', { name: 'Weights of hidden neuron 29' })).toBeVisible();

  // A link reproduces the run: same settings from the URL, same seed, same first epoch.
  const [first] = await app.epochLines();
  await page.goto(page.url());
  await expect(app.field('Seed')).toHaveValue('7');
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
  await expect(app.log).toContainText(`Run 2 (784-30-10) · Epoch 0: ${first.correct} / 10000`);
});

test.describe(() => {
  // The import worker's script must come from the network, where the test can hold it, not from the service worker's copy.
  test.use({ serviceWorkers: 'block' });

  test('a large model shows how far its loading is, the viewer answers meanwhile, and Cancel changes nothing', async ({
    app,
    page,
  }, testInfo) => {
    await app.mnistLoaded();
    // 784-1000-1000-10: 1.8 million weights, about 11 MB as written here, and seconds to measure.
    const sizes = [784, 1000, 1000, 10];
    const layer = (rows: number, cols: number) =>
      `[${Array.from({ length: rows }, (_, j) => `[${Array.from({ length: cols }, (_, k) => (((j * 7919 + k * 104729) % 201) - 100) / 1000).join(',')}]`).join(',')}]`;
    const text = `{"sizes":[${sizes}],"weights":[${sizes
      .slice(1)
      .map((rows, l) => layer(rows, sizes[l]))
      .join(',')}],"biases":[${sizes
      .slice(1)
      .map((rows) => `[${Array(rows).fill('[0.1]').join(',')}]`)
      .join(',')}],"cost":"QuadraticCost"}`;
    const path = testInfo.outputPath('big-model.json');
    writeFileSync(path, text);
    // Every phase the loading box shows, as the person saw it, however fast this machine goes through them.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { loadingTexts: string[] }).loadingTexts = []);
      new MutationObserver(() => {
        const box = document.querySelector('[aria-label="Loading a model"] span');
        if (box?.textContent && seen.at(-1) !== box.textContent) seen.push(box.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // The import's worker is held before it starts (its script does not arrive), so Cancel is clicked while
    // the load is certainly under way, on a fast machine as on a slow one.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await page.route(/inspecting\.worker-[^/]*\.js$/, async (route) => {
      asked = true;
      await held;
      await route.continue().catch(() => {});
    });
    await page.getByLabel('Load model').setInputFiles(path);
    const loading = page.getByRole('group', { name: 'Loading a model' });
    await expect.poll(() => asked).toBe(true);
    await expect(loading).toContainText('big-model.json: starting…');
    await expect(loading.getByRole('progressbar', { name: 'Model load progress' })).toBeVisible();
    // The viewer reads digits from its own worker while the model loads.
    await app.viewer.getByRole('button', { name: 'Next →' }).click();
    await expect(app.viewer.getByText('test #1')).toBeVisible();
    await expect(loading).toBeVisible();
    await loading.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Loading “big-model.json” was cancelled. Nothing was changed.')).toBeVisible();
    await expect(loading).toHaveCount(0);
    await expect(app.runs).toHaveCount(0);
    await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
    release();
    await page.unroute(/inspecting\.worker-[^/]*\.js$/);

    // Loaded to the end, it went through reading, checking and measuring, each with how far it was.
    await page.getByLabel('Load model').setInputFiles(path);
    await expect(app.log).toContainText(/Run 1 · Loaded model 784-1000-1000-10: \d+ \/ 10000/, { timeout: 90_000 });
    const seen = await page.evaluate(() => (window as unknown as { loadingTexts: string[] }).loadingTexts);
    expect(
      seen.some((t) => /^big-model\.json: Measuring it on the 10,000 test digits… \d+%$/.test(t)),
      seen.join(' | '),
    ).toBe(true);
  });
});

test('a model with a number beyond float32 is refused with where it is and what it is', async ({ app, page }) => {
  await app.mnistLoaded();
  const weights = [Array.from({ length: 10 }, (_, j) => Array.from({ length: 784 }, (_, k) => (j === 3 && k === 5 ? '1e39' : '0')))];
  const text = `{"sizes":[784,10],"weights":[${weights.map((m) => `[${m.map((row) => `[${row.join(',')}]`).join(',')}]`).join(',')}],"biases":[[${Array(10).fill('[0]').join(',')}]],"cost":"QuadraticCost"}`;
  await page.getByLabel('Load model').setInputFiles({ name: 'far.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByRole('alert')).toHaveText(
    '“far.json” was not loaded: weights[0][3][5] is 1e+39, outside the range of 32-bit floats (±3.4028235e38) in which the network computes. Nothing was changed.',
  );
  await expect(app.runs).toHaveCount(0);
});

test("Expand the training data trains on the book's shifted copies too: five times the examples an epoch, the same as Node's count", async ({
  app,
  page,
}) => {
  await app.open('/?epochs=1&trainingExamples=2000&seed=3&kernel=simd');
  await page.getByText('Chapter 3: cost, regularisation, initialisation').click();
  await page.getByLabel('Expand the training data').check();
  await expect(page).toHaveURL(/expand=true/);
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await expect(app.run('Run 1')).toContainText('expanded data');
  const [line] = await app.epochLines();
  // 10,000 examples: the hover text's speed is examples / seconds.
  const hover = (await app.log.getByRole('listitem').first().getAttribute('title'))!;
  const [, seconds, speed] = /trained in ([\d.]+) s \(([\d,]+) examples\/s\)/.exec(hover)!;
  expect(Math.abs(Number(speed.replace(/,/g, '')) * Number(seconds) - 10_000)).toBeLessThan(50);
  // The same run in Node (the SIMD build computes the same everywhere).
  const { loadMnist } = await import('../src/data/source-node');
  const { sliceDataset } = await import('../src/nn/dataset');
  const { Network } = await import('../src/nn/network');
  const { runSgd } = await import('../src/nn/sgd');
  const data = loadMnist();
  let expected = 0;
  runSgd(new Network([784, 30, 10], { seed: 3 }), sliceDataset(data.training, 0, 2000), 1, 10, 3.0, {
    test: data.test,
    kernel: 'simd',
    expand: true,
    onEvent: (e) => e.kind === 'epoch' && (expected = e.correct!),
  });
  expect(line.correct).toBe(expected);
});
