import { describe, expect, it } from 'vitest';
import { reproduced } from './ReproduceBook';
import type { Run } from '../runs/run';

describe('a reproduction of the book', () => {
  it('set our figures beside the book’s: best and last epoch, mean and range over the seeds, once every seed has finished', () => {
    const run = (seed: number, percents: number[], status: Run['status'] = 'finished') =>
      ({
        sizes: [784, 30, 10],
        status,
        accuracy: percents.map((percent, epoch) => ({ epoch, percent })),
        config: { seed },
      }) as unknown as Run;
    expect(reproduced([run(1, [90, 95.5, 95]), run(2, [91, 94.5])])).toEqual([
      '784-30-10: best 95.00% (94.50–95.50%), last 94.75% (94.50–95.00%) over 2 seeds',
    ]);
    expect(reproduced([run(1, [90]), run(2, [91], 'training')])).toEqual(['784-30-10: 1 of 2 seeds finished, training']);
  });
});
