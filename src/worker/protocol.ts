/**
 * TYPES ONLY: the contract between the page and its workers, which have one of two jobs. A training
 * worker trains one run (`TrainingApi`); an inspecting worker holds a network to look at (`InspectingApi`:
 * the viewer's digits, the pad's readings, the confusion matrix, model files). Both hold MNIST (`DataApi`).
 * The page imports this file with `import type`, so no worker code lands in the main bundle.
 */
import type { TrainConfig, WeightInit } from '../nn/config';
import type { ModelParameters, TrainEvent } from '../nn/types';
import type { StepReport } from '../nn/step-report';
import type { LoadProgress } from '../data/source-browser';
import type { MnistData } from '../data/mnist';
import type { PersonalDigits } from '../nn/types';
import type { BadlyRead } from '../nn/stalls';
import type { AnyModel } from '../nn/any-model';

export type { AnyModel };

export type { BadlyRead };

export type { LoadProgress, ModelParameters, PersonalDigits, StepReport, TrainConfig, TrainEvent };

/** The three parts of the book's split. */
export type DataSetName = 'training' | 'validation' | 'test';

/**
 * Where a worker gets MNIST. One worker of the page (the keeper) downloads it from the files next to the
 * page (`url`: the page's directory) and decompresses it; every other worker receives a copy of the parsed
 * data from the keeper through `port` (see `shareData`), so a page downloads and decompresses it once.
 */
export type DataFrom = { url: string } | { port: MessagePort };

/** What the keeper sends through a `shareData` port: progress while it loads, then the data or why not. */
export type DataMessage =
  { kind: 'progress'; progress: LoadProgress } | { kind: 'data'; data: SomeOfMnist } | { kind: 'error'; message: string };

/** The sets of MNIST a worker holds: all three, or only those its job needs (the test set, for questions about it). */
export type SomeOfMnist = Partial<MnistData>;

/** Reading a model file: its bytes, its numbers checked, then its accuracy on the test digits. */
export interface ImportProgress {
  phase: 'read' | 'check' | 'measure';
  /** 0..1 of this phase. */
  fraction: number;
}

/** How many examples each part holds (0 for a part this worker was not given). */
/**
 * How many examples of each set a worker holds, what the page should be told of the load (a damaged kept
 * copy replaced), and whether MNIST is kept in this browser for the next visit (the keeper's alone).
 */
export type DataInfo = Record<DataSetName, number> & { notice?: string; kept?: boolean };

/** How many test digits an ensemble's vote reads right, and each of its networks alone. */
export interface EnsembleResult {
  correct: number;
  total: number;
  alone: number[];
}

/** A model file read and checked by the worker, with its accuracy on the 10,000 test digits. */
export interface ImportedModel {
  model: AnyModel;
  correct: number;
  total: number;
  /** The digit it reads for each test example (what `setModel` can take with it). */
  testReadings: Uint8Array;
}

/**
 * What a worker reports during `train`: the engine's events, epochs carrying the network as it is (and,
 * as the engine's epoch does, what it read for each test digit, so no other worker reads them again).
 */
export type RunEvent =
  | Exclude<TrainEvent, { kind: 'epoch' }>
  | (Extract<TrainEvent, { kind: 'epoch' }> & {
      parameters: AnyModel;
      /** The digits the network (almost) never answers on the test set (nn/stalls.ts): a stalled run. */
      neverReads: number[];
      /** The digits it reads right for fewer than half of their test digits, with the counts (nn/stalls.ts). */
      readsBadly: BadlyRead[];
    })
  /**
   * Where a paced or paused run stands mid-epoch, with its network there: sent when it pauses (then the
   * page keeps it, and training waits for that), after each step, and at most a few times a second at a slow pace.
   */
  | { kind: 'position'; epoch: number; examplesDone: number; examplesTotal: number; paused: boolean; parameters: AnyModel }
  /**
   * Chapter 5's speed of learning of each hidden layer, ‖∂C/∂bˡ‖ over the first 1,000 training images
   * (nn/speeds.ts), for networks of two or more hidden layers: before training (epoch −1), after each epoch,
   * and within the first epoch after 1, 2, 5, 10, … mini-batches (`examplesDone` of `examplesTotal`).
   */
  | { kind: 'speeds'; epoch: number; lengths: number[]; examplesDone?: number; examplesTotal?: number }
  /** The test data measured mid-epoch at a slow pace (0 examples of epoch 0: the network before training). */
  | { kind: 'within'; epoch: number; examplesDone: number; examplesTotal: number; correct: number; total: number }
  /** A mini-batch was stepped while paused: what the step did to it (nn/step-report.ts). */
  | ({ kind: 'stepped'; epoch: number; examplesDone: number } & StepReport)
  /** A fine-tuning ended: how many of the person's digits and of the test digits were read right before and after. */
  | { kind: 'tuned'; digits: number; personalBefore: number; personalAfter: number; testBefore: number; testAfter: number; total: number };

