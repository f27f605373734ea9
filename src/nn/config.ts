import { DIGITS, INPUTS } from './mnist-shape';
import { COST_NAMES, type CostName } from './cost';

export { COST_NAMES };
import { DISTORTION_LIMIT } from './distort';

/**
 * The training settings every entry shares (the page's fields, the URL, the CLI's flags, the worker),
 * with the book's defaults and one validator whose messages the page and the CLI both show. Pure.
 */

/** One run's settings. */
export interface TrainConfig {
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

/** The book's chapter 1 run: 784-30-10, 30 epochs, mini-batch 10, η = 3.0, all 50,000 examples. */
export const DEFAULT_CONFIG: TrainConfig = {
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
export interface FieldError {
  field: ConfigField;
  message: string;
}
export type ConfigInput = Partial<Record<ConfigField, string | number | number[] | boolean>>;
type Raw = string | number | number[] | boolean | undefined;
export type ParseResult = { ok: true; value: TrainConfig } | { ok: false; errors: FieldError[] };

/** A number as a person writes one: `30`, `-2`, `0.5`, `.5`, `3e-2`; not `0x1E`, `1_000` or `Infinity`, which Number() would take. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(raw: Raw): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || !DECIMAL.test(raw.trim())) return Number.NaN;
  return Number(raw.trim());
}

/** A yes-or-no setting: true or false (a checkbox, a CLI flag, or `true`/`false` in a link); anything else is an error. */
function flag(raw: Raw, what: string): boolean | string {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return `${what} must be true or false`;
}

function wholeNumber(raw: Raw, what: string, min: number, max: number): number | string {
  const v = parseNumber(raw);
  if (Number.isNaN(v)) return `${what} must be a number`;
  if (!Number.isInteger(v)) return `${what} must be a whole number`;
  if (v < min) return `${what} must be at least ${min.toLocaleString('en-US')}`;
  if (v > max) return `${what} must be at most ${max.toLocaleString('en-US')}`;
  return v;
}

/** Parse `hidden` given as `30`, `100, 30` or [100, 30]. */
function parseHidden(raw: Raw): number[] | string {
  const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [String(raw ?? '')];
  if (parts.length === 1 && parts[0].trim() === '') return 'give at least one hidden layer size, e.g. 30 or 100, 30';
  if (parts.length > LIMITS.hiddenLayers) return `at most ${LIMITS.hiddenLayers} hidden layers`;
  const sizes: number[] = [];
  for (const part of parts) {
    const v = wholeNumber(part, 'each layer size', 1, LIMITS.neuronsPerLayer);
    if (typeof v === 'string') return v;
    sizes.push(v);
  }
  return sizes;
}

/**
 * Check raw settings (strings from fields or flags, or numbers) and return a TrainConfig, or every
 * problem with the field it belongs to. Missing fields take the book's defaults.
 */
export function parseTrainConfig(input: ConfigInput): ParseResult {
  const errors: FieldError[] = [];
  const pick = <T>(field: ConfigField, result: T | string, fallback: T): T => {
    if (typeof result === 'string') {
      errors.push({ field, message: result });
      return fallback;
    }
    return result;
  };
  const has = (f: ConfigField): boolean => input[f] !== undefined;
  const hidden = has('hidden') ? pick('hidden', parseHidden(input.hidden), DEFAULT_CONFIG.hidden) : DEFAULT_CONFIG.hidden;
  const epochs = has('epochs') ? pick('epochs', wholeNumber(input.epochs, 'epochs', 1, LIMITS.epochs), 0) : DEFAULT_CONFIG.epochs;
  const trainingExamples = has('trainingExamples')
    ? pick('trainingExamples', wholeNumber(input.trainingExamples, 'training examples', 1, LIMITS.trainingExamples), 0)
    : DEFAULT_CONFIG.trainingExamples;
  const miniBatchSize = has('miniBatchSize')
    ? pick('miniBatchSize', wholeNumber(input.miniBatchSize, 'mini-batch size', 1, trainingExamples || LIMITS.trainingExamples), 0)
    : DEFAULT_CONFIG.miniBatchSize;
  let eta = DEFAULT_CONFIG.eta;
  if (has('eta')) {
    const v = parseNumber(input.eta);
    if (Number.isNaN(v)) errors.push({ field: 'eta', message: 'η must be a number' });
    else if (!(v > 0)) errors.push({ field: 'eta', message: 'η must be greater than 0' });
    else if (v > LIMITS.eta) errors.push({ field: 'eta', message: `η must be at most ${LIMITS.eta}` });
    else eta = v;
  }
  const seed = has('seed') ? pick('seed', wholeNumber(input.seed, 'seed', 0, 2 ** 32 - 1), 0) : DEFAULT_CONFIG.seed;
  const choose = <T extends string>(field: ConfigField, options: readonly T[], what: string, fallback: T): T => {
    if (!has(field)) return fallback;
    if (options.includes(input[field] as T)) return input[field] as T;
    errors.push({ field, message: `${what} must be ${options.join(' or ')}` });
    return fallback;
  };
  const cost = choose('cost', COST_NAMES, 'cost', DEFAULT_CONFIG.cost);
  const init = choose('init', ['large', 'scaled'] as const, 'weight initialisation', DEFAULT_CONFIG.init);
  let lambda = DEFAULT_CONFIG.lambda;
  if (has('lambda')) {
    const v = parseNumber(input.lambda);
    if (Number.isNaN(v)) errors.push({ field: 'lambda', message: 'λ must be a number' });
    else if (v < 0) errors.push({ field: 'lambda', message: 'λ must be 0 or more' });
    else if (v > LIMITS.lambda) errors.push({ field: 'lambda', message: `λ must be at most ${LIMITS.lambda}` });
    else lambda = v;
  }
  const earlyStopping = has('earlyStopping')
    ? pick('earlyStopping', wholeNumber(input.earlyStopping, 'early stopping', 0, LIMITS.epochs), 0)
    : DEFAULT_CONFIG.earlyStopping;
  const yesOrNo = (field: 'monitorTraining' | 'expand' | 'distort', what: string): boolean =>
    has(field) ? pick(field, flag(input[field], what), DEFAULT_CONFIG[field]) : DEFAULT_CONFIG[field];
  const monitorTraining = yesOrNo('monitorTraining', 'monitoring the training data');
  const expand = yesOrNo('expand', 'expanding the training data');
  const distort = yesOrNo('distort', 'distorting the training data');
  let distortion = DEFAULT_CONFIG.distortion;
  if (has('distortion')) {
    const v = parseNumber(input.distortion);
    if (Number.isNaN(v)) errors.push({ field: 'distortion', message: 'the strength must be a number' });
    else if (!(v > 0)) errors.push({ field: 'distortion', message: 'the strength must be greater than 0' });
    else if (v > LIMITS.distortion) errors.push({ field: 'distortion', message: `the strength must be at most ${LIMITS.distortion}` });
    else distortion = v;
  }
  const seedsPerNetwork = has('seedsPerNetwork')
    ? pick('seedsPerNetwork', wholeNumber(input.seedsPerNetwork, 'seeds per network', 1, LIMITS.seedsPerNetwork), 0)
    : DEFAULT_CONFIG.seedsPerNetwork;
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      hidden,
      epochs,
      miniBatchSize,
      eta,
      seed,
      trainingExamples,
      cost,
      lambda,
      init,
      earlyStopping,
      monitorTraining,
      expand,
      distort,
      distortion,
      seedsPerNetwork,
    },
  };
}

/** Epochs of fine-tuning on a person's digits (nn/teach.ts): the side experiment behind it found two enough, and the wait stays short. */
export const FINE_TUNE_EPOCHS = 2;

/**
 * How many times each of `count` personal digits appears in a fine-tuning epoch: enough that the set
 * weighs about 1,000 examples among MNIST's 50,000, at least 10 and at most 100 times each.
 */
export function personalRepeats(count: number): number {
  return Math.min(100, Math.max(10, Math.ceil(1000 / Math.max(1, count))));
}

/** The layer sizes of the network a config trains: [784, ...hidden, 10]. */
export function networkSizes(config: Pick<TrainConfig, 'hidden'>): number[] {
  return [INPUTS, ...config.hidden, DIGITS];
}
