/**
 * The epoch driver: network.py's SGD over a fast path (kernels.ts). Each epoch shuffles the training
 * data with the network's generator, trains mini-batch after mini-batch, and measures the network; the
 * caller sees it as events, and may pause between them (the worker does, to hear stop()). Pure: no DOM,
 * no worker, no I/O.
 */
import type { Network } from './network';
import type { Dataset, Examples, Trainer, TrainEvent } from './types';
import { EXAMPLE_MASK, readOrderedInput, trainingOrder } from './dataset';
import { trainerFor, type KernelChoice } from './kernels';
import { DistortedCopy, distortionSeed } from './distort';
import type { TrainConfig } from './config';

/** Options of {@link sgdEvents} and {@link runSgd}. */
export interface SgdOptions {
  /** Evaluated after each epoch, as the book's test_data. */
  test?: Dataset;
  /** Examples between two progress events (default 2000). */
  progressEvery?: number;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Which fast path (kernels.ts): a WebAssembly build ('relaxed', 'simd', or 'wasm' for the best), 'js', or 'auto'. */
  kernel?: KernelChoice;
  /**
   * Chapter 3's expanded training data: each example also moved by one pixel in each direction, five
   * times as many examples an epoch, made on the fly (dataset.ts's trainingOrder); n in the L2 decay counts them.
   */
  expand?: boolean;
  /**
   * Distort the training data: each epoch trains on a fresh copy of it in which every digit is redrawn
   * with a small random rotation, scaling, shear, shift, elastic warp and stroke change (distort.ts), of
   * `strength` (1 is the default size), seeded by `seed` and the epoch.
   */
  distort?: { strength: number; seed: number };
  /** Chapter 3's L2 regularisation λ: each step first scales the weights by 1 − ηλ/n. */
  lambda?: number;
  /** Measure cost and accuracy on the training data after each epoch too (network2's monitor_training_*). */
  monitorTraining?: boolean;
  /** Stop after `patience` epochs without a better accuracy on `validation` (network2's early stopping). */
  earlyStopping?: { validation: Dataset; patience: number };
  /**
   * Continue a run whose epochs 0 .. startEpoch − 1 are done and whose parameters the network already
   * holds (a run resumed after a reload). The network's generator must be where those epochs began,
   * as a new Network with the run's seed leaves it: their shuffles are replayed, so the continued run
   * trains on the same order, and gives the same numbers, as one that was never interrupted.
   */
  startEpoch?: number;
  /** Early stopping's best validation count so far when continuing (its epoch and count). */
  bestValidation?: { epoch: number; correct: number };
  /**
   * Examples of epoch `startEpoch` already trained (a run paused, or stopped, between two mini-batches):
   * that epoch's shuffle is made again and training picks up at this example, as if it had never stopped.
   */
  startExample?: number;
  /** The first stretch of training (later ones are asked for through next(); see {@link Stretch}). */
  firstStretch?: Stretch;
}

/**
 * What the caller asks of the next stretch of training: the value it passes to the generator's next()
 * (none: the usual chunk). This is how a run is paced, paused and stepped one mini-batch at a time.
 */
export interface Stretch {
  /** Mini-batches to train before the next progress event (0: none), never past the epoch's end. */
  batches?: number;
  /** Bring the network's weights up to date before that event (the fast paths train on their own copy). */
  sync?: boolean;
  /** Send the stretch's examples with that event (to show a stepped mini-batch). */
  examples?: boolean;
  /**
   * Measure the test data where the stretch ends, mid-epoch (the event's `testCorrect`): learning within an
   * epoch, drawn on the chart. It reads the fast path's own copy of the weights and changes nothing.
   */
  measure?: boolean;
}

/** The examples at `order[from … to)` of `data`, as inputs and labels. */
function examplesAt(data: Dataset, order: Uint32Array, from: number, to: number): Examples {
  const size = data.inputSize;
  const inputs = new Float32Array((to - from) * size);
  const labels = new Uint8Array(to - from);
  for (let e = from; e < to; e++) {
    readOrderedInput(data, order[e], inputs.subarray((e - from) * size, (e - from + 1) * size));
    labels[e - from] = data.labels[order[e] & EXAMPLE_MASK];
  }
  return { inputs, labels };
}

