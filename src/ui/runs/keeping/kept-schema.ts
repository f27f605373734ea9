/**
 * What this browser keeps of a run, as one schema (valibot): the writer's type comes from it
 * (run-store.ts writes a `KeptRun`) and the reader checks every stored record against it, field by
 * field, with types and ranges, before the page uses any of it. Storage can hold anything (an older
 * version of the page, an extension, a crash mid-write), so a record is data from outside until checked.
 */
import * as v from 'valibot';
import { COST_NAMES, LIMITS, WITHIN_POINTS, networkSizes, type TrainConfig } from '../../../nn/config';
import { parseTrainConfig, type ConfigInput } from '../../../nn/settings';
import { DIGITS, INPUTS } from '../../../nn/mnist-shape';
import { isConvolutional, type AnyModel } from '../../../nn/any-model';
import { MNIST_SHAPE, parameterLengths, sameLayers, type LayerSpec } from '../../../nn/network3/layers';
import { readLayers } from '../../../nn/network3/model-io3';
import { network3Preset } from '../../../nn/network3/ladder';

/** A number from `min` to `max` (whole, if asked); each message follows the field's path (`its accuracy[0].percent …`). */
const numberIn = (min: number, max: number, { whole = false, unit = '' } = {}) =>
  v.pipe(
    v.number('is not a number'),
    whole ? v.safeInteger('is not a whole number') : v.finite('is not a finite number'),
    v.minValue(min, `is below ${min}${unit}`),
    v.maxValue(max, `is above ${max}${unit}`),
  );
const count = numberIn(0, Number.MAX_SAFE_INTEGER, { whole: true });
/** Within-epoch measurements kept of a run: WITHIN_POINTS an epoch and its start, for every epoch of the longest run. */
const MAX_WITHIN = (WITHIN_POINTS + 1) * LIMITS.epochs;
const seconds = numberIn(0, Number.MAX_VALUE);
const percent = numberIn(0, 100, { unit: '%' });
const digit = numberIn(0, DIGITS - 1, { whole: true });
/** A cost; a record from a run that diverged may hold NaN, which is kept as "not measured". */
const cost = v.pipe(
  v.nullable(v.number('is not a number')),
  v.transform((c) => (c === null || Number.isNaN(c) ? null : c)),
  v.check((c) => c === null || c >= 0, 'is below 0'),
);

/** One finished epoch's measurements. */
const EpochPointSchema = v.pipe(
  v.object(
    {
      epoch: count,
      percent,
      correct: count,
      total: numberIn(1, Number.MAX_SAFE_INTEGER, { whole: true }),
      testCost: cost,
      trainingPercent: v.nullable(percent),
      trainingCost: cost,
      validationCorrect: v.nullable(count),
      seconds: v.nullable(seconds),
      neverReads: v.optional(v.pipe(v.array(digit, 'is not a list'), v.maxLength(DIGITS, 'lists more than ten digits'))),
      readsBadly: v.optional(
        v.pipe(
          v.array(v.object({ digit, right: count, total: count }), 'is not a list'),
          v.maxLength(DIGITS, 'lists more than ten digits'),
        ),
      ),
    },
    'is not a measurement',
  ),
  v.check((p) => p.correct <= p.total, 'counts more right than it read'),
  v.check((p) => Math.abs(p.percent - (100 * p.correct) / p.total) < 1e-6, 'gives a percentage that is not its count'),
);

/**
 * The test data measured mid-epoch (at a slow pace or stepped): after `examples` of the `examplesTotal` examples
 * of epoch `epoch` (0 of epoch 0: the network before any training).
 */
const WithinPointSchema = v.pipe(
  v.object(
    {
      epoch: count,
      examples: count,
      examplesTotal: numberIn(1, Number.MAX_SAFE_INTEGER, { whole: true }),
      percent,
      /** Of how many test digits, when not all 10,000 (a chapter 6 network reads the first 1,000 mid-epoch). */
      digits: v.optional(numberIn(1, Number.MAX_SAFE_INTEGER, { whole: true })),
    },
    'is not a measurement',
  ),
  v.check((p) => p.examples < p.examplesTotal, 'is past the end of its epoch'),
);

