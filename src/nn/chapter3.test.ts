import { describe, expect, it } from 'vitest';
import { exampleCost } from './cost';
import { oneHot, readInput } from './math';
import { Network } from './network';
import { referenceBackprop, referenceCost, referenceUpdateMiniBatch, toReference } from './reference';
import { SparseTrainer } from './sparse-trainer';
import { largestDifference, randomDataset } from './test-helpers';
import { WasmTrainer } from './wasm-trainer';
import type { CostName } from './cost';

/** The gradient of C_x + (λ/2n)‖w‖² recovered from one step on one example: (θ − θ') / η. */
function gradientFromOneStep(sizes: number[], cost: CostName, lambda: number, n: number, kernel: 'js' | 'wasm') {
  const data = randomDataset(1, sizes[0], sizes.at(-1)!, 17);
  const net = new Network(sizes, { seed: 5, cost });
  const before = { weights: net.weights.map((w) => w.slice()), biases: net.biases.map((b) => b.slice()) };
  const eta = 0.25;
  const trainer = kernel === 'js' ? new SparseTrainer(net, 1) : new WasmTrainer(net, 1);
  trainer.trainBatches(data, Uint32Array.of(0), 0, 1, 1, eta, 1 - (eta * lambda) / n);
  trainer.syncToNetwork();
  return {
    data,
    probe: Network.fromParameters(sizes, before.weights, before.biases, { cost }),
    nablaW: net.weights.map((w, l) => w.map((v, i) => (before.weights[l][i] - v) / eta)),
    nablaB: net.biases.map((b, l) => b.map((v, i) => (before.biases[l][i] - v) / eta)),
  };
}

describe("chapter 3's cost, regularisation and initialisation", () => {
  for (const kernel of ['js', 'wasm'] as const) {
    for (const [cost, lambda] of [
      ['cross-entropy', 0],
      ['cross-entropy', 5],
      ['quadratic', 5],
    ] as const) {
      it(`${kernel}: a step with ${cost} cost and λ = ${lambda} follows the finite-difference gradient of C_x + (λ/2n)‖w‖²`, () => {
        const sizes = [9, 6, 5, 4];
        const n = 20;
        const { data, probe, nablaW, nablaB } = gradientFromOneStep(sizes, cost, lambda, n, kernel);
        const x = Array.from(readInput(data, 0, new Float32Array(sizes[0])));
        const y = Array.from(oneHot(data.labels[0], sizes.at(-1)!));
        const ref = toReference(probe);
        const h = 1e-5;
        const numeric = (bump: (d: number) => void) => {
          bump(h);
          const plus = referenceCost(ref, x, y, cost, lambda, n);
          bump(-2 * h);
          const minus = referenceCost(ref, x, y, cost, lambda, n);
          bump(h);
          return (plus - minus) / (2 * h);
        };
        let checked = 0;
        for (let l = 0; l < sizes.length - 1; l++) {
          for (let j = 0; j < sizes[l + 1]; j++) {
            expect(nablaB[l][j]).toBeCloseTo(
              numeric((d) => (ref.biases[l][j] += d)),
              4,
            );
            for (let k = 0; k < sizes[l]; k++) {
              expect(nablaW[l][j * sizes[l] + k]).toBeCloseTo(
                numeric((d) => (ref.weights[l][j][k] += d)),
                4,
              );
              checked++;
            }
          }
        }
        expect(checked).toBe(9 * 6 + 6 * 5 + 5 * 4);
      });
    }
  }

  it('one mini-batch with cross-entropy and λ matches the reference update_mini_batch (1e-5), both paths', () => {
    const sizes = [784, 30, 10];
    const data = randomDataset(10, 784, 10, 23, 0.8);
    const order = Uint32Array.from([4, 8, 1, 9, 0]);
    const ref = toReference(new Network(sizes, { seed: 6, cost: 'cross-entropy', init: 'scaled' }));
    referenceUpdateMiniBatch(
      ref,
      Array.from(order, (i) => ({ x: Array.from(readInput(data, i, new Float32Array(784))), y: Array.from(oneHot(data.labels[i], 10)) })),
      0.5,
      { lambda: 5, n: 1000, cost: 'cross-entropy' },
    );
    for (const Trainer of [SparseTrainer, WasmTrainer]) {
      const net = new Network(sizes, { seed: 6, cost: 'cross-entropy', init: 'scaled' });
      const trainer = new Trainer(net, 5);
      trainer.trainBatches(data, order, 0, 5, 5, 0.5, 1 - (0.5 * 5) / 1000);
      trainer.syncToNetwork();
      expect(largestDifference(net, ref)).toBeLessThan(1e-5);
    }
  });

  it('scaled initialisation draws weights from N(0, 1/√n_in) and biases from N(0, 1)', () => {
    const net = new Network([784, 100, 10], { seed: 2, init: 'scaled' });
    const variance = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0) / a.length;
    expect(variance(net.weights[0])).toBeCloseTo(1 / 784, 4);
    expect(variance(net.weights[1])).toBeCloseTo(1 / 100, 2);
    expect(Math.abs(variance(net.biases[0]) - 1)).toBeLessThan(0.35);
  });

  it('both paths measure the same total cost as exampleCost summed over the data', () => {
    const data = randomDataset(40, 30, 10, 3, 0.5);
    for (const cost of ['quadratic', 'cross-entropy'] as const) {
      const net = new Network([30, 8, 10], { seed: 1, cost });
      let expected = 0;
      for (let i = 0; i < data.count; i++)
        expected += exampleCost(cost, net.feedforward(readInput(data, i, new Float32Array(30))), data.labels[i]);
      expect(new SparseTrainer(net, 1).measure(data).costSum).toBeCloseTo(expected, 3);
      expect(new WasmTrainer(net, 1).measure(data).costSum).toBeCloseTo(expected, 3);
    }
  });

  it('the reference backprop for cross-entropy has output delta a − y', () => {
    const net = toReference(new Network([3, 2], { seed: 1 }));
    const { nablaB } = referenceBackprop(net, [1, 0, 1], [0, 1], 'cross-entropy');
    const a = net.weights[0].map((row, j) => 1 / (1 + Math.exp(-(row[0] + row[2] + net.biases[0][j]))));
    expect(nablaB[0][0]).toBeCloseTo(a[0] - 0, 10);
    expect(nablaB[0][1]).toBeCloseTo(a[1] - 1, 10);
  });
});
