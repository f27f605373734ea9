import { describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import { SHIFT_SHIFT, SHIFTS, shiftPixel, sliceDataset, trainingOrder } from './dataset';
import { oneHot, readInput } from './math';
import { Network } from './network';
import { referenceUpdateMiniBatch, toReference } from './reference';
import { runSgd } from './sgd';
import { SparseTrainer } from './sparse-trainer';
import { largestDifference, randomDataset } from './test-helpers';
import type { Dataset } from './types';
import { WasmTrainer } from './wasm-trainer';

/** expand_mnist.py, literally: np.roll(image, d, axis), then the row or column that wrapped round set to 0. */
function bookShift(image: ArrayLike<number>, side: number, shift: number): number[] {
  const out = Array.from(image);
  if (shift === 0) return out;
  const [[d, axis, zeroAt]] = [
    [1, 0, 0],
    [-1, 0, side - 1],
    [1, 1, 0],
    [-1, 1, side - 1],
  ].slice(shift - 1);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const from = axis === 0 ? ((r - d + side) % side) * side + c : r * side + ((c - d + side) % side);
      out[r * side + c] = image[from];
    }
  }
  for (let k = 0; k < side; k++) out[axis === 0 ? zeroAt * side + k : k * side + zeroAt] = 0;
  return out;
}

/** Example `i` of `data` moved by `shift`, through shiftPixel, as a dense input. */
function shiftedInput(data: Dataset, i: number, shift: number, side: number): number[] {
  const dense = new Array<number>(data.inputSize).fill(0);
  for (let q = data.offsets[i]; q < data.offsets[i + 1]; q++) {
    const p = shiftPixel(data.indices[q], side, shift);
    if (p >= 0) dense[p] = data.values[q] * data.scale;
  }
  return dense;
}

describe("the book's expanded training data, made on the fly", () => {
  it('moves every pixel of an MNIST digit as expand_mnist.py does, for each of the four shifts', () => {
    const data = loadMnist().training;
    for (const i of [0, 1, 7, 4242]) {
      const image = Array.from(readInput(data, i, new Float32Array(784)));
      for (let shift = 0; shift < SHIFTS.length; shift++) expect(shiftedInput(data, i, shift, 28)).toEqual(bookShift(image, 28, shift));
    }
  });

  it('lists each example once per shift', () => {
    const order = trainingOrder(3, true);
    expect(Array.from(order, (e) => [e & ((1 << SHIFT_SHIFT) - 1), e >>> SHIFT_SHIFT])).toEqual(
      [0, 1, 2, 3, 4].flatMap((s) => [0, 1, 2].map((i) => [i, s])),
    );
    expect(Array.from(trainingOrder(3))).toEqual([0, 1, 2]);
  });

  const trainers: [string, (n: Network, m: number) => WasmTrainer | SparseTrainer][] = [
    ['WebAssembly', (n, m) => new WasmTrainer(n, m)],
    ['TypeScript', (n, m) => new SparseTrainer(n, m)],
  ];
  for (const [name, make] of trainers) {
    it(`takes a step on shifted examples equal to the reference's on the shifted inputs (1e-5, ${name})`, () => {
      const side = 7;
      const sizes = [side * side, 9, 4];
      const data = randomDataset(6, sizes[0], 4, 12, 0.5);
      const order = Uint32Array.from([0 | (1 << SHIFT_SHIFT), 1 | (4 << SHIFT_SHIFT), 2, 3 | (2 << SHIFT_SHIFT), 5 | (3 << SHIFT_SHIFT)]);
      const net = new Network(sizes, { seed: 3 });
      const ref = toReference(net);
      const trainer = make(net, order.length);
      trainer.trainBatches(data, order, 0, order.length, order.length, 3.0);
      trainer.syncToNetwork();
      const batch = Array.from(order, (e) => {
        const i = e & ((1 << SHIFT_SHIFT) - 1);
        return { x: shiftedInput(data, i, e >>> SHIFT_SHIFT, side), y: Array.from(oneHot(data.labels[i], 4)) };
      });
      referenceUpdateMiniBatch(ref, batch, 3.0);
      expect(largestDifference(net, ref)).toBeLessThan(1e-5);
    });
  }

  it('gives the same counts for the same seed, and trains on five times the examples an epoch', () => {
    const data = loadMnist();
    const run = () => {
      const counts: number[] = [];
      let total = 0;
      runSgd(new Network([784, 30, 10], { seed: 2 }), sliceDataset(data.training, 0, 2000), 2, 10, 3.0, {
        test: data.test,
        expand: true,
        onEvent: (e) => {
          if (e.kind === 'epoch') counts.push(e.correct!);
          if (e.kind === 'progress') total = e.examplesTotal;
        },
      });
      return { counts, total };
    };
    const first = run();
    expect(first.total).toBe(10_000);
    expect(run().counts).toEqual(first.counts);
    expect(first.counts[1]).toBeGreaterThan(8000);
  });
});
