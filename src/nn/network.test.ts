import { describe, expect, it } from 'vitest';
import { Network } from './network';
import { SparseTrainer } from './sparse-trainer';
import { trainerFor } from './kernels';
import { readInput, oneHot } from './math';
import { referenceBackprop, referenceCost, referenceFeedforward, referenceUpdateMiniBatch, toReference } from './reference';
import { randomDataset } from './test-helpers';
import type { Dataset, Trainer } from './types';

/** Central finite difference of the reference's cost in every weight and bias, against `gradient`. */
function expectGradientMatchesFiniteDifferences(
  net: Network,
  x: number[],
  y: number[],
  gradient: { nablaB: ArrayLike<number>[]; nablaW: ArrayLike<number>[] },
): void {
  const ref = toReference(net);
  const h = 1e-5;
  let checked = 0;
  const check = (analytic: number, bump: (delta: number) => void): void => {
    bump(h);
    const plus = referenceCost(ref, x, y);
    bump(-2 * h);
    const minus = referenceCost(ref, x, y);
    bump(h);
    const numeric = (plus - minus) / (2 * h);
    expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 + 1e-3 * Math.abs(numeric));
    checked++;
  };
  for (let l = 0; l < net.numLayers - 1; l++) {
    const n = net.sizes[l];
    for (let j = 0; j < net.sizes[l + 1]; j++) {
      check(gradient.nablaB[l][j], (d) => (ref.biases[l][j] += d));
      for (let k = 0; k < n; k++) check(gradient.nablaW[l][j * n + k], (d) => (ref.weights[l][j][k] += d));
    }
  }
  const parameters = net.weights.reduce((s, w) => s + w.length, 0) + net.biases.reduce((s, b) => s + b.length, 0);
  expect(checked).toBe(parameters);
}

