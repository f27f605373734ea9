/**
 * network3.py's SGD over a chapter 6 network: mini-batches in the data's order (network3.py never shuffles;
 * the expanded data is shuffled once, as expand_mnist.py does), and after each epoch the validation
 * accuracy, with the test accuracy measured too (network3.py measures it when the validation accuracy is
 * the best so far; the book's figures are those). Yields progress between chunks of mini-batches, so a
 * caller can stop, pause or report.
 */
import { EXAMPLE_MASK, readOrderedInput, sliceDataset, trainingOrder } from '../dataset';
import type { Dataset, TrainEvent } from '../types';
import type { Stretch } from '../sgd';
import type { Network3 } from './network3';
import { Network3Wasm, bestNetwork3Build } from './network3-wasm';
import { sizeOf } from './layers';

/** What trains: the TypeScript path (the network itself) or the WebAssembly kernel over it. */
export type Network3Trainer = Pick<Network3, 'updateMiniBatch' | 'evaluate' | 'feedforward'> & { syncToNetwork?(): void };

export type Network3Kernel = 'auto' | 'wasm' | 'js';

/**
 * The fastest path here for `net`: the WebAssembly kernel where the host runs it (unless 'js' is asked for);
 * 'relaxed' or 'simd' asks for that build of it (the page's kernel choice, as chapter 1's kernels.ts names them).
 */
export function network3Trainer(
  net: Network3,
  miniBatchSize: number,
  kernel: Network3Kernel | 'relaxed' | 'simd' = 'auto',
): Network3Trainer {
  if (kernel === 'js') return net;
  const best = bestNetwork3Build();
  if (kernel === 'relaxed' || kernel === 'simd') {
    if (!best || (kernel === 'relaxed' && best !== 'relaxed'))
      throw new Error(`WebAssembly ${kernel === 'relaxed' ? 'relaxed ' : ''}SIMD is not available here`);
    return new Network3Wasm(net, miniBatchSize, kernel);
  }
  if (best) return new Network3Wasm(net, miniBatchSize);
  if (kernel === 'wasm') throw new Error('WebAssembly SIMD is not available here');
  return net;
}

/** Options of {@link network3Events}. */
export interface Network3RunOptions {
  /** Measured after each epoch (the count and each digit's reading), as network3.py's test_data. */
  test?: Dataset;
  /** Measured after each epoch too, as network3.py's validation_data. */
  validation?: Dataset;
  lambda?: number;
  expand?: boolean;
  /**
   * Shuffle the training data each epoch with the network's generator (network.py's way; network3.py never
   * shuffles). Fine-tuning needs it: the person's digits come after MNIST's, and would otherwise all come last.
   */
  shuffle?: boolean;
  /** Examples between two progress events when the caller asks for no stretch (whole mini-batches). */
  progressEvery?: number;
  /**
   * Learning within an epoch: every this many examples, the first {@link WITHIN_DIGITS} test digits are read
   * (an epoch of a convolutional network takes many seconds, so its climb is drawn within the epoch).
   */
  measureEvery?: number;
  kernel?: Network3Kernel | 'relaxed' | 'simd';
  now?: () => number;
  /** Continue a run whose epochs before this are done, the network holding their parameters (its generator where the run began). */
  startEpoch?: number;
  /** Examples of epoch `startEpoch` already trained. */
  startExample?: number;
  /** The first stretch of training; later ones come through next() (sgd.ts's {@link Stretch}). */
  firstStretch?: Stretch;
}

/** The test digits read for a measurement within an epoch: a tenth of the test set, about 0.2 s of a convolutional network's time. */
export const WITHIN_DIGITS = 1000;

const finite = (a: Float32Array): boolean => a.every(Number.isFinite);

/**
 * network3.py's SGD over a chapter 6 network, as the same events as chapter 1's sgdEvents (sgd.ts), so the
 * page's worker drives both alike: progress between stretches of mini-batches (the caller says how long
 * each is, syncs the network and asks for a measurement through next()), and an epoch event with the test
 * count and each digit's reading. Whole mini-batches only, as network3.py; the expanded data is shuffled once.
 */