/** The most speeds a deep run measures within its first epoch (nn/speeds.ts's marks: 1, 2, 5, … mini-batches). */
const MAX_SPEED_MARKS = 30;

/**
 * Chapter 5's speeds of a deep run's hidden layers at one moment: before training (epoch −1), after an epoch,
 * or `examples` of `examplesTotal` into its first epoch.
 */
const SpeedPointSchema = v.pipe(
  v.object(
    {
      epoch: numberIn(-1, LIMITS.epochs, { whole: true }),
      lengths: v.array(numberIn(0, Number.MAX_VALUE)),
      examples: v.optional(count),
      examplesTotal: v.optional(numberIn(1, Number.MAX_SAFE_INTEGER, { whole: true })),
    },
    'is not a measurement',
  ),
  v.check((p) => (p.examples === undefined) === (p.examplesTotal === undefined), 'has only half of where it was measured'),
  v.check((p) => p.examples === undefined || p.examples < p.examplesTotal!, 'is past the end of its epoch'),
);

/** The statuses a run is kept with ('training': under way in some tab, or interrupted). */
export const KEPT_STATUSES = ['training', 'finished', 'stopped', 'stopped early', 'diverged', 'loaded', 'interrupted'] as const;
export type KeptStatus = (typeof KEPT_STATUSES)[number];
export const isKeptStatus = (status: string): status is KeptStatus => (KEPT_STATUSES as readonly string[]).includes(status);

const float32s = v.custom<Float32Array>((a) => a instanceof Float32Array, 'is not a list of 32-bit floats');
const sizeList = v.pipe(
  v.array(numberIn(1, Number.MAX_SAFE_INTEGER, { whole: true }), 'is not a list'),
  v.minLength(2, 'has too few layers'),
  v.readonly(),
);
const MultilayerSchema = v.object({
  sizes: sizeList,
  weights: v.array(float32s, 'is not a list'),
  biases: v.array(float32s, 'is not a list'),
  cost: v.picklist(COST_NAMES, 'is not a cost this page knows'),
});
/** A chapter 6 network: its layers are checked as a model file's are (nn/network3/model-io3.ts), then its parameters' lengths. */
const ConvolutionalSchema = v.object({
  input: v.object({ channels: count, height: count, width: count }),
  layers: v.pipe(
    v.array(
      v.custom<LayerSpec>((layer) => typeof layer === 'object' && layer !== null, 'is not a layer'),
      'is not a list',
    ),
    v.check((layers) => layersFit(layers), 'do not fit together'),
  ),
  parameters: v.array(v.object({ w: float32s, b: float32s }), 'is not a list'),
});
/** Either kind, told apart by its layers (so a damaged record's reason names the field at fault, as for one kind). */
const ParametersSchema = v.lazy((input) =>
  typeof input === 'object' && input !== null && 'layers' in input ? ConvolutionalSchema : MultilayerSchema,
);

function layersFit(layers: LayerSpec[]): boolean {
  try {
    readLayers(MNIST_SHAPE, layers);
    return true;
  } catch {
    return false;
  }
}

const allFinite = (arrays: Float32Array[]) => arrays.every((a) => a.every(Number.isFinite));
/** Every weight and bias of a network of either kind. */
const arraysOf = (p: AnyModel): Float32Array[] =>
  isConvolutional(p) ? p.parameters.flatMap(({ w, b }) => [w, b]) : [...p.weights, ...p.biases];

/** A run's settings: the form's own parser checks them, so a kept run obeys the same limits as a typed one. */
const ConfigSchema = v.pipe(
  v.custom<Record<string, unknown>>((c) => typeof c === 'object' && c !== null, 'is missing'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseTrainConfig(dataset.value as ConfigInput);
    if (parsed.ok) return parsed.value;
    addIssue({ message: `are damaged (${parsed.errors[0]?.message ?? 'not settings'})` });
    return NEVER;
  }),
);

