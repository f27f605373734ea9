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
}

/** The book's chapter 1 run: 784-30-10, 30 epochs, mini-batch 10, η = 3.0, all 50,000 examples. */
export const DEFAULT_CONFIG: TrainConfig = {
  hidden: [30],
  epochs: 30,
  miniBatchSize: 10,
  eta: 3.0,
  seed: 1,
  trainingExamples: 50_000,
};

export const LIMITS = {
  hiddenLayers: 5,
  neuronsPerLayer: 2000,
  epochs: 1000,
  trainingExamples: 50_000,
  eta: 1000,
} as const;

export type ConfigField = keyof TrainConfig;
export interface FieldError {
  field: ConfigField;
  message: string;
}
export type ConfigInput = Partial<Record<ConfigField, string | number | number[]>>;
export type ParseResult = { ok: true; value: TrainConfig } | { ok: false; errors: FieldError[] };

function parseNumber(raw: string | number | number[] | undefined): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return Number.NaN;
  return Number(raw.trim());
}

function wholeNumber(raw: string | number | number[] | undefined, what: string, min: number, max: number): number | string {
  const v = parseNumber(raw);
  if (Number.isNaN(v)) return `${what} must be a number`;
  if (!Number.isInteger(v)) return `${what} must be a whole number`;
  if (v < min) return `${what} must be at least ${min.toLocaleString('en-US')}`;
  if (v > max) return `${what} must be at most ${max.toLocaleString('en-US')}`;
  return v;
}

/** Parse `hidden` given as `30`, `100, 30` or [100, 30]. */
function parseHidden(raw: string | number | number[] | undefined): number[] | string {
  const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === 'number' ? [String(raw)] : (raw ?? '').split(',');
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
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { hidden, epochs, miniBatchSize, eta, seed, trainingExamples } };
}

/** The layer sizes of the network a config trains: [784, ...hidden, 10]. */
export function networkSizes(config: Pick<TrainConfig, 'hidden'>): number[] {
  return [784, ...config.hidden, 10];
}
