import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../nn/config';
import type { EpochPoint, Run } from '../runs/run';
import { bandsOf, chartData, chartSummary, epochRange, METRICS } from './AccuracyChart';

const point = (epoch: number, percent: number): EpochPoint => ({
  epoch,
  percent,
  correct: percent * 100,
  total: 10_000,
  testCost: null,
  trainingPercent: null,
  trainingCost: null,
  validationCorrect: null,
  seconds: 0.2,
});
const run = (n: number, accuracy: EpochPoint[], fields: Partial<Run> = {}): Run =>
  ({
    key: `k${n}`,
    number: n,
    name: `Run ${n}`,
    sizes: [784, 30, 10],
    config: { ...DEFAULT_CONFIG, epochs: 1 },
    source: null,
    accuracy,
    within: [],
    ...fields,
  }) as Run;
const testAccuracy = METRICS.filter((m) => m.metric === 'testAccuracy');

describe('the accuracy chart', () => {
  it('puts a single epoch inside its x axis as a visible point, labelled with its value', () => {
    const one = run(1, [point(0, 90.61)]);
    expect(epochRange([one])).toEqual([0, 1]);
    const data = chartData([one], testAccuracy, () => '#000', epochRange([one]));
    expect(data.datasets[0].data).toEqual([{ x: 0, y: 90.61 }]);
    expect(data.datasets[0].pointRadius).toBeGreaterThan(0);
    expect(data.latest).toEqual(['90.61%']);
  });

  it('draws a loaded model as a level across the trained runs’ epochs, named by its file, not as a curve', () => {
    const trained = run(1, [point(0, 90), point(1, 92), point(2, 93)], { config: { ...DEFAULT_CONFIG, epochs: 30 } });
    const loaded = run(2, [point(0, 95.12)], { source: 'network-784-30-10.json', config: { ...DEFAULT_CONFIG, epochs: 30 } });
    const range = epochRange([trained, loaded]);
    expect(range).toEqual([0, 29]);
    const data = chartData([trained, loaded], testAccuracy, () => '#000', range);
    expect(data.datasets[1]).toMatchObject({
      label: 'Run 2: loaded from network-784-30-10.json',
      data: [
        { x: 0, y: 95.12 },
        { x: 29, y: 95.12 },
      ],
      pointRadius: 0,
    });
    expect(data.latest).toEqual(['93.00%', '95.12%']);
  });

  it('counts a comparison band at an epoch over the runs that reached it, and says so when some have not', () => {
    const finished = run(1, [point(0, 90), point(1, 94.9)], { comparison: 1 });
    const interrupted = run(3, [point(0, 91)], { comparison: 1 });
    const [band] = bandsOf([finished, interrupted], () => '#000');
    expect(band.reached).toEqual([2, 1]);
    expect(band.mean.map((p) => p.y)).toEqual([90.5, 94.9]);
    expect(chartSummary([], testAccuracy, [band])).toContain(
      '784-30-10: mean 94.90% over 1 of 2 seeds (the others have not reached it) (94.90–94.90%) after epoch 1',
    );
    const [both] = bandsOf([finished, { ...interrupted, accuracy: [point(0, 91), point(1, 95.1)] }], () => '#000');
    expect(chartSummary([], testAccuracy, [both])).toContain('784-30-10: mean 95.00% over 2 seeds (94.90–95.10%) after epoch 1');
  });

  it('draws what was measured within an epoch between the epochs’ points, from the start, and says it in words', () => {
    const within = [
      { epoch: 0, examples: 0, examplesTotal: 50_000, percent: 10.14 },
      { epoch: 0, examples: 25_000, examplesTotal: 50_000, percent: 88.19 },
      { epoch: 1, examples: 10_000, examplesTotal: 50_000, percent: 91.2 },
    ];
    const slow = run(1, [point(0, 90.69)], { within, config: { ...DEFAULT_CONFIG, epochs: 3 } });
    const range = epochRange([slow]);
    expect(range).toEqual([-1, 2]);
    const data = chartData([slow], testAccuracy, () => '#000', range);
    expect(data.datasets[0].data.map((p) => [p.x, p.y])).toEqual([
      [-1, 10.14],
      [-0.5, 88.19],
      [0, 90.69],
      [0.2, 91.2],
    ]);
    // Only the epoch's point is marked (as a lone epoch's point is: larger).
    expect(data.datasets[0].pointRadius).toEqual([0, 0, 4, 0]);
    expect(data.latest).toEqual(['91.20%']);
    expect(chartSummary([slow], testAccuracy, [])).toBe(
      'Run 1 (784-30-10, η=3, batch 10): 90.69% after epoch 0, then 91.20% after 10,000 of 50,000 examples of epoch 1',
    );
    // Without measurements within epochs the axis starts at epoch 0, as the book's plots do.
    expect(epochRange([run(2, [point(0, 90)])])).toEqual([0, 1]);
  });
});