const KeptRunFields = v.object(
  {
    /** The run's identity across tabs (a UUID). */
    key: v.pipe(v.string('is not text'), v.minLength(1, 'is empty'), v.maxLength(100, 'is too long')),
    createdAt: seconds,
    /** `Run 3`; 0 for a run kept before numbers were kept, numbered when restored. */
    number: v.optional(count, 0),
    config: ConfigSchema,
    sizes: sizeList,
    status: v.picklist(KEPT_STATUSES, 'is not a status this page keeps'),
    accuracy: v.pipe(v.array(EpochPointSchema, 'is not a list'), v.maxLength(LIMITS.epochs, `holds more than ${LIMITS.epochs} epochs`)),
    trainingSeconds: seconds,
    examplesPerSecond: seconds,
    evalSeconds: v.optional(seconds, 0),
    parameters: v.nullable(ParametersSchema),
    source: v.nullable(v.pipe(v.string('is not text'), v.maxLength(1000, 'is too long'))),
    hidden: v.boolean('is not yes or no'),
    /**
     * Where a run paused mid-epoch (its epoch, and the examples of it trained), when its network is the one
     * there: Continue picks up at that mini-batch. Null when its network is its last epoch's.
     */
    position: v.optional(v.nullable(v.object({ epoch: count, example: count })), null),
    /**
     * A run that began from another run's network rather than from its seed (a model loaded from a file,
     * trained further): that run as the card names it (`Run 2, loaded from network.json`).
     */
    startedFrom: v.optional(v.nullable(v.pipe(v.string('is not text'), v.maxLength(1100, 'is too long'))), null),
    /** Chapter 5's speed of learning of each hidden layer (deep networks), in the order measured. */
    speeds: v.optional(
      v.pipe(
        v.array(SpeedPointSchema, 'is not a list'),
        v.maxLength(LIMITS.epochs + 1 + MAX_SPEED_MARKS, `holds more than ${LIMITS.epochs + 1 + MAX_SPEED_MARKS} measurements`),
      ),
      [],
    ),
    /** Learning within epochs, in the order measured; runs kept before it was measured have none. */
    within: v.optional(
      v.pipe(v.array(WithinPointSchema, 'is not a list'), v.maxLength(MAX_WITHIN, `holds more than ${MAX_WITHIN} points`)),
      [],
    ),
    /** Runs kept before Compare had seeds belong to no comparison. */
    comparison: v.optional(v.nullable(v.pipe(v.number(), v.finite())), null),
    /**
     * A fine-tuning of another run on the person's digits: which run (its name then), on how many digits, and
     * how many of them it read right before and after (once it has ended). Runs kept before fine-tuning
     * existed were tuned from nothing.
     */
    tuning: v.optional(
      v.nullable(
        v.object({
          from: v.pipe(v.string(), v.maxLength(100)),
          digits: numberIn(1, Number.MAX_SAFE_INTEGER, { whole: true }),
          personalBefore: v.optional(count),
          personalAfter: v.optional(count),
        }),
      ),
      null,
    ),
  },
  'is not a record',
);
type RunFields = v.InferOutput<typeof KeptRunFields>;
/** One measurement of chapter 5's speeds of learning. */
export type SpeedPoint = v.InferOutput<typeof SpeedPointSchema>;
/** One measurement of the test data within an epoch. */
export type WithinPoint = v.InferOutput<typeof WithinPointSchema>;
/** One finished epoch's measurements: test accuracy always; costs and training accuracy when measured. */
export type EpochPoint = v.InferOutput<typeof EpochPointSchema>;

/**
 * A kept run's record, every field and how they fit together, but not each weight's value: what the
 * writer checks before every epoch's write (scanning millions of weights on the page's thread each epoch
 * would cost more than the write; the worker's weights are numbers unless the run diverged).
 */
