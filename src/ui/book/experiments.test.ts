import { describe, expect, it } from 'vitest';
import { parseTrainConfig, settingTexts } from '../../nn/settings';
import { BOOK_EXPERIMENTS } from './experiments';
import { reproduced } from './ReproduceBook';
import type { Run } from '../runs/run';

describe("the book's experiments", () => {
  it('each has settings the form accepts as they are, a chapter link, and the book’s figure', () => {
    expect(BOOK_EXPERIMENTS.length).toBeGreaterThanOrEqual(12);
    for (const experiment of BOOK_EXPERIMENTS) {
      for (const config of experiment.configs) {
        const parsed = parseTrainConfig(settingTexts(config));
        expect(parsed.ok, `${experiment.id}: ${JSON.stringify(parsed)}`).toBe(true);
        if (parsed.ok) expect(parsed.value).toEqual(config);
      }
      expect(experiment.url).toMatch(new RegExp(`^http://neuralnetworksanddeeplearning\\.com/chap${experiment.chapter}\\.html#`));
      expect(experiment.book.length).toBeGreaterThan(0);
    }
    expect(new Set(BOOK_EXPERIMENTS.map((e) => e.id)).size).toBe(BOOK_EXPERIMENTS.length);
  });

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
