import { describe, expect, it } from 'vitest';
import { MNIST_SHAPE, shapesOf, weightCount } from './layers';
import { NETWORK3_LADDER } from './ladder';

describe("chapter 6's ladder", () => {
  it('climbs as the book does, each network fitting MNIST: 97.80% → 98.78% → 99.06% → 99.23% → 99.37% → 99.43% → 99.60%', () => {
    expect(NETWORK3_LADDER.map((p) => p.bookPercent)).toEqual([97.8, 98.78, 99.06, 99.23, 99.37, 99.43, 99.6]);
    for (const preset of NETWORK3_LADDER) expect(() => shapesOf(MNIST_SHAPE, preset.layers)).not.toThrow();
  });

  it('has network3.py’s shapes: the second conv-pool layer gives 40 × 4 × 4, so its FC layer takes 640 inputs', () => {
    const conv2 = NETWORK3_LADDER.find((p) => p.id === 'conv2')!;
    const shapes = shapesOf(MNIST_SHAPE, conv2.layers);
    expect(weightCount(conv2.layers[1], shapes[1])).toBe(40 * 20 * 5 * 5);
    expect(weightCount(conv2.layers[2], shapes[2])).toBe(100 * 640);
  });
});