/**
 * A run's settings as SGD's options: chapter 3's λ, monitoring, expanded or distorted data and early
 * stopping (on `validation`), measured on `test`. The one mapping from the form's settings to the engine,
 * for the worker and the command line alike.
 */
export function sgdOptionsFor(config: TrainConfig, sets: { test?: Dataset; validation?: Dataset } = {}): SgdOptions {
  return {
    test: sets.test,
    lambda: config.lambda,
    monitorTraining: config.monitorTraining,
    expand: config.expand,
    distort: config.distort ? { strength: config.distortion, seed: config.seed } : undefined,
    earlyStopping:
      config.earlyStopping > 0 && sets.validation ? { validation: sets.validation, patience: config.earlyStopping } : undefined,
  };
}

/** True when every weight and bias is a finite number (a run with too large an η can overflow). */
function parametersAreFinite(network: Network): boolean {
  const finite = (a: Float32Array): boolean => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    return true;
  };
  return network.weights.every(finite) && network.biases.every(finite);
}

/** network2.py's total_cost: the mean C_x over the data plus (λ/2·len(data)) Σ‖w‖². */
function totalCostOf(network: Network, lambda: number, costSum: number, count: number): number {
  let squares = 0;
  if (lambda > 0) for (const w of network.weights) for (let i = 0; i < w.length; i++) squares += w[i] * w[i];
  return costSum / count + 0.5 * (lambda / count) * squares;
}

/** The measurements after an epoch: the test data (count, readings and cost), the training data when monitored, the validation count for early stopping. */
function measureEpoch(trainer: Trainer, trainingData: Dataset, options: SgdOptions, totalCost: (costSum: number, count: number) => number) {
  const testReadings = options.test ? new Uint8Array(options.test.count) : null;
  const test = options.test ? trainer.measure(options.test, testReadings!) : null;
  const training = options.monitorTraining ? trainer.measure(trainingData) : null;
  return {
    correct: test?.correct ?? null,
    total: options.test?.count ?? 0,
    testReadings,
    testCost: test && options.test ? totalCost(test.costSum, options.test.count) : null,
    trainingCorrect: training?.correct ?? null,
    trainingCost: training ? totalCost(training.costSum, trainingData.count) : null,
    validationCorrect: options.earlyStopping ? trainer.evaluate(options.earlyStopping.validation) : null,
  };
}

const defaultNow = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/**
 * network.py's SGD as a generator: it yields `progress` events as it trains and an `epoch` event after
 * each epoch (with the test count when `options.test` is given), so a caller can pause between events
 * (the worker does, to receive stop()). Time spent outside the generator is not counted.
 */
