/**
 * A stalled run, named: the digits a network reads right for fewer than half of their examples, and
 * among them those it (almost) never answers at all. With N(0, 1) weights, the quadratic cost and
 * η = 3.0, some seeds drive output neurons into saturation, where σ′(z) ≈ 0 and the quadratic cost's
 * gradient (a − y)·σ′(z) all but vanishes (chapter 3's opening): the neuron learns almost nothing and its
 * digit is hardly ever read right, however long the run trains. Pure.
 */
import { DIGITS } from './mnist-shape';

/** Below this share of a digit's examples, answering that digit counts as never reading it. */
export const NEVER_READ_SHARE = 0.01;

/** Per digit: how often it is answered, read right, and present in `labels`. */
function countsPerDigit(readings: Uint8Array, labels: Uint8Array): { answered: number[]; right: number[]; total: number[] } {
  if (readings.length !== labels.length) throw new RangeError(`${readings.length} readings for ${labels.length} labels`);
  const answered = new Array<number>(DIGITS).fill(0);
  const right = new Array<number>(DIGITS).fill(0);
  const total = new Array<number>(DIGITS).fill(0);
  for (let i = 0; i < labels.length; i++) {
    answered[readings[i]]++;
    total[labels[i]]++;
    if (readings[i] === labels[i]) right[labels[i]]++;
  }
  return { answered, right, total };
}

/**
 * The digits that `readings` answers fewer times than `share` of the examples whose `labels` are that
 * digit, in ascending order. A digit with no examples in `labels` is never listed.
 */
export function digitsNeverRead(readings: Uint8Array, labels: Uint8Array, share = NEVER_READ_SHARE): number[] {
  const { answered, total } = countsPerDigit(readings, labels);
  return answered.flatMap((count, digit) => (total[digit] > 0 && count < share * total[digit] ? [digit] : []));
}

/**
 * Below this share of a digit's examples read right, the run has stalled on that digit. Measured over
 * 784-30-10 and 784-100-10 with chapter 1's settings, ten seeds each, 30 epochs (README): every digit of a
 * healthy run is read right for 90.9% of its test digits or more, every digit a stalled run gave up on for
 * 1.1% or less; a half is far from both, and is what a student would call "does not read sevens".
 */
export const READ_RIGHT_SHARE = 0.5;

/** A digit read right for too few of its examples: how many of them, of how many. */
export interface BadlyRead {
  digit: number;
  right: number;
  total: number;
}

/**
 * The digits that `readings` gets right for fewer than `share` of the examples whose `labels` are that
 * digit, in ascending order, with the counts. A digit with no examples in `labels` is never listed.
 */
export function digitsReadBadly(readings: Uint8Array, labels: Uint8Array, share = READ_RIGHT_SHARE): BadlyRead[] {
  const { right, total } = countsPerDigit(readings, labels);
  return total.flatMap((count, digit) => (count > 0 && right[digit] < share * count ? [{ digit, right: right[digit], total: count }] : []));
}

/** Whether a run with these readings has stalled: some digit read right for too few of its examples. */
export function hasStalled(readings: Uint8Array, labels: Uint8Array): boolean {
  return digitsReadBadly(readings, labels).length > 0;
}
