/**
 * The fast path of network.py's update_mini_batch and SGD. Same algorithm and same update as the book;
 * laid out for speed: the first layer skips zero inputs and keeps its weights transposed, so that one
 * non-zero pixel touches one contiguous column, and a mini-batch needs no gradient buffers. Pure: no
 * DOM, no worker, no I/O; nothing is allocated per example.
 */
import type { Network } from './network';
import type { Dataset, TrainEvent } from './types';
import { exampleCost } from './cost';
import { argmax, sigmoid } from './math';
import { WasmTrainer, wasmKernelAvailable } from './wasm-trainer';

/** Options of {@link sgdEvents} and Network.SGD. */
export interface SgdOptions {
  /** Evaluated after each epoch, as the book's test_data. */
  test?: Dataset;
  /** Examples between two progress events (default 2000). */
  progressEvery?: number;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Which fast path: the WebAssembly SIMD kernel, this file's TypeScript, or 'auto' (wasm where available). */
  kernel?: KernelChoice;
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
}

export type KernelChoice = 'auto' | 'wasm' | 'js';

/** What sgdEvents needs of a fast path: SparseTrainer (TypeScript) or WasmTrainer (WebAssembly SIMD). */
export interface FastTrainer {
  /** Mini-batches over order[start .. end), each w ← decay·w − (η/m) Σ ∇w. */
  trainBatches(data: Dataset, order: Uint32Array, start: number, end: number, miniBatchSize: number, eta: number, decay: number): void;
  evaluate(data: Dataset): number;
  /** Correct classifications and the sum of C_x over `data` (no regularisation term). */
  measure(data: Dataset): { correct: number; costSum: number };
  /** The digit the network reads (argmax) for every example of `data`. */
  classify(data: Dataset): Uint8Array;
  /** False once a bias is NaN or infinite: a cheap check between chunks (NaN weights reach the biases within a step). */
  biasesAreFinite(): boolean;
  syncToNetwork(): void;
}

/** The fast path for `network`: the WebAssembly kernel when chosen or available, else TypeScript. */
export function createFastTrainer(network: Network, maxBatch: number, kernel: KernelChoice = 'auto'): FastTrainer {
  const useWasm = kernel === 'wasm' || (kernel === 'auto' && wasmKernelAvailable());
  return useWasm ? new WasmTrainer(network, maxBatch) : new SparseTrainer(network, maxBatch);
}

/** True when every weight and bias is a finite number (a run with too large an η can overflow). */
export function parametersAreFinite(network: Network): boolean {
  const finite = (a: Float32Array): boolean => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    return true;
  };
  return network.weights.every(finite) && network.biases.every(finite);
}

