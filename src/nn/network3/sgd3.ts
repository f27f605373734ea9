/**
 * network3.py's SGD over a chapter 6 network: mini-batches in the data's order (network3.py never shuffles;
 * the expanded data is shuffled once, as expand_mnist.py does), and after each epoch the validation
 * accuracy, with the test accuracy measured too (network3.py measures it when the validation accuracy is
 * the best so far; the book's figures are those). Yields progress between chunks of mini-batches, so a
 * caller can stop, pause or report.
 */
import { EXAMPLE_MASK, readOrderedInput, trainingOrder } from '../dataset';
import type { Dataset } from '../types';
import type { Network3 } from './network3';
import { Network3Wasm, bestNetwork3Build } from './network3-wasm';
import { sizeOf } from './layers';

/** What trains: the TypeScript path (the network itself) or the WebAssembly kernel over it. */
export type Network3Trainer = Pick<Network3, 'updateMiniBatch' | 'evaluate' | 'feedforward'> & { syncToNetwork?(): void };

export type Network3Kernel = 'auto' | 'wasm' | 'js';

/** The fastest path here for `net`: the WebAssembly kernel where the host runs it (unless 'js' is asked for). */
export function network3Trainer(net: Network3, miniBatchSize: number, kernel: Network3Kernel = 'auto'): Network3Trainer {
  if (kernel === 'js') return net;
  if (bestNetwork3Build()) return new Network3Wasm(net, miniBatchSize);
  if (kernel === 'wasm') throw new Error('WebAssembly SIMD is not available here');
  return net;
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

export interface Network3Options {
  lambda?: number;
  expand?: boolean;
  /** Examples between two progress events (whole mini-batches). */
  progressEvery?: number;
  kernel?: Network3Kernel;
  now?: () => number;
}

export function* network3Sgd(
  net: Network3,
  training: Dataset,
  epochs: number,
  miniBatchSize: number,
  eta: number,
  validation: Dataset,
  test: Dataset,
  options: Network3Options = {},
): Generator<Network3Event, void, void> {
  const now = options.now ?? (() => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now());
  const trainer = network3Trainer(net, miniBatchSize, options.kernel);
  const order = trainingOrder(training.count, options.expand);
  if (options.expand) net.rng.shuffle(order);
  // network3.py trains on whole mini-batches only: a remainder is left out.
  const batches = Math.floor(order.length / miniBatchSize);
  const n = batches * miniBatchSize;
  const lambda = options.lambda ?? 0;
  const size = sizeOf(net.input);
  const inputs = new Float32Array(miniBatchSize * size);
  const labels = new Uint8Array(miniBatchSize);
  const chunk = Math.max(1, Math.round((options.progressEvery ?? 1000) / miniBatchSize));
  let bestValidation = -1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let seconds = 0;
    for (let batch = 0; batch < batches;) {
      const started = now();
      const end = Math.min(batches, batch + chunk);
      for (; batch < end; batch++) {
        for (let e = 0; e < miniBatchSize; e++) {
          const code = order[batch * miniBatchSize + e];
          readOrderedInput(training, code, inputs.subarray(e * size, (e + 1) * size));
          labels[e] = training.labels[code & EXAMPLE_MASK];
        }
        trainer.updateMiniBatch(inputs, labels, eta, lambda, batches);
      }
      seconds += (now() - started) / 1000;
      if (batch < batches) yield { kind: 'progress', epoch, examplesDone: batch * miniBatchSize, examplesTotal: n, seconds };
    }
    trainer.syncToNetwork?.();
    const validationCorrect = trainer.evaluate(validation);
    const testCorrect = trainer.evaluate(test);
    const best = validationCorrect >= bestValidation;
    if (best) bestValidation = validationCorrect;
    yield { kind: 'epoch', epoch, validationCorrect, validationTotal: validation.count, testCorrect, testTotal: test.count, best, seconds };
  }
}
