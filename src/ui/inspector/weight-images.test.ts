import { describe, expect, it } from 'vitest';
import { movedShare, neuronWeights, rangeOf, typicalMovedShare, weightColours } from './weight-images';

describe('weight pictures', () => {
  // Two neurons of 784 weights: the second starts at 1 everywhere and ends at 1.1 (moved by 10%).
  const start = new Float32Array(2 * 784).fill(1);
  const now = start.map((w, i) => (i < 784 ? w : w + 0.1));

  it('show a neuron now, at the start, or what training changed', () => {
    expect(neuronWeights(now, start, 1, 'now')[5]).toBeCloseTo(1.1, 6);
    expect(neuronWeights(now, start, 1, 'start')[5]).toBe(1);
    expect(neuronWeights(now, start, 1, 'change')[5]).toBeCloseTo(0.1, 6);
    expect(neuronWeights(now, start, 0, 'change').every((w) => w === 0)).toBe(true);
    // Without a start, always the weights as they are.
    expect(neuronWeights(now, null, 1, 'change')[5]).toBeCloseTo(1.1, 6);
  });

  it('say how far training moved the weights, relative to their starting size', () => {
    expect(movedShare(now, start, 0)).toBe(0);
    expect(movedShare(now, start, 1)).toBeCloseTo(0.1, 6);
    expect(movedShare(now, start)).toBeCloseTo(0.1 / Math.sqrt(2), 6);
    // The typical neuron: the median of the two, 0 and 10%.
    expect(typicalMovedShare(now, start, 2)).toBeCloseTo(0.05, 6);
  });

  it('colour red for positive, blue for negative, white at zero, scaled to the largest', () => {
    const rgba = weightColours(Float32Array.from([2, -2, 0, 1]));
    expect([...rgba.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect([...rgba.subarray(4, 8)]).toEqual([0, 0, 255, 255]);
    expect([...rgba.subarray(8, 12)]).toEqual([255, 255, 255, 255]);
    expect([...rgba.subarray(12, 16)]).toEqual([255, 128, 128, 255]);
    expect(rangeOf(Float32Array.from([2, -2, 0, 1]))).toEqual([-2, 2]);
  });
});
