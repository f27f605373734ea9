import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../nn/config';
import type { EpochPoint } from '../run';
import type { KeptRun } from './run-store';
import { statusNow } from './use-other-tabs';

const point = (epoch: number): EpochPoint => ({
  epoch,
  percent: 90,
  correct: 9000,
  total: 10_000,
  testCost: null,
  trainingPercent: null,
  trainingCost: null,
  validationCorrect: null,
  seconds: 0.1,
});

/** A record as a tab that trained `epochs` of `of` epochs left it: still marked training. */
const leftAt = (epochs: number, of: number): KeptRun => ({
  key: 'k',
  createdAt: 1,
  number: 1,
  config: { ...DEFAULT_CONFIG, epochs: of },
  sizes: [784, 30, 10],
  status: 'training',
  accuracy: Array.from({ length: epochs }, (_, i) => point(i)),
  trainingSeconds: 0,
  examplesPerSecond: 0,
  evalSeconds: 0,
  parameters: { sizes: [784, 30, 10], weights: [], biases: [], cost: 'quadratic' },
  source: null,
  hidden: false,
  comparison: null,
  tuning: null,
});

describe('statusNow', () => {
  it('calls a run whose last epoch was kept finished, though its tab went before writing its end', async () => {
    expect(await statusNow(leftAt(30, 30))).toBe('finished');
    // One epoch short, with no tab training it (no Web Locks here: nobody can say it trains): interrupted.
    expect(await statusNow(leftAt(29, 30))).toBe('interrupted');
    expect(await statusNow({ ...leftAt(3, 30), status: 'stopped' })).toBe('stopped');
  });
});
