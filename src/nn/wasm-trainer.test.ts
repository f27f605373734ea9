import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import type { MnistData } from '../data/mnist';
import { sliceDataset } from './dataset';
import { oneHot, readInput } from './math';
import type { KernelChoice } from './kernels';
import { Network } from './network';
import { referenceUpdateMiniBatch, toReference } from './reference';
import { SparseTrainer } from './sparse-trainer';
import { runSgd } from './sgd';
import { largestDifference, randomDataset } from './test-helpers';
import { WasmTrainer, wasmKernelAvailable } from './wasm-trainer';

describe('the WebAssembly SIMD kernel', () => {
  it('is available in Node (so the fast path is what these tests exercise)', () => {
    expect(wasmKernelAvailable()).toBe(true);
  });

  it('runs the relaxed-SIMD build where the host validates it, and the SIMD build elsewhere', () => {
    // The relaxed-simd test project starts Node with this flag; Node 20 has no relaxed SIMD without it.
    const relaxedHere = process.execArgv.includes('--experimental-wasm-relaxed-simd');
    expect(wasmKernelAvailable('relaxed')).toBe(relaxedHere);
    const sizes = [784, 30, 10];
    expect(new WasmTrainer(new Network(sizes, { seed: 1 }), 10).build).toBe(relaxedHere ? 'relaxed' : 'simd');
    expect(new WasmTrainer(new Network(sizes, { seed: 1 }), 10, 'simd').build).toBe('simd');
    if (!relaxedHere)
      expect(() => new WasmTrainer(new Network(sizes, { seed: 1 }), 10, 'relaxed')).toThrow(/relaxed SIMD is not available/);
  });

  // Sizes that are not multiples of 4 exercise the padding lanes.
  for (const sizes of [
    [784, 30, 10],
    [784, 100, 30, 10],
    [13, 7, 5, 3],
  ]) {
    it(`one mini-batch step equals the reference's (1e-5) for ${sizes.join('-')}`, () => {
      const classes = sizes.at(-1)!;
      const data = randomDataset(12, sizes[0], classes, 31, 0.8);
      const net = new Network(sizes, { seed: 8 });
      const ref = toReference(net);
      const order = Uint32Array.from([7, 2, 11, 0, 5, 9, 3]);
      const trainer = new WasmTrainer(net, order.length);
      trainer.trainBatches(data, order, 0, order.length, order.length, 3.0);
      trainer.syncToNetwork();
      referenceUpdateMiniBatch(
        ref,
        Array.from(order, (i) => ({
          x: Array.from(readInput(data, i, new Float32Array(sizes[0]))),
          y: Array.from(oneHot(data.labels[i], classes)),
        })),
        3.0,
      );
      expect(largestDifference(net, ref)).toBeLessThan(1e-5);
      expect(net.weights[0]).not.toEqual(new Network(sizes, { seed: 8 }).weights[0]);
    });
  }

  // The kernel reads the first layer in groups of 16 examples and stores it in blocks of 7, 4 and 1 column
  // vectors: 44 hidden is 7 + 4, 33 is 7 + 1 + 1, 100 is 7 + 7 + 7 + 4. A mini-batch of 40 is three groups
  // (16, 16, 8), its pixels gathered again for the update; one of 16 is a single group, kept between the two.
  for (const [hidden, batch] of [
    [44, 40],
    [33, 16],
    [100, 40],
  ]) {
    it(`a mini-batch of ${batch} MNIST digits at 784-${hidden}-10 steps as the reference does (1e-5)`, () => {
      const data = sliceDataset(loadMnist().training, 0, batch);
      const sizes = [784, hidden, 10];
      const net = new Network(sizes, { seed: 3 });
      const ref = toReference(net);
      const order = Uint32Array.from({ length: batch }, (_, i) => (i * 7) % batch);
      const trainer = new WasmTrainer(net, batch);
      trainer.trainBatches(data, order, 0, batch, batch, 3.0);
      trainer.syncToNetwork();
      const examples = Array.from(order, (i) => ({
        x: Array.from(readInput(data, i, new Float32Array(784))),
        y: Array.from(oneHot(data.labels[i], 10)),
      }));
      referenceUpdateMiniBatch(ref, examples, 3.0);
      expect(largestDifference(net, ref)).toBeLessThan(1e-5);
      expect(net.weights[0]).not.toEqual(new Network(sizes, { seed: 3 }).weights[0]);
    });
  }

  it('takes several mini-batches in one call like successive steps of the TypeScript path, the last one short', () => {
    const data = randomDataset(23, 50, 10, 4, 0.7);
    const order = Uint32Array.from({ length: 23 }, (_, i) => (i * 7) % 23);
    const a = new Network([50, 9, 10], { seed: 2 });
    const b = new Network([50, 9, 10], { seed: 2 });
    const wasm = new WasmTrainer(a, 5);
    wasm.trainBatches(data, order, 0, 23, 5, 0.7);
    wasm.syncToNetwork();
    const js = new SparseTrainer(b, 5);
    js.trainBatches(data, order, 0, 23, 5, 0.7);
    js.syncToNetwork();
    a.weights.forEach((w, l) => w.forEach((v, i) => expect(v).toBeCloseTo(b.weights[l][i], 5)));
    a.biases.forEach((w, l) => w.forEach((v, i) => expect(v).toBeCloseTo(b.biases[l][i], 5)));
  });

  describe('on real MNIST', () => {
    let data: MnistData;
    beforeAll(() => {
      data = loadMnist();
    });

    it('classifies every test digit as the argmax of feedforward, on both paths', () => {
      const net = new Network([784, 100, 10], { seed: 2 });
      runSgd(net, sliceDataset(data.training, 0, 2000), 1, 10, 3.0);
      const wasm = new WasmTrainer(net, 1).classify(data.test);
      const js = new SparseTrainer(net, 1).classify(data.test);
      const x = new Float32Array(784);
      for (let i = 0; i < 200; i++) {
        const out = net.feedforward(readInput(data.test, i, x));
        expect(wasm[i]).toBe(out.indexOf(Math.max(...out)));
      }
      expect(Array.from(wasm)).toEqual(Array.from(js));
      expect(wasm.reduce((n, d, i) => n + (d === data.test.labels[i] ? 1 : 0), 0)).toBe(net.evaluate(data.test));
    });

    it('measures and reads in one pass: the readings are those of classify(), the count is theirs', () => {
      const net = new Network([784, 30, 10], { seed: 4 });
      runSgd(net, sliceDataset(data.training, 0, 2000), 1, 10, 3.0);
      for (const trainer of [new WasmTrainer(net, 1), new SparseTrainer(net, 1)]) {
        const readings = new Uint8Array(data.test.count);
        const { correct } = trainer.measure(data.test, readings);
        expect(Array.from(readings)).toEqual(Array.from(trainer.classify(data.test)));
        expect(readings.reduce((n, d, i) => n + (d === data.test.labels[i] ? 1 : 0), 0)).toBe(correct);
      }
    });

    it('takes new parameters of the same shape in place, reading as a trainer built for them', () => {
      const first = new Network([784, 30, 10], { seed: 5 });
      const second = new Network([784, 30, 10], { seed: 6 });
      runSgd(second, sliceDataset(data.training, 0, 2000), 1, 10, 3.0);
      for (const trainer of [new WasmTrainer(first, 1), new SparseTrainer(first, 1)]) {
        const before = trainer.evaluate(data.test);
        first.weights.forEach((w, l) => w.set(second.weights[l]));
        first.biases.forEach((b, l) => b.set(second.biases[l]));
        trainer.syncFromNetwork();
        expect(trainer.evaluate(data.test)).toBe(second.evaluate(data.test));
        expect(trainer.evaluate(data.test)).not.toBe(before);
        // Back to the first network's numbers for the next trainer.
        const fresh = new Network([784, 30, 10], { seed: 5 });
        first.weights.forEach((w, l) => w.set(fresh.weights[l]));
        first.biases.forEach((b, l) => b.set(fresh.biases[l]));
      }
    });

    it('evaluates exactly as the TypeScript path for the same weights', () => {
      const net = new Network([784, 30, 10], { seed: 3 });
      runSgd(net, sliceDataset(data.training, 0, 3000), 1, 10, 3.0, { kernel: 'js' });
      expect(new WasmTrainer(net, 1).evaluate(data.test)).toBe(new SparseTrainer(net, 1).evaluate(data.test));
    });

    // Summation order and (in the relaxed build) fused rounding differ between the paths, and SGD amplifies
    // such differences, so the counts agree within 50 of 10,000 rather than exactly.
    it('learns the same curve as the TypeScript path and as the other build, within a few tenths of a percent', () => {
      const curve = (kernel: KernelChoice) => {
        const counts: number[] = [];
        runSgd(new Network([784, 30, 10], { seed: 1 }), sliceDataset(data.training, 0, 20_000), 3, 10, 3.0, {
          test: data.test,
          kernel,
          onEvent: (e) => e.kind === 'epoch' && counts.push(e.correct!),
        });
        return counts;
      };
      const js = curve('js');
      const best = curve('wasm');
      const simd = curve('simd');
      for (const wasm of [best, simd]) wasm.forEach((correct, epoch) => expect(Math.abs(correct - js[epoch])).toBeLessThanOrEqual(50));
      best.forEach((correct, epoch) => expect(Math.abs(correct - simd[epoch])).toBeLessThanOrEqual(50));
      expect(best[2]).toBeGreaterThanOrEqual(8700);
    });
  });
});