/** Fine-tuning (teaching the network a person's hand): the network to start from and their digits (nn/teach.ts). */
export interface Tuning {
  parameters: AnyModel;
  digits: PersonalDigits;
}

/** Where a continued run picks up: its network after its last kept epoch (see sgdEvents' startEpoch). */
export interface Resume {
  parameters: AnyModel;
  /** Epochs 0 .. epochsDone − 1 are done. */
  epochsDone: number;
  /** Early stopping's best validation count so far, when it watches one. */
  bestValidation: { epoch: number; correct: number } | null;
  /** Examples of epoch `epochsDone` already trained (a run paused, then stopped or reloaded, mid-epoch). */
  examplesDone?: number;
}

/** How a run ended. */
export interface RunSummary {
  outcome: 'finished' | 'stopped' | 'diverged' | 'stopped early';
}

/** One digit: its 784 pixel bytes (row-major 28 × 28), label, and the network's reading when one is set. */
export interface Digit {
  set: DataSetName;
  index: number;
  pixels: Uint8Array;
  label: number;
  prediction: Prediction | null;
}

/** The output layer's ten activations and the digit it picks (argmax). */
export interface Prediction {
  activations: Float32Array;
  digit: number;
}

/** An RGBA image (a canvas's ImageData, or a decoded photo). */
export interface ImagePixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** What the page asks of the photo worker: decode `file` (to `resize`, when its header gave its size) to at most `side` pixels a side. */
export interface PhotoRequest {
  file: Blob;
  resize: { resizeWidth: number; resizeHeight: number; resizeQuality: 'high' } | null;
  side: number;
}

/** The photo worker's answer: the pixels, a file that is no image, or a browser where a worker cannot decode. */
export type PhotoAnswer = { kind: 'pixels'; pixels: ImagePixels } | { kind: 'undecodable' } | { kind: 'unable' };

/** What the network sees of a drawing or photo (784 values, MNIST's layout and scale) and what it reads. */
export interface Reading {
  image: Float32Array;
  prediction: Prediction | null;
}

/** What every worker does: hold MNIST. */
export interface DataApi {
  /** Get MNIST `from` the files (download and parse) or from the keeper; resolves once the data is ready. Idempotent. */
  load(onProgress: (p: LoadProgress) => void, from: DataFrom): Promise<DataInfo>;
  /**
   * Answer on `port` with this worker's MNIST (its progress while it loads, then a copy of the parsed
   * data — only `sets` when given — or the reason it could not load). Returns at once; the answer
   * follows on the port.
   */
  shareData(port: MessagePort, sets?: DataSetName[]): void;
}

/** What a training worker is asked to train: a new network, or one that goes on from where it was. */
export interface TrainRequest {
  config: TrainConfig;
  /** The fast path ('relaxed', 'simd', 'js'; null or absent: the fastest this browser runs). */
  kernel?: string | null;
  /** Continue a kept run from its last kept epoch. */
  resume?: Resume | null;
  /** Fine-tune a network on MNIST and the person's digits. */
  tuning?: Tuning | null;
  /** How fast to train, and whether to wait for Resume or a step before the first mini-batch (default: full speed). */
  watch?: Watch;
}

/** How a person watches a run: its pace (mini-batches a second; null: full speed) and whether it is paused. */
export interface Watch {
  pace: number | null;
  paused: boolean;
}

/** What one press of a step button trains while a run is paused. */
export type StepSize = 'mini-batch' | 'epoch';

