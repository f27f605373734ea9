import { describe, expect, it } from 'vitest';
import { ensembleCorrect, vote } from './ensemble';

const reads = (digit: number, sureness = 0.9): number[] =>
  Array.from({ length: 10 }, (_, j) => (j === digit ? sureness : (1 - sureness) / 9));

describe("chapter 6's ensemble", () => {
  it('reads the digit most networks read, a tie going to the surer voters', () => {
    expect(vote([reads(7), reads(7), reads(1)])).toBe(7);
    expect(vote([reads(3, 0.6), reads(5, 0.95)])).toBe(5);
    expect(vote([reads(3, 0.99), reads(5, 0.6)])).toBe(3);
    expect(vote([reads(2), reads(4), reads(4), reads(2, 0.99), reads(9)])).toBe(2);
  });

  it('counts what the vote reads right: three networks, each wrong on a different digit, read all three', () => {
    const labels = [0, 1, 2];
    // Network n misreads digit n (as 8); the other two outvote it.
    const outputsOf = (n: number, i: number) => (n === i ? reads(8) : reads(labels[i]));
    expect(ensembleCorrect(3, 3, labels, outputsOf)).toBe(3);
    // Each alone reads two of the three.
    for (let n = 0; n < 3; n++) expect(ensembleCorrect(1, 3, labels, (_, i) => outputsOf(n, i))).toBe(2);
  });
});
