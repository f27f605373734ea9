/**
 * Teaching the network a person's own hand: their digits ("My digits", each a 28 × 28 input as the pad's
 * preprocessing made it, with the label they gave) join MNIST's training data for a few epochs of
 * fine-tuning. A handful of digits among 50,000 would hardly count, so each is repeated, every copy after
 * the first slightly distorted (distort.ts), until the personal set weighs about 1,000 examples. Pure.
 */
import type { Dataset, PersonalDigits } from './types';
import { concatDatasets, SparseBuilder } from './dataset';
import { DistortScratch, distortDigit } from './distort';
import { INPUTS, PIXEL_SCALE } from './mnist-shape';
import { Rng } from './rng';
import { personalRepeats } from './config';

export type { PersonalDigits };

/** Copies of each personal digit after the first are distorted, more gently than the training option's default. */
const COPY_STRENGTH = 0.7;

/** Check a personal set's shape: 784 bytes per digit, labels 0–9. */
export function checkPersonalDigits(digits: PersonalDigits): void {
  if (digits.pixels.length !== digits.labels.length * INPUTS) {
    throw new RangeError(`${digits.pixels.length} pixel bytes do not make ${digits.labels.length} digits of ${INPUTS}`);
  }
  for (const label of digits.labels) if (label > 9) throw new RangeError(`a digit is labelled ${label}, not 0–9`);
}

/** The personal digits as a Dataset, as they are (for measuring how many the network reads right). */
export function personalDataset(digits: PersonalDigits): Dataset {
  checkPersonalDigits(digits);
  const builder = new SparseBuilder(INPUTS, PIXEL_SCALE, Math.max(1, digits.labels.length));
  builder.push(digits.pixels);
  return builder.finish(digits.labels.slice());
}

/**
 * MNIST's training data followed by the personal digits, each `repeatsFor(count)` times: the digit as it
 * is, then distorted copies drawn from `seed`. Fine-tuning shuffles them together each epoch.
 */
export function withPersonalDigits(training: Dataset, digits: PersonalDigits, seed: number): Dataset {
  checkPersonalDigits(digits);
  const count = digits.labels.length;
  if (count === 0) return training;
  const repeats = personalRepeats(count);
  const rng = new Rng(seed);
  const scratch = new DistortScratch();
  const builder = new SparseBuilder(INPUTS, PIXEL_SCALE, count * repeats);
  const labels = new Uint8Array(count * repeats);
  const copy = new Uint8Array(INPUTS);
  for (let i = 0; i < count; i++) {
    const pixels = digits.pixels.subarray(i * INPUTS, (i + 1) * INPUTS);
    for (let r = 0; r < repeats; r++) {
      if (r === 0) copy.set(pixels);
      else distortDigit(pixels, copy, rng, COPY_STRENGTH, scratch);
      builder.push(copy);
      labels[i * repeats + r] = digits.labels[i];
    }
  }
  return concatDatasets(training, builder.finish(labels));
}
