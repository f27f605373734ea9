/**
 * Whether the network is sure of its reading. Its ten outputs are sigmoids, each on its own (not shares of
 * one whole): a reading is a guess when no output is high, or when another is nearly as high.
 */

/** Below this the highest output is no answer ("is it a 4? about 0.3"). */
export const HIGH = 0.5;
/** A runner-up within this of the highest makes the reading a toss-up. */
export const CLOSE = 0.25;

export type Certainty =
  | { sure: true; digit: number; value: number }
  | { sure: false; why: 'none high'; digit: number; value: number }
  | { sure: false; why: 'two close'; digit: number; value: number; other: number; otherValue: number };

/** How sure the outputs `activations` (ten of them) are of their highest. */
export function certaintyOf(activations: ArrayLike<number>): Certainty {
  const order = Array.from(activations, (value, digit) => ({ value, digit })).sort((a, b) => b.value - a.value);
  const [first, second] = order;
  if (first.value < HIGH) return { sure: false, why: 'none high', digit: first.digit, value: first.value };
  if (first.value - second.value < CLOSE) {
    return { sure: false, why: 'two close', digit: first.digit, value: first.value, other: second.digit, otherValue: second.value };
  }
  return { sure: true, digit: first.digit, value: first.value };
}

/** The certainty in a sentence. */
export function certaintyWords(c: Certainty): string {
  const v = (x: number) => x.toFixed(2);
  if (c.sure) return `Sure: output ${c.digit} is ${v(c.value)}, well above the others.`;
  if (c.why === 'none high') return `Not sure: no output is high (the highest, ${c.digit}, is only ${v(c.value)}), so this is a guess.`;
  return `Not sure: ${c.digit} (${v(c.value)}) or ${c.other} (${v(c.otherValue)}), too close to call.`;
}
