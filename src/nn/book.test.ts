import { describe, expect, it } from 'vitest';
import { parseTrainConfig, settingTexts } from './settings';
import { BOOK_EXPERIMENTS } from './book';

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
});