describe('Network', () => {
  it('has the book members and N(0, 1) parameters, biases only past the input layer', () => {
    const net = new Network([784, 30, 10], { seed: 1 });
    expect(net.numLayers).toBe(3);
    expect(net.biases.map((b) => b.length)).toEqual([30, 10]);
    expect(net.weights.map((w) => w.length)).toEqual([30 * 784, 10 * 30]);
    const w = net.weights[0];
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('gives the same weights for the same seed and different ones for another', () => {
    const a = new Network([20, 5, 3], { seed: 9 });
    const b = new Network([20, 5, 3], { seed: 9 });
    const c = new Network([20, 5, 3], { seed: 10 });
    expect(b.weights).toEqual(a.weights);
    expect(b.biases).toEqual(a.biases);
    expect(c.weights[0]).not.toEqual(a.weights[0]);
  });

  it('feedforward agrees with the reference translation of network.py', () => {
    const net = new Network([12, 7, 5, 4], { seed: 2 });
    const x = Array.from({ length: 12 }, (_, i) => (i % 3) / 3);
    const ours = net.feedforward(x);
    const reference = referenceFeedforward(toReference(net), x);
    ours.forEach((v, j) => expect(v).toBeCloseTo(reference[j], 6));
  });

  it('fromParameters copies the given parameters and refuses ones of the wrong shape', () => {
    const weights = [Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), Float32Array.of(1, 2, 3, 4)];
    const biases = [Float32Array.of(0.5, -0.5), Float32Array.of(0, 1)];
    const net = Network.fromParameters([4, 2, 2], weights, biases);
    expect(net.weights).toEqual(weights);
    expect(net.weights[0]).not.toBe(weights[0]);
    expect(() => Network.fromParameters([4, 2, 2], [weights[0].subarray(0, 3), weights[1]], biases)).toThrow(
      'weights[0] has 3 values, expected 8 for sizes 4-2-2',
    );
  });

  it('rejects an input of the wrong length with the expected size', () => {
    expect(() => new Network([4, 2, 2]).feedforward([1, 2, 3])).toThrow('input has length 3, expected 4');
    expect(() => new Network([4])).toThrow(/at least 2 layers/);
  });

  for (const sizes of [
    [6, 4, 3],
    [6, 5, 4, 3],
  ]) {
    it(`backprop agrees with central finite differences for every parameter of ${sizes.join('-')}`, () => {
      const net = new Network(sizes, { seed: 11 });
      const x = Array.from({ length: sizes[0] }, (_, i) => Math.sin(i + 1) * 0.5 + 0.5);
      const y = Array.from(oneHot(1, sizes.at(-1)!));
      expectGradientMatchesFiniteDifferences(net, x, y, net.backprop(x, y));
      const reference = referenceBackprop(toReference(net), x, y);
      expectGradientMatchesFiniteDifferences(net, x, y, { nablaB: reference.nablaB, nablaW: reference.nablaW.map((m) => m.flat()) });
    });

    it(`the book's step on one example is −η·(finite-difference gradient) for ${sizes.join('-')}`, () => {
      const data = randomDataset(1, sizes[0], sizes.at(-1)!, 5);
      const net = new Network(sizes, { seed: 12 });
      const before = { weights: net.weights.map((w) => w.slice()), biases: net.biases.map((b) => b.slice()) };
      const x = Array.from(readInput(data, 0, new Float32Array(sizes[0])));
      const y = Array.from(oneHot(data.labels[0], sizes.at(-1)!));
      const probe = Network.fromParameters(sizes, before.weights, before.biases);
      const eta = 0.5;
      net.updateMiniBatch(data, [0], eta);
      const step = {
        nablaW: net.weights.map((w, l) => w.map((v, i) => (before.weights[l][i] - v) / eta)),
        nablaB: net.biases.map((b, l) => b.map((v, i) => (before.biases[l][i] - v) / eta)),
      };
      // Float32 parameters: the recovered gradient carries rounding of order 1e-7 / η.
      const ref = toReference(probe);
      const exact = referenceBackprop(ref, x, y);
      step.nablaW.forEach((w, l) => w.forEach((v, i) => expect(v).toBeCloseTo(exact.nablaW[l][Math.floor(i / sizes[l])][i % sizes[l]], 5)));
      step.nablaB.forEach((b, l) => b.forEach((v, i) => expect(v).toBeCloseTo(exact.nablaB[l][i], 5)));
      expectGradientMatchesFiniteDifferences(probe, x, y, {
        nablaW: exact.nablaW.map((m) => m.flat()),
        nablaB: exact.nablaB,
      });
    });
  }

  /** One mini-batch step by the book's Network, or by a fast path (TypeScript, WebAssembly) with the same arguments. */
  const steps: Record<string, (net: Network, data: Dataset, batch: number[], eta: number) => void> = {
    "the book's Network": (net, data, batch, eta) => net.updateMiniBatch(data, batch, eta),
    'the TypeScript fast path': (net, data, batch, eta) => fastStep(trainerFor(net, batch.length, 'js'), data, batch, eta),
    'the WebAssembly fast path': (net, data, batch, eta) => fastStep(trainerFor(net, batch.length, 'wasm'), data, batch, eta),
  };
  function fastStep(trainer: Trainer, data: Dataset, batch: number[], eta: number): void {
    trainer.trainBatches(data, Uint32Array.from(batch), 0, batch.length, batch.length, eta, 1);
    trainer.syncToNetwork();
  }

  for (const [path, step] of Object.entries(steps)) {
    for (const sizes of [
      [784, 30, 10],
      [784, 100, 30, 10],
    ]) {
      it(`one mini-batch step of ${path} equals the reference's (1e-5) for ${sizes.join('-')}`, () => {
        const data = randomDataset(10, sizes[0], 10, 21, 0.8);
        const net = new Network(sizes, { seed: 4 });
        const ref = toReference(net);
        const batch = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3].slice(0, 7);
        step(net, data, batch, 3.0);
        referenceUpdateMiniBatch(
          ref,
          batch.map((i) => ({ x: Array.from(readInput(data, i, new Float32Array(sizes[0]))), y: Array.from(oneHot(data.labels[i], 10)) })),
          3.0,
        );
        let largest = 0;
        net.weights.forEach((w, l) =>
          w.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - ref.weights[l][Math.floor(i / sizes[l])][i % sizes[l]])))),
        );
        net.biases.forEach((b, l) => b.forEach((v, j) => (largest = Math.max(largest, Math.abs(v - ref.biases[l][j])))));
        expect(largest).toBeLessThan(1e-5);
        // And the step really moved the weights, so the comparison is not vacuous.
        const untouched = new Network(sizes, { seed: 4 });
        expect(net.weights[1]).not.toEqual(untouched.weights[1]);
      });
    }
  }

  it('evaluate counts argmax hits like the reference', () => {
    const data = randomDataset(50, 16, 4, 8);
    const net = new Network([16, 6, 4], { seed: 3 });
    const ref = toReference(net);
    let expected = 0;
    for (let i = 0; i < data.count; i++) {
      const out = referenceFeedforward(ref, Array.from(readInput(data, i, new Float32Array(16))));
      if (out.indexOf(Math.max(...out)) === data.labels[i]) expected++;
    }
    expect(net.evaluate(data)).toBe(expected);
    expect(new SparseTrainer(net, 1).evaluate(data)).toBe(expected);
  });
});
