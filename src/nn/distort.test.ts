import { describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import { sliceDataset } from './dataset';
import { denseBytes, distortDigit, distortedDataset } from './distort';
import { INPUTS } from './mnist-shape';
import { Network } from './network';
import { Rng } from './rng';
import { runSgd } from './sgd';
import type { TrainEvent } from './types';

const mnist = loadMnist();
const ink = (pixels: Uint8Array) => pixels.reduce((sum, v) => sum + v, 0);
/** Centre of mass of a digit's ink, (x, y). */
const centre = (pixels: Uint8Array) => {
  let x = 0;
  let y = 0;
  for (let p = 0; p < INPUTS; p++) {
    x += (p % 28) * pixels[p];
    y += Math.floor(p / 28) * pixels[p];
  }
  return [x / ink(pixels), y / ink(pixels)];
};

describe('distorted training data', () => {
  it('redraws a digit a little: the same ink near the same place, never the same pixels; strength 0 leaves it', () => {
    const original = denseBytes(mnist.training, 0, new Uint8Array(INPUTS));
    const out = new Uint8Array(INPUTS);
    distortDigit(original, out, new Rng(1), 0);
    expect(out).toEqual(original);
    for (let seed = 1; seed <= 20; seed++) {
      distortDigit(original, out, new Rng(seed), 1);
      expect(out).not.toEqual(original);
      // Ink within a factor of two (strokes thickened or thinned, the digit scaled by up to 10% each way).
      expect(ink(out) / ink(original)).toBeGreaterThan(0.5);
      expect(ink(out) / ink(original)).toBeLessThan(2);
      const [x0, y0] = centre(original);
      const [x1, y1] = centre(out);
      expect(Math.hypot(x1 - x0, y1 - y0)).toBeLessThan(3);
    }
  });

  it('is seeded: the same seed gives the same copy, another seed another', () => {
    const part = sliceDataset(mnist.training, 0, 300);
    const a = distortedDataset(part, 1, 5);
    expect(distortedDataset(part, 1, 5)).toEqual(a);
    expect(distortedDataset(part, 1, 6).values).not.toEqual(a.values);
    expect(a.labels).toEqual(part.labels);
    expect(a.count).toBe(300);
  });

  it('trains repeatably, differently from undistorted data, and still learns', () => {
    const training = sliceDataset(mnist.training, 0, 3000);
    const test = sliceDataset(mnist.test, 0, 1000);
    const run = (distort: boolean) => {
      const counts: number[] = [];
      const net = new Network([784, 30, 10], { seed: 2 });
      runSgd(net, training, 2, 10, 3.0, {
        test,
        distort: distort ? { strength: 1, seed: 2 } : undefined,
        onEvent: (e: TrainEvent) => e.kind === 'epoch' && counts.push(e.correct!),
      });
      return counts;
    };
    const distorted = run(true);
    expect(run(true)).toEqual(distorted);
    expect(distorted).not.toEqual(run(false));
    // Harder data, a slower start: 597 of 1,000 after two epochs of 3,000 (chance is 100).
    expect(distorted[1]).toBeGreaterThan(500);
  });
});