export const KeptRunRecordSchema = v.pipe(
  KeptRunFields,
  v.check((run) => sameSizes(run.sizes, run.config), 'has a network that is not its settings’'),
  v.check((run) => run.accuracy.every((p, i) => p.epoch === i), 'has its epochs out of order'),
  v.check((run) => run.accuracy.length <= (run.status === 'loaded' ? 1 : run.config.epochs), 'holds more epochs than its settings ask for'),
  v.check((run) => run.status !== 'finished' || run.accuracy.length === run.config.epochs, 'says it finished without all its epochs'),
  v.check((run) => shapesFit(run), 'has weights that do not fit its network'),
  v.check(
    (run) =>
      run.position === null || (run.position.epoch === run.accuracy.length && run.position.example <= 5 * run.config.trainingExamples),
    'pauses at a mini-batch that is not in its next epoch',
  ),
);

/** A kept run as read back from storage, which may hold anything: the record, and every weight a number. */
export const KeptRunSchema = v.pipe(
  KeptRunRecordSchema,
  // A diverged run's last weights may be no numbers: that is how it diverged.
  v.check((run) => run.status === 'diverged' || !run.parameters || allFinite(arraysOf(run.parameters)), 'has weights that are not numbers'),
);

export type KeptRun = RunFields;

function sameSizes(sizes: readonly number[], config: TrainConfig): boolean {
  const expected = networkSizes(config);
  return sizes[0] === INPUTS && sizes.length === expected.length && sizes.every((n, i) => n === expected[i]);
}

/**
 * Weights and biases of the shapes the sizes ask for. Only a comparison's run kept before its first
 * epoch has no network yet.
 */
function shapesFit({ parameters: p, sizes, accuracy, comparison, config, source }: RunFields): boolean {
  if (p === null) return accuracy.length === 0 && comparison !== null;
  if (isConvolutional(p)) {
    // A trained convolutional network is its preset's; a loaded one is whatever its file held.
    const preset = network3Preset(config.chapter6);
    if (config.kind !== 'convolutional' || (source === null && !(preset && sameLayers(preset.layers, p.layers)))) return false;
    const lengths = parameterLengths(p.input, p.layers);
    return (
      p.parameters.length === lengths.length && p.parameters.every(({ w, b }, l) => w.length === lengths[l].w && b.length === lengths[l].b)
    );
  }
  return (
    config.kind === 'mlp' &&
    p.sizes.length === sizes.length &&
    p.sizes.every((n, i) => n === sizes[i]) &&
    p.weights.length === sizes.length - 1 &&
    p.biases.length === sizes.length - 1 &&
    p.weights.every((w, l) => w.length === sizes[l] * sizes[l + 1]) &&
    p.biases.every((b, l) => b.length === sizes[l + 1])
  );
}

/** A stored value checked against `schema`: its value, or the first reason it fails in words (`its accuracy[0].percent is not a number`). */
export function check<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
): { ok: true; value: v.InferOutput<S> } | { ok: false; reason: string } {
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, value: result.output };
  const [issue] = result.issues;
  const path = v.getDotPath(issue);
  if (!path) return { ok: false, reason: `it ${issue.message}` };
  // A field that is not there at all says so, whatever its schema would have said of a wrong value.
  return { ok: false, reason: `its ${path.replace(/\.(\d+)/g, '[$1]')} ${issue.input === undefined ? 'is missing' : issue.message}` };
}

/** One of My digits as kept (my-digits.ts's MyDigit): stored under its id. */
export const MyDigitSchema = v.object(
  {
    id: v.pipe(v.string('is not text'), v.minLength(1, 'is empty'), v.maxLength(100, 'is too long')),
    label: digit,
    pixels: v.pipe(
      v.custom<Uint8Array>((p) => p instanceof Uint8Array, 'is not a list of bytes'),
      v.check((p) => p.length === INPUTS, `does not hold ${INPUTS} pixels`),
    ),
    createdAt: seconds,
  },
  'is not a digit',
);