/** A training worker: one run at a time. */
export interface TrainingApi extends DataApi {
  /**
   * Train a new network with `request.config`, or continue one from `resume`, or fine-tune `tuning`'s network on
   * MNIST and the person's digits for `config.epochs` (ending with a `tuned` event); events arrive batched through
   * `onEvent` (at most ~20 calls a second). When a batch holds an epoch, training waits for the promise
   * `onEvent` returns, so the page has kept that epoch before the next one begins.
   */
  train(request: TrainRequest, onEvent: (events: RunEvent[]) => unknown): Promise<RunSummary>;
  /**
   * The path `train` takes with `kernel` here ('auto' when null: the fastest this browser runs; or 'relaxed',
   * 'simd', 'js'), in words, e.g. "WebAssembly relaxed SIMD"; an unknown name is an error.
   */
  kernelName(kernel?: string | null): string;
  /** Ask a running `train` to end after the current mini-batch; it resolves with outcome 'stopped'. */
  stop(): void;
  /** Change the pace and pause or resume (a run that is paused waits after its current mini-batch). */
  watch(watch: Watch): void;
  /** While paused: train one more mini-batch, or to the end of the epoch, then wait again. */
  step(size: StepSize): void;
}

/** An inspecting worker: one network to look at (the selected run's), and model files in and out. */
export interface InspectingApi extends DataApi {
  /**
   * Look with these parameters from now on (null: none). `testReadings`, when the run's own worker sent
   * them with its epoch, answer the questions about the test set without reading the 10,000 digits again.
   * A network of the shape already held is copied into place; another shape is laid out anew.
   */
  setModel(model: AnyModel | null, testReadings?: Uint8Array | null): void;
  /** Digit `index` of a set, with the model's prediction. */
  sample(set: DataSetName, index: number): Promise<Digit>;
  /**
   * Turn a drawing (ink in the alpha channel) or a photo (ink darker or lighter than the paper) into an
   * MNIST-style input and read it with the model; null when there is no ink.
   */
  read(image: ImagePixels, kind: 'drawing' | 'photo'): Promise<Reading | null>;
  /** Indices of the digits of `set` that the model gets wrong. */
  misclassified(set: DataSetName): Promise<Uint32Array>;
  /** The test set's confusion matrix for the model: counts[label * 10 + predicted]. */
  confusion(): Promise<Uint32Array>;
  /** Indices of test digits with this label that the model reads as `predicted`. */
  digitsWhere(label: number, predicted: number): Promise<Uint32Array>;
  /** Read a model file (network2.py's JSON format, or chapter 6's: nn/network3/model-io3.ts), check it, and measure it on the test set. */
  importModel(file: Blob | string, onProgress?: (p: ImportProgress) => void): Promise<ImportedModel>;
  /** A model as network2.py's save() would write it, or a chapter 6 network in its own format (JSON text). */
  exportModel(model: AnyModel): Promise<string>;
  /**
   * Chapter 6's ensemble: `models` (two or more, of any kind) each read the 10,000 test digits, then vote on
   * each (ties to the surer voters: nn/network3/ensemble.ts). `onProgress` gets the share done.
   */
  ensemble(models: AnyModel[], onProgress?: (fraction: number) => void): Promise<EnsembleResult>;
  /**
   * The first layer's weights a run of `sizes` starts from with `seed` and `init`, drawn as its training
   * worker draws them (so the page can show what training changed).
   */
  startingWeights(sizes: readonly number[], seed: number, init: WeightInit): Promise<Float32Array>;
}

/**
 * A worker's lifeline: it holds a Web Lock for as long as it lives; the browser releases it when the
 * worker ends in any way, so the page notices a worker that was closed or killed without an error event
 * (out of memory, `self.close()`).
 */
export interface Lifeline {
  /** Take the Web Lock `name` and keep it until the worker ends; true once held, false where Web Locks are missing. */
  holdLifeline(name: string): Promise<boolean>;
}

/** What each worker entry exposes. */
export type TrainingWorkerApi = TrainingApi & Lifeline;
export type InspectingWorkerApi = InspectingApi & Lifeline;

/** Which of the two jobs a worker has. */
export type WorkerJob = 'training' | 'inspecting';
