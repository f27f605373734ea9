import { describe, expect, it } from 'vitest';
import { certaintyOf, certaintyWords } from './certainty';

const outputs = (values: Record<number, number>) => Array.from({ length: 10 }, (_, d) => values[d] ?? 0.01);

describe('how sure a reading is', () => {
  it('is sure when one output is high and the rest well below', () => {
    expect(certaintyWords(certaintyOf(outputs({ 7: 0.97, 9: 0.2 })))).toBe('Sure: output 7 is 0.97, well above the others.');
  });
  it('is a guess when no output is high', () => {
    expect(certaintyOf(outputs({ 4: 0.31, 9: 0.12 }))).toMatchObject({ sure: false, why: 'none high', digit: 4 });
    expect(certaintyWords(certaintyOf(outputs({ 4: 0.31 })))).toBe(
      'Not sure: no output is high (the highest, 4, is only 0.31), so this is a guess.',
    );
  });
  it('is a toss-up when two are high and close', () => {
    expect(certaintyWords(certaintyOf(outputs({ 4: 0.81, 9: 0.62 })))).toBe('Not sure: 4 (0.81) or 9 (0.62), too close to call.');
    // Just clear of the runner-up: sure.
    expect(certaintyOf(outputs({ 4: 0.9, 9: 0.64 })).sure).toBe(true);
  });
});
