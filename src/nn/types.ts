/** Shared engine types: datasets, parameters, training events and the fast paths' interface. Pure types, no runtime code. */
import type { CostName } from './cost';

/**
 * A labelled set of examples stored compactly: for each example only its non-zero input values,
 * as bytes. Input p of example i is `values[k] * scale` for the k in `offsets[i] .. offsets[i+1]`
 * with `indices[k] === p`, and 0 otherwise. MNIST uses scale = 1/256 (the book's byte / 256), which
 * is exact in float32. About 81% of MNIST pixels are zero, so this is a fifth of the dense bytes and
 * lets the first layer skip the zeros.
 */
export interface Dataset {
  /** Number of examples. */
  count: number;
  /** Length of each input vector (784 for MNIST). */
  inputSize: number;
  /** Multiplier from stored byte to input value. */
  scale: number;
  /** count + 1 offsets into indices/values. */
  offsets: Uint32Array;
  /** Input positions of the non-zero values, ascending within an example. */
  indices: Uint16Array;
  /** Non-zero input values as bytes. */
  values: Uint8Array;
  /** Class of each example, 0 .. outputs − 1 (the digit). */
  labels: Uint8Array;
  /**
   * Used for a while and then replaced by another (an epoch's distorted copy of the training data): a fast
   * path that copies datasets into memory of its own reuses one place for such sets instead of keeping each.
   */
  transient?: boolean;
}

/** A person's own digits (nn/teach.ts): `labels.length` inputs of 784 bytes (byte / 256 is the input), back to back. */
export interface PersonalDigits {
  pixels: Uint8Array;
  labels: Uint8Array;
}

/**
 * A network's parameters in the engine's layout (see Network), as they travel between the engine, the
 * workers, the page and model files: weights[l] is sizes[l+1] × sizes[l], row-major; biases[l] has sizes[l+1].
 */
export interface ModelParameters {
  sizes: readonly number[];
  weights: Float32Array[];
  biases: Float32Array[];
  cost: CostName;
}

/** What SGD reports while it runs. */
export type TrainEvent =
  | {
      kind: 'progress';
      epoch: number;
      /** Examples of this epoch trained so far. */
      examplesDone: number;
      examplesTotal: number;
      /** Seconds of training in this epoch so far. */
      seconds: number;
      /** The examples of the stretch just trained, when the caller asked for them (a stepped mini-batch). */
      examples?: Examples;
      /** Test digits read right here, mid-epoch, when the caller asked (Stretch.measure). */
      testCorrect?: number;
      /** Of how many test digits, when not all of them (a chapter 6 network reads a slice mid-epoch). */
      testTotal?: number;
    }
  | {
      kind: 'epoch';
      epoch: number;
      /** Correct test classifications after this epoch (null when no test data was given). */
      correct: number | null;
      total: number;
      /** The digit read for each test example, from the same pass as `correct` (null when no test data was given). */
      testReadings: Uint8Array | null;
      /** network2.py's total_cost on the test data (with the L2 term), when test data was given. */
      testCost: number | null;
      /** Accuracy and total cost on the training data, when monitoring it. */
      trainingCorrect: number | null;
      trainingCost: number | null;
      trainingTotal: number;
      /** Correct validation classifications, when early stopping watches them. */
      validationCorrect: number | null;
      /** Training time of this epoch in seconds (evaluation excluded, as in the book's output). */
      seconds: number;
      /** Seconds spent measuring after the epoch (the test data, and the training and validation data when asked). */
      evalSeconds: number;
      examplesPerSecond: number;
    }
  | { kind: 'diverged'; epoch: number }
  /** Early stopping: no better validation accuracy since `bestEpoch`. */
  | { kind: 'early-stop'; epoch: number; bestEpoch: number; bestCorrect: number; total: number };

/**
 * A fast path that trains a Network in place (SparseTrainer in TypeScript, WasmTrainer in WebAssembly
 * SIMD; kernels.ts picks one). It may keep parameters in its own layout: syncToNetwork() writes them back,
 * syncFromNetwork() takes the Network's (after the caller put other parameters of the same shape into it).
 */
export interface Trainer {
  /** Mini-batches over order[start .. end), each w ← decay·w − (η/m) Σ ∇w. */
  trainBatches(data: Dataset, order: Uint32Array, start: number, end: number, miniBatchSize: number, eta: number, decay: number): void;
  evaluate(data: Dataset): number;
  /**
   * Correct classifications and the sum of C_x over `data` (no regularisation term); with `readings`
   * (one byte per example), the digit read for each example too, from the same pass.
   */
  measure(data: Dataset, readings?: Uint8Array): { correct: number; costSum: number };
  /** The digit the network reads (argmax) for every example of `data`. */
  classify(data: Dataset): Uint8Array;
  /** False once a bias is NaN or infinite: a cheap check between chunks (NaN weights reach the biases within a step). */
  biasesAreFinite(): boolean;
  syncToNetwork(): void;
  syncFromNetwork(): void;
}

/** Some examples as inputs (each `inputSize` values, in a row) and their labels. */
export interface Examples {
  inputs: Float32Array;
  labels: Uint8Array;
}