const defaultNow = (): number =>
  (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/**
 * Trains a Network in place. It owns a transposed copy of the first layer's weights, `w1T` (sizes[0] ×
 * sizes[1], row p = the weights leaving input p); every other parameter is the Network's own array.
 * Call {@link syncToNetwork} to write the first layer back into `network.weights[0]`.
 */
export class SparseTrainer implements FastTrainer {
  readonly network: Network;
  private readonly sizes: readonly number[];
  private readonly layers: number;
  private readonly w1T: Float32Array;
  /** activations[l]: the activations of layer l for each example slot of a batch (l ≥ 1). */
  private readonly activations: Float32Array[];
  /** deltas[l]: δ of layer l for each example slot (l ≥ 1). */
  private readonly deltas: Float32Array[];
  private readonly sums: Float64Array;
  private readonly maxBatch: number;

  constructor(network: Network, maxBatch: number) {
    this.network = network;
    this.sizes = network.sizes;
    this.layers = network.numLayers - 1;
    this.maxBatch = Math.max(1, maxBatch);
    const [n0, n1] = this.sizes;
    this.w1T = new Float32Array(n0 * n1);
    const w1 = network.weights[0];
    for (let j = 0; j < n1; j++) for (let p = 0; p < n0; p++) this.w1T[p * n1 + j] = w1[j * n0 + p];
    this.activations = this.sizes.map((n, l) => new Float32Array(l === 0 ? 0 : n * this.maxBatch));
    this.deltas = this.sizes.map((n, l) => new Float32Array(l === 0 ? 0 : n * this.maxBatch));
    this.sums = new Float64Array(Math.max(...this.sizes));
  }

  /** Write the trained first layer back into the Network's row-major `weights[0]`. */
  syncToNetwork(): void {
    const [n0, n1] = this.sizes;
    const w1 = this.network.weights[0];
    for (let j = 0; j < n1; j++) for (let p = 0; p < n0; p++) w1[j * n0 + p] = this.w1T[p * n1 + j];
  }

  /**
   * One step on the examples order[start .. end): w ← decay·w − (η/m) Σ_x ∇w C_x, b ← b − (η/m) Σ_x ∇b C_x,
   * with decay = 1 − ηλ/n (1 without regularisation). Every example's δ is computed from the batch's
   * starting weights before any weight changes, so the step is the book's exactly, without summing
   * gradients into separate buffers.
   */
  updateMiniBatch(data: Dataset, order: Uint32Array, start: number, end: number, eta: number, decay = 1): void {
    const m = end - start;
    if (m < 1 || m > this.maxBatch) throw new RangeError(`mini-batch of ${m} examples, expected 1..${this.maxBatch}`);
    for (let slot = 0; slot < m; slot++) {
      const i = order[start + slot];
      this.feedforwardSparse(data, i, slot);
      this.backpropDeltas(data.labels[i], slot);
    }
    if (decay !== 1) this.decayWeights(decay);
    this.applyUpdates(data, order, start, m, eta / m);
  }

  /** Chapter 3's weight decay, w ← (1 − ηλ/n) w, on every weight (biases are not regularised). */
  private decayWeights(decay: number): void {
    const scale = (w: Float32Array) => {
      for (let i = 0; i < w.length; i++) w[i] *= decay;
    };
    scale(this.w1T);
    for (let l = 1; l < this.layers; l++) scale(this.network.weights[l]);
  }

  /** Mini-batches of `miniBatchSize` over order[start .. end), one step each; the last may be smaller. */
  trainBatches(data: Dataset, order: Uint32Array, start: number, end: number, miniBatchSize: number, eta: number, decay = 1): void {
    for (let k = start; k < end; k += miniBatchSize) this.updateMiniBatch(data, order, k, Math.min(k + miniBatchSize, end), eta, decay);
  }

  /** Correct classifications on `data`: argmax of the output against the label. */
  evaluate(data: Dataset): number {
    return this.measure(data, false).correct;
  }

  biasesAreFinite(): boolean {
    return this.network.biases.every((b) => b.every(Number.isFinite));
  }

  classify(data: Dataset): Uint8Array {
    const nOut = this.sizes[this.layers];
    const out = this.activations[this.layers];
    const read = new Uint8Array(data.count);
    for (let i = 0; i < data.count; i++) {
      this.feedforwardSparse(data, i, 0);
      read[i] = argmax(out, 0, nOut);
    }
    return read;
  }

  measure(data: Dataset, withCost = true): { correct: number; costSum: number } {
    const nOut = this.sizes[this.layers];
    const out = this.activations[this.layers];
    let correct = 0;
    let costSum = 0;
    for (let i = 0; i < data.count; i++) {
      this.feedforwardSparse(data, i, 0);
      if (argmax(out, 0, nOut) === data.labels[i]) correct++;
      if (withCost) costSum += exampleCost(this.network.cost, out, data.labels[i], 0, nOut);
    }
    return { correct, costSum };
  }

  /** a^l = σ(w^l a^{l−1} + b^l) for example i into batch slot `slot`; the first layer sums only non-zero inputs. */
  private feedforwardSparse(data: Dataset, i: number, slot: number): void {
    const sizes = this.sizes;
    const n1 = sizes[1];
    const z = this.sums;
    const b1 = this.network.biases[0];
    for (let j = 0; j < n1; j++) z[j] = b1[j];
    const w1T = this.w1T;
    const { indices, values, scale } = data;
    for (let q = data.offsets[i], qEnd = data.offsets[i + 1]; q < qEnd; q++) {
      const x = values[q] * scale;
      const column = indices[q] * n1;
      for (let j = 0; j < n1; j++) z[j] += x * w1T[column + j];
    }
    const a1 = this.activations[1];
    const base1 = slot * n1;
    for (let j = 0; j < n1; j++) a1[base1 + j] = sigmoid(z[j]);

    for (let l = 2; l <= this.layers; l++) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const w = this.network.weights[l - 1];
      const b = this.network.biases[l - 1];
      const aIn = this.activations[l - 1];
      const aOut = this.activations[l];
      const inBase = slot * nIn;
      const outBase = slot * nOut;
      for (let j = 0; j < nOut; j++) {
        let s = b[j];
        const row = j * nIn;
        for (let k = 0; k < nIn; k++) s += w[row + k] * aIn[inBase + k];
        aOut[outBase + j] = sigmoid(s);
      }
    }
  }

  /** δ of every layer for the example in `slot`, from its activations and its label. */
  private backpropDeltas(label: number, slot: number): void {
    const L = this.layers;
    const sizes = this.sizes;
    const nOut = sizes[L];
    const aL = this.activations[L];
    const dL = this.deltas[L];
    const outBase = slot * nOut;
    const quadratic = this.network.cost === 'quadratic';
    for (let j = 0; j < nOut; j++) {
      const a = aL[outBase + j];
      // BP1: δ^L = (a − y) ⊙ σ'(z^L) with σ'(z) = a(1 − a) for the quadratic cost; a − y for cross-entropy.
      const error = a - (j === label ? 1 : 0);
      dL[outBase + j] = quadratic ? error * a * (1 - a) : error;
    }
    const s = this.sums;
    for (let l = L - 1; l >= 1; l--) {
      const n = sizes[l];
      const nNext = sizes[l + 1];
      const w = this.network.weights[l];
      const dNext = this.deltas[l + 1];
      const nextBase = slot * nNext;
      for (let k = 0; k < n; k++) s[k] = 0;
      // BP2: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), walking w's rows so memory is read in order.
      for (let j = 0; j < nNext; j++) {
        const dj = dNext[nextBase + j];
        const row = j * n;
        for (let k = 0; k < n; k++) s[k] += w[row + k] * dj;
      }
      const a = this.activations[l];
      const d = this.deltas[l];
      const base = slot * n;
      for (let k = 0; k < n; k++) {
        const ak = a[base + k];
        d[base + k] = s[k] * ak * (1 - ak);
      }
    }
  }

  /** BP3/BP4 summed over the batch and applied with step η/m. */
  private applyUpdates(data: Dataset, order: Uint32Array, start: number, m: number, step: number): void {
    const sizes = this.sizes;
    for (let l = 1; l <= this.layers; l++) {
      const n = sizes[l];
      const b = this.network.biases[l - 1];
      const d = this.deltas[l];
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let slot = 0; slot < m; slot++) sum += d[slot * n + j];
        b[j] -= step * sum;
      }
      if (l === 1) continue;
      const nIn = sizes[l - 1];
      const w = this.network.weights[l - 1];
      const aIn = this.activations[l - 1];
      for (let j = 0; j < n; j++) {
        const row = j * nIn;
        for (let slot = 0; slot < m; slot++) {
          const c = step * d[slot * n + j];
          const inBase = slot * nIn;
          for (let k = 0; k < nIn; k++) w[row + k] -= c * aIn[inBase + k];
        }
      }
    }
    // First layer: ∂C/∂w_jp = δ_j x_p is zero wherever x_p is, so only non-zero pixels' columns change.
    const n1 = sizes[1];
    const d1 = this.deltas[1];
    const w1T = this.w1T;
    const { indices, values, offsets, scale } = data;
    for (let slot = 0; slot < m; slot++) {
      const i = order[start + slot];
      const base = slot * n1;
      for (let q = offsets[i], qEnd = offsets[i + 1]; q < qEnd; q++) {
        const c = step * values[q] * scale;
        const column = indices[q] * n1;
        for (let j = 0; j < n1; j++) w1T[column + j] -= c * d1[base + j];
      }
    }
  }
}

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
): Generator<TrainEvent, void, void> {
  const n = trainingData.count;
  if (trainingData.inputSize !== network.sizes[0]) {
    throw new RangeError(`inputs have ${trainingData.inputSize} values, the network expects ${network.sizes[0]}`);
  }
  const now = options.now ?? defaultNow;
  // Progress comes between chunks of whole mini-batches, so the kernel runs long stretches uninterrupted.
  const batchesPerChunk = Math.max(1, Math.round((options.progressEvery ?? 2000) / miniBatchSize));
  const chunk = batchesPerChunk * miniBatchSize;
  const trainer = createFastTrainer(network, miniBatchSize, options.kernel);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const lambda = options.lambda ?? 0;
  const decay = 1 - (eta * lambda) / n;
  // network2.py's total_cost: the mean C_x over the data plus (λ/2·len(data)) Σ‖w‖².
  const totalCost = (costSum: number, count: number): number => {
    let squares = 0;
    if (lambda > 0) for (const w of network.weights) for (let i = 0; i < w.length; i++) squares += w[i] * w[i];
    return costSum / count + 0.5 * (lambda / count) * squares;
  };
  let bestValidation = options.bestValidation?.correct ?? -1;
  let bestEpoch = options.bestValidation?.epoch ?? -1;
  const startEpoch = options.startEpoch ?? 0;
  for (let epoch = 0; epoch < startEpoch; epoch++) network.rng.shuffle(order);

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    let elapsed = 0;
    let resumed = now();
    network.rng.shuffle(order);
    for (let k = 0; k < n; k += chunk) {
      const end = Math.min(k + chunk, n);
      trainer.trainBatches(trainingData, order, k, end, miniBatchSize, eta, decay);
      if (!trainer.biasesAreFinite()) {
        yield { kind: 'diverged', epoch };
        return;
      }
      if (end < n) {
        elapsed += now() - resumed;
        yield { kind: 'progress', epoch, examplesDone: end, examplesTotal: n, seconds: elapsed / 1000 };
        resumed = now();
      }
    }
    elapsed += now() - resumed;
    // The training part is done; the page shows "evaluating" while the measurements below run.
    yield { kind: 'progress', epoch, examplesDone: n, examplesTotal: n, seconds: elapsed / 1000 };
    trainer.syncToNetwork();
    if (!parametersAreFinite(network)) {
      yield { kind: 'diverged', epoch };
      return;
    }
    const evalStart = now();
    const test = options.test ? trainer.measure(options.test) : null;
    const training = options.monitorTraining ? trainer.measure(trainingData) : null;
    const validationCorrect = options.earlyStopping ? trainer.evaluate(options.earlyStopping.validation) : null;
    const evalSeconds = (now() - evalStart) / 1000;
    const seconds = elapsed / 1000;
    yield {
      kind: 'epoch',
      epoch,
      correct: test?.correct ?? null,
      total: options.test?.count ?? 0,
      testCost: test && options.test ? totalCost(test.costSum, options.test.count) : null,
      trainingCorrect: training?.correct ?? null,
      trainingCost: training ? totalCost(training.costSum, n) : null,
      trainingTotal: n,
      validationCorrect,
      seconds,
      evalSeconds,
      examplesPerSecond: seconds > 0 ? n / seconds : 0,
    };
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
