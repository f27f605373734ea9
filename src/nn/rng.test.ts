import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('draws N(0, 1): mean near 0 and variance near 1 over 100,000 draws', () => {
    const rng = new Rng(7);
    let sum = 0;
    let sumSq = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const g = rng.gaussian();
      sum += g;
      sumSq += g * g;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
  });

  it('shuffles into a permutation, differently each time', () => {
    const rng = new Rng(3);
    const order = Uint32Array.from({ length: 1000 }, (_, i) => i);
    rng.shuffle(order);
    const first = Array.from(order);
    expect([...first].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(first).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    rng.shuffle(order);
    expect(Array.from(order)).not.toEqual(first);
  });

  it('refuses a seed that is not a number', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/seed must be a finite number/);
  });
});
