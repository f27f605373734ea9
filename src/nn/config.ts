import { DIGITS, INPUTS } from './mnist-shape';
import { COST_NAMES, type CostName } from './cost';

export { COST_NAMES };
import { DISTORTION_LIMIT } from './distort';

/**
 * The training settings every entry shares (the page's fields, the URL, the CLI's flags, the worker),
 * with the book's defaults and their limits. How each is named, asked for and checked: settings.ts. Pure.
 */

/** One run's settings. */
export interface TrainConfig {
  /** The multilayer networks of chapters 1–3, or chapter 6's convolutional networks (network3.py). */
  kind: NetworkKind;
  /** Which of chapter 6's networks (nn/network3/ladder.ts) a convolutional run trains. */
  chapter6: string;
  /** Hidden layer sizes, e.g. [30] or [100, 30]; the network is [784, ...hidden, 10]. */
  hidden: number[];
  epochs: number;
  miniBatchSize: number;
  eta: number;
  seed: number;
  /** How many of the 50,000 training examples to use (the first ones). */
  trainingExamples: number;
  /** Chapter 3: the cost function. */
  cost: CostName;
  /** Chapter 3: L2 regularisation λ (weight decay 1 − ηλ/n each step); 0 is chapter 1. */
  lambda: number;
  /** Weight initialisation: `large` N(0, 1) as chapter 1, `scaled` N(0, 1/√n_in) as chapter 3. */
  init: WeightInit;
  /** Stop after this many epochs without a better validation accuracy; 0 never stops early. */
  earlyStopping: number;
  /** Also measure cost and accuracy on the training data after each epoch (costs one more pass). */
  monitorTraining: boolean;
  /** Chapter 3: train on the book's expanded data, each example also moved one pixel each way (5× the examples). */
  expand: boolean;
  /** Distort the training data: every digit redrawn each epoch with small random rotations, scalings, shears and warps. */
  distort: boolean;
  /** How strong the distortions are: 1 is ±10° of rotation and ±10% of size, up to {@link DISTORTION_LIMIT}. */
  distortion: number;
  /** How many seeds Compare trains each network with: this config's seed and the next ones. */
  seedsPerNetwork: number;
}

export type WeightInit = 'large' | 'scaled';

export const NETWORK_KINDS = ['mlp', 'convolutional'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** The book's chapter 1 run: 784-30-10, 30 epochs, mini-batch 10, η = 3.0, all 50,000 examples. */
export const DEFAULT_CONFIG: TrainConfig = {
  kind: 'mlp',
  chapter6: 'relu',
  hidden: [30],
  epochs: 30,
  miniBatchSize: 10,
  eta: 3.0,
  seed: 1,
  trainingExamples: 50_000,
  cost: 'quadratic',
  lambda: 0,
  init: 'large',
  earlyStopping: 0,
  monitorTraining: false,
  expand: false,
  distort: false,
  distortion: 1,
  seedsPerNetwork: 3,
};

export const LIMITS = {
  hiddenLayers: 5,
  neuronsPerLayer: 2000,
  epochs: 1000,
  trainingExamples: 50_000,
  eta: 1000,
  lambda: 1000,
  seedsPerNetwork: 10,
  distortion: DISTORTION_LIMIT,
} as const;

export type ConfigField = keyof TrainConfig;

/** Epochs of fine-tuning on a person's digits (nn/teach.ts): the side experiment behind it found two enough, and the wait stays short. */
export const FINE_TUNE_EPOCHS = 2;

/**
 * How many times each of `count` personal digits appears in a fine-tuning epoch: enough that the set
 * weighs about 1,000 examples among MNIST's 50,000, at least 10 and at most 100 times each.
 */
export function personalRepeats(count: number): number {
  return Math.min(100, Math.max(10, Math.ceil(1000 / Math.max(1, count))));
}

/**
 * The layer sizes of the network a config trains: [784, ...hidden, 10]; a convolutional network's are
 * only its inputs and outputs, [784, 10] (its layers are its chapter 6 preset's).
 */
export function networkSizes(config: Pick<TrainConfig, 'hidden'> & Partial<Pick<TrainConfig, 'kind'>>): number[] {
  return config.kind === 'convolutional' ? [INPUTS, DIGITS] : [INPUTS, ...config.hidden, DIGITS];
}

/**
 * Learning within an epoch: at a slow pace the test data is measured this many times an epoch (every
 * 1,000 examples of MNIST's 50,000), so the first epoch's climb from 10% is a curve, not one point.
 */
export const WITHIN_POINTS = 50;

/** Examples between two measurements within an epoch of `examplesTotal` (one mini-batch of 10 at least). */
export function withinInterval(examplesTotal: number): number {
  return Math.max(10, Math.round(examplesTotal / WITHIN_POINTS));
}
