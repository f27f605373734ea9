/**
 * Chapter 2 on one digit: the Backpropagation region's numbers against the same network computed here,
 * from the downloaded model file and MNIST's own test digit, and its finite-difference check.
 */
import { readFileSync } from 'node:fs';
import { loadMnist } from '../src/data/source-node';
import { readInput } from '../src/nn/math';
import { expect, test } from './fixtures';

/** The model file's network (network2.py's JSON) on `x`: every layer's activations, by the book's formulas, in float64. */
function activations(model: { weights: number[][][]; biases: number[][][] }, x: number[]): number[][] {
  const layers = [x];
  for (let l = 0; l < model.weights.length; l++) {
    const a = layers[l];
    layers.push(model.weights[l].map((row, j) => 1 / (1 + Math.exp(-(row.reduce((s, w, k) => s + w * a[k], 0) + model.biases[l][j][0])))));
  }
  return layers;
}

test('the Backpropagation region gives δᴸ as the downloaded network computes it for the digit, for any y, and its gradient check agrees', async ({
  app,
  page,
}) => {
  await app.set({ Epochs: '1', 'Training examples': '5000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  const region = page.getByRole('region', { name: 'Backpropagation' });
  await expect(region).toContainText('Run 1 after epoch 0 on test digit #0 (a 7)');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download model' }).click();
  const model = JSON.parse(readFileSync(await (await downloading).path(), 'utf8'));
  // MNIST's first test digit, as the book reads it (byte / 256).
  const x = Array.from(readInput(loadMnist().test, 0, new Float32Array(784)));
  const output = activations(model, x).at(-1)!;

  const table = region.getByRole('table', { name: 'Output error δ (BP1)' });
  const deltas = async () =>
    (await table.getByRole('row').all()).slice(1).map(async (row) => ({
      neuron: Number(await row.getByRole('rowheader').textContent()),
      delta: Number(await row.getByRole('cell').first().textContent()),
    }));
  for (const y of [7, 3]) {
    if (y !== 7) await region.getByLabel('The right answer y').selectOption(String(y));
    // BP1 for the quadratic cost: δⱼ = (aⱼ − yⱼ) σ′(zⱼ), σ′(z) = a(1 − a).
    const expected = output.map((a, j) => (a - (j === y ? 1 : 0)) * a * (1 - a));
    await expect
      .poll(async () => {
        const shown = await Promise.all(await deltas());
        return shown.length === 10 && shown.every(({ neuron, delta }) => Math.abs(delta - expected[neuron]) <= 1e-4);
      })
      .toBe(true);
  }
  // The right answer's row: δ is negative there when y is the digit it reads, positive for any other output that is on.
  const shown = await Promise.all(await deltas());
  expect(shown.map((s) => s.neuron)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(shown[3].delta).toBeLessThan(0);

  // Finite differences: one weight per layer, both slopes printed to eight places, agreeing.
  const checks = await region.getByRole('table', { name: 'Gradient check' }).getByRole('row').all();
  expect(checks).toHaveLength(3);
  for (const row of checks.slice(1)) {
    const [backprop, numerical] = (await row.getByRole('cell').allTextContents()).map(Number);
    expect(Math.abs(backprop)).toBeGreaterThan(0);
    expect(Math.abs(numerical - backprop)).toBeLessThanOrEqual(1e-7);
  }
  await expect(region.getByRole('img', { name: /^∂C\/∂w for the 784 input weights of hidden neuron \d+$/ })).toBeVisible();
});