export function* network3Events(
  net: Network3,
  training: Dataset,
  epochs: number,
  miniBatchSize: number,
  eta: number,
  options: Network3RunOptions = {},
): Generator<TrainEvent, void, Stretch | undefined> {
  const now = options.now ?? (() => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now());
  const trainer = network3Trainer(net, miniBatchSize, options.kernel);
  const order = trainingOrder(training.count, options.expand);
  if (options.expand) net.rng.shuffle(order);
  const batches = Math.floor(order.length / miniBatchSize);
  const n = batches * miniBatchSize;
  const lambda = options.lambda ?? 0;
  const size = sizeOf(net.input);
  const inputs = new Float32Array(miniBatchSize * size);
  const labels = new Uint8Array(miniBatchSize);
  const chunk = Math.max(1, Math.round((options.progressEvery ?? 1000) / miniBatchSize));
  const measureEvery = options.measureEvery ?? 0;
  const withinTest = options.test && sliceDataset(options.test, 0, Math.min(WITHIN_DIGITS, options.test.count));
  const startEpoch = options.startEpoch ?? 0;
  let stretch = options.firstStretch;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (options.shuffle) net.rng.shuffle(order);
    if (epoch < startEpoch) continue;
    let seconds = 0;
    for (let batch = epoch === startEpoch ? Math.floor((options.startExample ?? 0) / miniBatchSize) : 0; batch < batches;) {
      const started = now();
      const end = Math.min(batches, batch + (stretch?.batches ?? chunk));
      const before = batch * miniBatchSize;
      for (; batch < end; batch++) {
        for (let e = 0; e < miniBatchSize; e++) {
          const code = order[batch * miniBatchSize + e];
          readOrderedInput(training, code, inputs.subarray(e * size, (e + 1) * size));
          labels[e] = training.labels[code & EXAMPLE_MASK];
        }
        trainer.updateMiniBatch(inputs, labels, eta, lambda, batches);
      }
      seconds += (now() - started) / 1000;
      if (batch === batches) break;
      if (stretch?.sync) trainer.syncToNetwork?.();
      const done = batch * miniBatchSize;
      const measure =
        withinTest && (stretch?.measure || (measureEvery > 0 && Math.floor(done / measureEvery) > Math.floor(before / measureEvery)));
      const testCorrect = measure ? trainer.evaluate(withinTest) : undefined;
      // A stepped mini-batch: its examples (the buffers hold the stretch's last mini-batch, the step's one).
      const examples = stretch?.examples ? { inputs: inputs.slice(), labels: labels.slice() } : undefined;
      stretch = yield {
        kind: 'progress',
        epoch,
        examplesDone: done,
        examplesTotal: n,
        seconds,
        ...(testCorrect !== undefined && withinTest && { testCorrect, testTotal: withinTest.count }),
        ...(examples && { examples }),
      };
    }
    // The training part is done; the measurements follow.
    yield { kind: 'progress', epoch, examplesDone: n, examplesTotal: n, seconds };
    trainer.syncToNetwork?.();
    if (!net.parameters.every(({ w, b }) => finite(w) && finite(b))) {
      yield { kind: 'diverged', epoch };
      return;
    }
    const evalStart = now();
    const testReadings = options.test ? new Uint8Array(options.test.count) : null;
    const correct = options.test ? trainer.evaluate(options.test, testReadings!) : null;
    const validationCorrect = options.validation ? trainer.evaluate(options.validation) : null;
    stretch = yield {
      kind: 'epoch',
      epoch,
      correct,
      total: options.test?.count ?? 0,
      testReadings,
      testCost: null,
      trainingCorrect: null,
      trainingCost: null,
      trainingTotal: training.count,
      validationCorrect,
      seconds,
      evalSeconds: (now() - evalStart) / 1000,
      examplesPerSecond: seconds > 0 ? n / seconds : 0,
    };
  }
}

export type Network3Event =
  | { kind: 'progress'; epoch: number; examplesDone: number; examplesTotal: number; seconds: number }
  | {
      kind: 'epoch';
      epoch: number;
      validationCorrect: number;
      validationTotal: number;
      testCorrect: number;
      testTotal: number;
      /** Whether the validation accuracy is the best so far (ties included, as network3.py counts them). */
      best: boolean;
      /** The epoch's training time (the measurements after it not included). */
      seconds: number;
    };

/**
 * network3.py's SGD as the command line prints it: {@link network3Events} with the validation and the
 * test data measured after each epoch, and whether the validation accuracy is the best so far. (network3.py
 * measures the test data only at a best epoch; its figures are those.)
 */
export function* network3Sgd(
  net: Network3,
  training: Dataset,
  epochs: number,
  miniBatchSize: number,
  eta: number,
  validation: Dataset,
  test: Dataset,
  options: Pick<Network3RunOptions, 'lambda' | 'expand' | 'shuffle' | 'progressEvery' | 'kernel' | 'now'> = {},
): Generator<Network3Event, void, void> {
  let bestValidation = -1;
  for (const event of network3Events(net, training, epochs, miniBatchSize, eta, { ...options, test, validation })) {
    if (event.kind === 'progress') {
      if (event.examplesDone < event.examplesTotal) yield event;
    } else if (event.kind === 'epoch') {
      const validationCorrect = event.validationCorrect ?? 0;
      const best = validationCorrect >= bestValidation;
      if (best) bestValidation = validationCorrect;
      yield {
        kind: 'epoch',
        epoch: event.epoch,
        validationCorrect,
        validationTotal: validation.count,
        testCorrect: event.correct ?? 0,
        testTotal: test.count,
        best,
        seconds: event.seconds,
      };
    } else if (event.kind === 'diverged') {
      throw new Error(`epoch ${event.epoch}: the weights are no longer numbers`);
    }
  }
}
