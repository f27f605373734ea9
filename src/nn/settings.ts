/**
 * Every training setting, declared once: its field of TrainConfig, how the page labels and asks for it,
 * its command-line flag and help, how a value written by a person is checked (with the message the page
 * and the CLI both show) and how a value is written back. The form (ui/settings/Controls.tsx), the link
 * (ui/settings/settings-url.ts), the CLI (cli/train.ts) and `parseTrainConfig` derive from this table.
 * A new setting is one entry here, its field and default in config.ts, and, when it changes training,
 * its place in `sgdOptionsFor` (sgd.ts). Pure.
 */
import { COST_NAMES } from './cost';
import { DEFAULT_CONFIG, LIMITS, NETWORK_KINDS, type ConfigField, type TrainConfig } from './config';
import { NETWORK3_LADDER } from './network3/ladder';

/** A setting as given: a field's or flag's text, a number, a list of sizes or a checkbox's state. */
export type RawValue = string | number | number[] | boolean | undefined;
export type ConfigInput = Partial<Record<ConfigField, RawValue>>;
export interface FieldError {
  field: ConfigField;
  message: string;
}
export type ParseResult = { ok: true; value: TrainConfig } | { ok: false; errors: FieldError[] };

/** How the page asks for a setting. */
export type SettingInput =
  | { kind: 'text'; inputMode: 'numeric' | 'decimal' | 'text' }
  | { kind: 'select'; options: [value: string, label: string][] }
  | { kind: 'checkbox' };

export interface Setting<F extends ConfigField = ConfigField> {
  field: F;
  /** The page's label (the accessible name tests rely on) and the hint under it. */
  label: string;
  hint: string;
  /** The book's chapter it belongs to: chapter 3's sit in their own section of the form, chapter 6's choose the network kind. */
  chapter: 1 | 3 | 6;
  input: SettingInput;
  /** Its command-line flag (`--batch N`, or `--expand` for a yes-or-no) and help; none: not a flag of the CLI. */
  cli?: { flag: string; arg?: string; help: string };
  /** The value, or what is wrong with it. */
  check(raw: RawValue): TrainConfig[F] | Problem;
  /** The value as a field or a link writes it. */
  text(value: TrainConfig[F]): string;
}

/** What is wrong with a value, in words the page and the CLI show. */
export interface Problem {
  problem: string;
}
const problem = (text: string): Problem => ({ problem: text });
const isProblem = (value: unknown): value is Problem => typeof value === 'object' && value !== null && 'problem' in value;

/** A number as a person writes one: `30`, `-2`, `0.5`, `.5`, `3e-2`; not `0x1E`, `1_000` or `Infinity`, which Number() would take. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(raw: RawValue): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || !DECIMAL.test(raw.trim())) return Number.NaN;
  return Number(raw.trim());
}

/** A whole number from `min` to `max`. */
function wholeNumber(raw: RawValue, what: string, min: number, max: number): number | Problem {
  const v = parseNumber(raw);
  if (Number.isNaN(v)) return problem(`${what} must be a number`);
  if (!Number.isInteger(v)) return problem(`${what} must be a whole number`);
  if (v < min) return problem(`${what} must be at least ${min.toLocaleString('en-US')}`);
  if (v > max) return problem(`${what} must be at most ${max.toLocaleString('en-US')}`);
  return v;
}

/** A number above 0 (or from 0, when `zero` may be) up to `max`. */
function realNumber(raw: RawValue, what: string, max: number, zero = false): number | Problem {
  const v = parseNumber(raw);
  if (Number.isNaN(v)) return problem(`${what} must be a number`);
  if (zero ? v < 0 : !(v > 0)) return problem(zero ? `${what} must be 0 or more` : `${what} must be greater than 0`);
  if (v > max) return problem(`${what} must be at most ${max}`);
  return v;
}

/** A yes-or-no setting: true or false (a checkbox, a CLI flag, or `true`/`false` in a link); anything else is an error. */
function yesOrNo(raw: RawValue, what: string): boolean | Problem {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return problem(`${what} must be true or false`);
}

/** One of `options`. */
function oneOf<T extends string>(raw: RawValue, options: readonly T[], what: string): T | Problem {
  return options.includes(raw as T) ? (raw as T) : problem(`${what} must be ${options.join(' or ')}`);
}

/** Hidden layer sizes given as `30`, `100, 30` or [100, 30]. */
function hiddenSizes(raw: RawValue): number[] | Problem {
  const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [String(raw ?? '')];
  if (parts.length === 1 && parts[0].trim() === '') return problem('give at least one hidden layer size, e.g. 30 or 100, 30');
  if (parts.length > LIMITS.hiddenLayers) return problem(`at most ${LIMITS.hiddenLayers} hidden layers`);
  const sizes: number[] = [];
  for (const part of parts) {
    const v = wholeNumber(part, 'each layer size', 1, LIMITS.neuronsPerLayer);
    if (isProblem(v)) return v;
    sizes.push(v);
  }
  return sizes;
}

