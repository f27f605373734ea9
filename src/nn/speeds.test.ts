import { describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import { oneHot, readInput } from './math';
import { Network } from './network';
import { layerSpeeds } from './speeds';

const data = loadMnist();

describe("chapter 5's speed of learning", () => {
  it('is the length of the mean bias gradient of each hidden layer, as the book’s backprop gives it', () => {
    const net = new Network([784, 30, 20, 10], { seed: 4 });
    const sums = net.biases.map((b) => new Float64Array(b.length));
    const x = new Float32Array(784);
    for (let i = 0; i < 200; i++) {
      const { nablaB } = net.backprop(readInput(data.training, i, x), oneHot(data.training.labels[i], 10));
      nablaB.forEach((nb, l) => nb.forEach((v, j) => (sums[l][j] += v / 200)));
    }
    const expected = sums.slice(0, -1).map((s) => Math.hypot(...s));
    const speeds = layerSpeeds(net.parameters(), data.training, 200);
    expect(speeds).toHaveLength(2);
    speeds.forEach((v, l) => expect(v).toBeCloseTo(expected[l], 6));
  });

  it('shows the vanishing gradient of [784, 30, 30, 30, 10] at the start: the first hidden layer learns several times slower than the third', () => {
    const ratios = [1, 2, 3].map((seed) => {
      const net = new Network([784, 30, 30, 30, 10], { seed, init: 'scaled', cost: 'cross-entropy' });
      const [first, , third] = layerSpeeds(net.parameters(), data.training);
      return third / first;
    });
    console.log(
      `[784, 30, 30, 30, 10], network2's start, seeds 1–3: the third hidden layer learns ${ratios.map((r) => r.toFixed(1)).join(', ')} times faster than the first`,
    );
    for (const ratio of ratios) expect(ratio).toBeGreaterThan(5);
  });
});
