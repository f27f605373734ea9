/**
 * A stalled run, named: the digits a network (almost) never answers on a labelled set. With N(0, 1)
 * weights, the quadratic cost and η = 3.0, some seeds drive output neurons into saturation, where
 * σ′(z) ≈ 0 and the quadratic cost's gradient (a − y)·σ′(z) all but vanishes (chapter 3's opening): the
 * neuron stays off and its digit is never read, however long the run trains. Pure.
 */
import { DIGITS } from './mnist-shape';

/** Below this share of a digit's examples, answering that digit counts as never reading it. */
export const NEVER_READ_SHARE = 0.01;

/**
 * The digits that `readings` answers fewer times than `share` of the examples whose `labels` are that
 * digit, in ascending order. A digit with no examples in `labels` is never listed.
 */
export function digitsNeverRead(readings: Uint8Array, labels: Uint8Array, share = NEVER_READ_SHARE): number[] {
  if (readings.length !== labels.length) throw new RangeError(`${readings.length} readings for ${labels.length} labels`);
  const answered = new Array<number>(DIGITS).fill(0);
  const present = new Array<number>(DIGITS).fill(0);
  for (let i = 0; i < labels.length; i++) {
    answered[readings[i]]++;
    present[labels[i]]++;
  }
  return answered.flatMap((count, digit) => (present[digit] > 0 && count < share * present[digit] ? [digit] : []));
}
