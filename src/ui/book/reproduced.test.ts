import { describe, expect, it } from 'vitest';
import { reproduced, reproductionOf } from './ReproduceBook';
import { BOOK_EXPERIMENTS } from '../../nn/book';
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

  it('finds an experiment’s latest reproduction among the runs, as a reload brings them back (fields in another order)', () => {
    const l2 = BOOK_EXPERIMENTS.find((e) => e.id === 'ch3-l2')!;
    const deep = BOOK_EXPERIMENTS.find((e) => e.id === 'ch5-deep')!;
    const reordered = (config: object) => Object.fromEntries(Object.entries(config).reverse());
    const run = (name: string, comparison: number | null, config: object) => ({ name, comparison, config }) as unknown as Run;
    const runs = [
      run('Run 1', 100, { ...l2.configs[0], seed: 1 }),
      run('Run 2', 100, { ...l2.configs[0], seed: 2 }),
      run('Run 3', 200, reordered({ ...l2.configs[0], seed: 1 })),
      // A comparison with one more network is not this experiment.
      run('Run 4', 300, { ...l2.configs[0], seed: 1 }),
      run('Run 5', 300, { ...l2.configs[0], hidden: [100], seed: 1 }),
      // Nor is a run alone, with the same settings.
      run('Run 6', null, { ...l2.configs[0], seed: 1 }),
      ...deep.configs.map((config, i) => run(`Run ${7 + i}`, 400, { ...config, seed: 1 })),
    ];
    expect(reproductionOf(l2, runs).map((r) => r.name)).toEqual(['Run 3']);
    expect(reproductionOf(deep, runs)).toHaveLength(4);
    // The deep networks without their 4-hidden-layer net are not all of it.
    expect(reproductionOf(deep, runs.slice(0, -1))).toEqual([]);
  });
});
