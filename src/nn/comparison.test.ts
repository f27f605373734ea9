import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison } from './comparison';

describe('comparing networks over seeds', () => {
  const runs = [
    { network: '784-30-10', seed: 1, accuracy: [90, 94, 95], seconds: [0.2, 0.2, 0.3], stalled: false },
    { network: '784-100-10', seed: 1, accuracy: [60, 80, 85], seconds: [0.4, 0.5, 0.4], stalled: true },
    { network: '784-30-10', seed: 2, accuracy: [91, 95, 94], seconds: [0.2, 0.2, 0.2], stalled: false },
    { network: '784-100-10', seed: 2, accuracy: [], seconds: [], stalled: false },
  ];

  it('sums up each network over its seeds: final mean, min, max, the mean curve’s best epoch, the median time, the stalls', () => {
    const rows = compareRuns(runs, true);
    expect(rows.map((r) => r.network)).toEqual(['784-30-10', '784-100-10']);
    expect(rows[0]).toEqual({
      network: '784-30-10',
      seeds: 2,
      mean: 94.5,
      min: 94,
      max: 95,
      bestEpoch: 1,
      secondsPerEpoch: 0.2,
      stalled: 0,
      book: 95.42,
    });
    // A run without a finished epoch is not counted.
    expect(rows[1]).toMatchObject({ seeds: 1, mean: 85, stalled: 1, book: 96.59 });
    expect(compareRuns(runs, false)[0].book).toBeNull();
  });

  it('prints a Markdown table', () => {
    expect(formatComparison(compareRuns(runs, true)).split('\n')[2]).toBe(
      '| 784-30-10 | 2 | 94.50% | 94.00% | 95.00% | 1 | 0.20 | 0 of 2 | 95.42% |',
    );
  });
});
