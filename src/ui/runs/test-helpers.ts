/** What the runs' unit tests share: a network and a finished epoch as a training worker reports them. */
import type { ModelParameters, RunEvent } from '../../worker/protocol';

/** A 784-30-10 network of zeros, of the shapes its sizes ask for (as a kept run's check wants them). */
export const parameters: ModelParameters = {
  sizes: [784, 30, 10],
  weights: [new Float32Array(784 * 30), new Float32Array(30 * 10)],
  biases: [new Float32Array(30), new Float32Array(10)],
  cost: 'quadratic',
};

/** Epoch `n`'s report, with `correct` of the 10,000 test digits read right. */
export const epochEvent = (n: number, correct = 9000 + n): RunEvent => ({
  kind: 'epoch',
  epoch: n,
  correct,
  total: 10_000,
  testReadings: new Uint8Array(10_000),
  testCost: 0.1,
  trainingCorrect: null,
  trainingCost: null,
  trainingTotal: 50_000,
  validationCorrect: null,
  seconds: 0.2,
  evalSeconds: 0.02,
  examplesPerSecond: 250_000,
  parameters,
  neverReads: [],
  readsBadly: [],
});