export function* sgdEvents(
  network: Network,
  trainingData: Dataset,
  epochs: number,
  miniBatchSize: number,
  eta: number,
  options: SgdOptions = {},
): Generator<TrainEvent, void, Stretch | undefined> {
  const order = trainingOrder(trainingData.count, options.expand);
  const n = order.length;
  if (trainingData.inputSize !== network.sizes[0]) {
    throw new RangeError(`inputs have ${trainingData.inputSize} values, the network expects ${network.sizes[0]}`);
  }
  const now = options.now ?? defaultNow;
  // Progress comes between chunks of whole mini-batches, so the kernel runs long stretches uninterrupted.
  const batchesPerChunk = Math.max(1, Math.round((options.progressEvery ?? 2000) / miniBatchSize));
  const chunk = batchesPerChunk * miniBatchSize;
  const trainer = trainerFor(network, miniBatchSize, options.kernel);
  const lambda = options.lambda ?? 0;
  const decay = 1 - (eta * lambda) / n;
  const totalCost = (costSum: number, count: number): number => totalCostOf(network, lambda, costSum, count);
  let bestValidation = options.bestValidation?.correct ?? -1;
  let bestEpoch = options.bestValidation?.epoch ?? -1;
  const startEpoch = options.startEpoch ?? 0;
  for (let epoch = 0; epoch < startEpoch; epoch++) network.rng.shuffle(order);
  /** What the caller asked for at the last event. */
  let stretch: Stretch | undefined = options.firstStretch;

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    let elapsed = 0;
    let resumed = now();
    network.rng.shuffle(order);
    let epochData = trainingData;
    if (options.distort) {
      // Redrawn a chunk at a time, counted as training time, with progress (still 0 examples) between chunks.
      const copy = new DistortedCopy(trainingData, options.distort.strength, distortionSeed(options.distort.seed, epoch));
      while (!copy.done) {
        copy.make(chunk);
        elapsed += now() - resumed;
        stretch = yield { kind: 'progress', epoch, examplesDone: 0, examplesTotal: n, seconds: elapsed / 1000 };
        resumed = now();
      }
      epochData = copy.finish();
    }
    /** The examples of the last stretch, when asked for. */
    let examples: Examples | undefined;
    for (let k = epoch === startEpoch ? (options.startExample ?? 0) : 0; k < n;) {
      const end = Math.min(k + (stretch?.batches === undefined ? chunk : stretch.batches * miniBatchSize), n);
      trainer.trainBatches(epochData, order, k, end, miniBatchSize, eta, decay);
      if (!trainer.biasesAreFinite()) {
        yield { kind: 'diverged', epoch };
        return;
      }
      if (stretch?.sync) trainer.syncToNetwork();
      examples = stretch?.examples ? examplesAt(epochData, order, k, end) : undefined;
      k = end;
      if (end < n) {
        elapsed += now() - resumed;
        // Measured outside the training time: the epoch's seconds stay the training's alone.
        const testCorrect = stretch?.measure && options.test ? trainer.evaluate(options.test) : undefined;
        stretch = yield {
          kind: 'progress',
          epoch,
          examplesDone: end,
          examplesTotal: n,
          seconds: elapsed / 1000,
          ...(examples && { examples }),
          ...(testCorrect !== undefined && { testCorrect }),
        };
        resumed = now();
      }
    }
    elapsed += now() - resumed;
    // The training part is done; the page shows "evaluating" while the measurements below run (what the
    // caller asks here is asked again at the epoch's event).
    yield { kind: 'progress', epoch, examplesDone: n, examplesTotal: n, seconds: elapsed / 1000, ...(examples && { examples }) };
    trainer.syncToNetwork();
    if (!parametersAreFinite(network)) {
      yield { kind: 'diverged', epoch };
      return;
    }
    const evalStart = now();
    const measured = measureEpoch(trainer, trainingData, options, totalCost);
    const seconds = elapsed / 1000;
    stretch = yield {
      kind: 'epoch',
      epoch,
      ...measured,
      trainingTotal: trainingData.count,
      seconds,
      evalSeconds: (now() - evalStart) / 1000,
      examplesPerSecond: seconds > 0 ? n / seconds : 0,
    };
    const { validationCorrect } = measured;
    if (options.earlyStopping && validationCorrect !== null) {
      if (validationCorrect > bestValidation) {
        bestValidation = validationCorrect;
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= options.earlyStopping.patience) {
        yield { kind: 'early-stop', epoch, bestEpoch, bestCorrect: bestValidation, total: options.earlyStopping.validation.count };
        return;
      }
    }
  }
}

/** network.py's SGD on the fast path, all at once: every event goes to `options.onEvent`. */
export function runSgd(
  network: Network,
  trainingData: Dataset,
  epochs: number,
  miniBatchSize: number,
  eta: number,
  options: SgdOptions & { onEvent?: (event: TrainEvent) => void } = {},
): void {
  for (const event of sgdEvents(network, trainingData, epochs, miniBatchSize, eta, options)) options.onEvent?.(event);
}