const setting = <F extends ConfigField>(spec: Omit<Setting<F>, 'text'> & Partial<Pick<Setting<F>, 'text'>>): Setting<F> => ({
  text: String,
  ...spec,
});
type AnySetting = { [F in ConfigField]: Setting<F> }[ConfigField];

/** The settings, in the order the form shows them. */
export const SETTINGS: readonly AnySetting[] = [
  setting({
    field: 'kind',
    label: 'Network kind',
    hint: 'chapter 6 adds convolutions',
    chapter: 6,
    input: {
      kind: 'select',
      options: [
        ['mlp', 'Multilayer (chapters 1–3)'],
        ['convolutional', 'Convolutional (chapter 6)'],
      ],
    },
    check: (raw) => oneOf(raw, NETWORK_KINDS, 'the network kind'),
  }),
  setting({
    field: 'chapter6',
    label: 'Chapter 6 network',
    hint: 'the book’s ladder, with its test accuracy',
    chapter: 6,
    input: { kind: 'select', options: NETWORK3_LADDER.map((p) => [p.id, `${p.name}: ${p.title} · ${p.bookPercent.toFixed(2)}%`]) },
    check: (raw) =>
      oneOf(
        raw,
        NETWORK3_LADDER.map((p) => p.id),
        'the chapter 6 network',
      ),
  }),
  setting({
    field: 'hidden',
    label: 'Hidden layers',
    hint: `e.g. 30 or 100, 30 (≤ ${LIMITS.hiddenLayers} layers)`,
    chapter: 1,
    input: { kind: 'text', inputMode: 'text' },
    cli: {
      flag: 'hidden',
      arg: 'LIST',
      help:
        'hidden layer sizes of one network, comma-separated, e.g. 30 or 100,30 (two hidden\n' +
        `layers); repeat it to train several networks: --hidden 30 --hidden 100 (default ${DEFAULT_CONFIG.hidden.join(',')})`,
    },
    check: hiddenSizes,
    text: (hidden) => hidden.join(', '),
  }),
  setting({
    field: 'epochs',
    label: 'Epochs',
    hint: `1–${LIMITS.epochs}`,
    chapter: 1,
    input: { kind: 'text', inputMode: 'numeric' },
    cli: { flag: 'epochs', arg: 'N', help: `passes over the training data (default ${DEFAULT_CONFIG.epochs})` },
    check: (raw) => wholeNumber(raw, 'epochs', 1, LIMITS.epochs),
  }),
  setting({
    field: 'miniBatchSize',
    label: 'Mini-batch size',
    hint: 'examples per step',
    chapter: 1,
    input: { kind: 'text', inputMode: 'numeric' },
    cli: { flag: 'batch', arg: 'N', help: `mini-batch size (default ${DEFAULT_CONFIG.miniBatchSize})` },
    // At most the training examples used: parseTrainConfig checks that, once both are known.
    check: (raw) => wholeNumber(raw, 'mini-batch size', 1, LIMITS.trainingExamples),
  }),
  setting({
    field: 'eta',
    label: 'Learning rate (η)',
    hint: 'the book uses 3.0',
    chapter: 1,
    input: { kind: 'text', inputMode: 'decimal' },
    cli: { flag: 'eta', arg: 'X', help: `learning rate η (default ${DEFAULT_CONFIG.eta})` },
    check: (raw) => realNumber(raw, 'η', LIMITS.eta),
    // As the book writes it.
    text: (eta) => (eta === 3 ? '3.0' : String(eta)),
  }),
  setting({
    field: 'seed',
    label: 'Seed',
    hint: 'same seed, same run',
    chapter: 1,
    input: { kind: 'text', inputMode: 'numeric' },
    cli: {
      flag: 'seed',
      arg: 'N',
      help: `seed of the random weights and shuffles; the same seed gives the same run (default ${DEFAULT_CONFIG.seed})`,
    },
    check: (raw) => wholeNumber(raw, 'seed', 0, 2 ** 32 - 1),
  }),
  setting({
    field: 'trainingExamples',
    label: 'Training examples',
    hint: 'of the 50,000',
    chapter: 1,
    input: { kind: 'text', inputMode: 'numeric' },
    cli: {
      flag: 'examples',
      arg: 'N',
      help: `train on the first N of the 50,000 training examples (default ${DEFAULT_CONFIG.trainingExamples})`,
    },
    check: (raw) => wholeNumber(raw, 'training examples', 1, LIMITS.trainingExamples),
  }),
  setting({
    field: 'seedsPerNetwork',
    label: 'Seeds per network',
    hint: `Compare: runs of each, 1–${LIMITS.seedsPerNetwork}`,
    chapter: 1,
    input: { kind: 'text', inputMode: 'numeric' },
    // The CLI says its seeds with --seeds 1-10 instead.
    check: (raw) => wholeNumber(raw, 'seeds per network', 1, LIMITS.seedsPerNetwork),
  }),
  setting({
    field: 'cost',
    label: 'Cost',
    hint: 'cross-entropy learns faster',
    chapter: 3,
    input: {
      kind: 'select',
      options: [
        ['quadratic', 'Quadratic (ch. 1)'],
        ['cross-entropy', 'Cross-entropy (ch. 3)'],
      ],
    },
    cli: { flag: 'cost', arg: 'C', help: 'quadratic (chapter 1, default) or cross-entropy (chapter 3)' },
    check: (raw) => oneOf(raw, COST_NAMES, 'cost'),
  }),
  setting({
    field: 'lambda',
    label: 'Regularisation λ',
    hint: 'L2; the book uses 5.0',
    chapter: 3,
    input: { kind: 'text', inputMode: 'decimal' },
    cli: { flag: 'lambda', arg: 'X', help: 'L2 regularisation λ, weight decay 1 − ηλ/n per step (default 0)' },
    check: (raw) => realNumber(raw, 'λ', LIMITS.lambda, true),
  }),
  setting({
    field: 'init',
    label: 'Weight initialisation',
    hint: 'scaled: N(0, 1/√n)',
    chapter: 3,
    input: {
      kind: 'select',
      options: [
        ['large', 'Large N(0, 1) (ch. 1)'],
        ['scaled', 'Scaled N(0, 1/√n) (ch. 3)'],
      ],
    },
    cli: { flag: 'init', arg: 'I', help: 'weight initialisation: large, N(0, 1) (default), or scaled, N(0, 1/√n_in)' },
    check: (raw) => oneOf(raw, ['large', 'scaled'] as const, 'weight initialisation'),
  }),
  setting({
    field: 'earlyStopping',
    label: 'Early stopping',
    hint: 'epochs without progress; 0 = off',
    chapter: 3,
    input: { kind: 'text', inputMode: 'numeric' },
    cli: { flag: 'early-stopping', arg: 'N', help: 'stop after N epochs without a better validation accuracy (default 0: never)' },
    check: (raw) => wholeNumber(raw, 'early stopping', 0, LIMITS.epochs),
  }),
  setting({
    field: 'monitorTraining',
    label: 'Monitor training data',
    hint: 'cost and accuracy on the training set too',
    chapter: 3,
    input: { kind: 'checkbox' },
    cli: { flag: 'monitor-training', help: 'also print cost and accuracy on the training data each epoch' },
    check: (raw) => yesOrNo(raw, 'monitoring the training data'),
  }),
  setting({
    field: 'expand',
    label: 'Expand the training data',
    hint: 'the book’s one-pixel shifts: 5× the examples',
    chapter: 3,
    input: { kind: 'checkbox' },
    cli: {
      flag: 'expand',
      help:
        "chapter 3's expanded data: each example also moved one pixel down, up, right and\n" +
        'left (expand_mnist.py, made on the fly): five times the examples an epoch',
    },
    check: (raw) => yesOrNo(raw, 'expanding the training data'),
  }),
  setting({
    field: 'distort',
    label: 'Distort the training data',
    hint: 'each epoch, every digit slightly rotated, scaled, sheared and warped',
    chapter: 3,
    input: { kind: 'checkbox' },
    cli: {
      flag: 'distort',
      help:
        'train each epoch on a fresh distorted copy of the data: every digit slightly rotated,\n' +
        'scaled, sheared, shifted, warped and its strokes thickened or thinned (seeded)',
    },
    check: (raw) => yesOrNo(raw, 'distorting the training data'),
  }),
  setting({
    field: 'distortion',
    label: 'Distortion strength',
    hint: `1 = ±10°, ±10% size; up to ${LIMITS.distortion}`,
    chapter: 3,
    input: { kind: 'text', inputMode: 'decimal' },
    cli: {
      flag: 'distortion',
      arg: 'X',
      help: `the distortions' strength: 1 (default) is ±10° and ±10% of size, at most ${LIMITS.distortion}`,
    },
    check: (raw) => realNumber(raw, 'the strength', LIMITS.distortion),
  }),
];

/**
 * Check raw settings (strings from fields or flags, or numbers) and return a TrainConfig, or every
 * problem with the field it belongs to. Missing fields take the book's defaults.
 */
export function parseTrainConfig(input: ConfigInput): ParseResult {
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const { field, check } of SETTINGS) {
    if (input[field] === undefined) continue;
    const checked = check(input[field]);
    if (isProblem(checked)) errors.push({ field, message: checked.problem });
    else value[field] = checked;
  }
  const config = value as unknown as TrainConfig;
  const batchChecked =
    input.miniBatchSize !== undefined && !errors.some((e) => e.field === 'miniBatchSize' || e.field === 'trainingExamples');
  if (batchChecked && config.miniBatchSize > config.trainingExamples)
    errors.push({ field: 'miniBatchSize', message: `mini-batch size must be at most ${config.trainingExamples.toLocaleString('en-US')}` });
  return errors.length ? { ok: false, errors } : { ok: true, value: config };
}

/** Every setting as a field or a link writes it. */
export function settingTexts(config: TrainConfig): Record<ConfigField, string> {
  return Object.fromEntries(SETTINGS.map((s) => [s.field, (s.text as (v: unknown) => string)(config[s.field])])) as Record<
    ConfigField,
    string
  >;
}
