/**
 * One run as the page shows it, and the questions views ask of a run (its name, its settings in words,
 * whether it can continue, the time it has left). Pure; the reducer that changes runs is run-state.ts.
 */
import { LIMITS, type TrainConfig } from '../../nn/config';
import { formatSizes } from '../../nn/format';
import { network3Preset, presetOfLayers } from '../../nn/network3/ladder';
import { isConvolutional } from '../../nn/any-model';
import type { LoadProgress, AnyModel, RunEvent } from '../../worker/protocol';
import type { EpochPoint, KeptRun } from './keeping/kept-schema';

/**
 * `paused`: under way here, waiting for Resume or a step. `interrupted`: its page was reloaded or closed mid-run; the epochs it finished are kept and it can be
 * continued. `elsewhere`: it is training in another tab of this browser, which keeps it up to date here.
 */
export type RunStatus =
  | 'queued'
  | 'loading'
  | 'training'
  | 'paused'
  | 'finished'
  | 'stopped'
  | 'stopped early'
  | 'diverged'
  | 'failed'
  | 'loaded'
  | 'interrupted'
  | 'elsewhere';

/** One finished epoch's measurements (its schema: kept-schema.ts). */
export type { EpochPoint };

/**
 * One run as the page shows it: what is kept of it (its schema, KeptRunFields in keeping/kept-schema.ts,
 * is the one definition: a new field to keep goes there), and what only this page knows while it shows it.
 * Its `key` is its one identity, on the page, in storage and across tabs (a random UUID). Its `number`
 * (`Run 3`) is the same in every tab and after a reload: taken from a counter kept with the runs
 * (run-store.ts), so two tabs never give one number to two runs.
 */
export interface Run extends Omit<KeptRun, 'status'>, PageOnly {
  status: RunStatus;
}

/** What only this page knows of a run: never kept (after a reload it is worked out again). */
export interface PageOnly {
  /** `Run 3` */
  name: string;
  loading: LoadProgress | null;
  /** The epoch under way (the number finished, between epochs). */
  epoch: number;
  examplesDone: number;
  examplesTotal: number;
  /** Seconds of training in the current epoch so far. */
  epochSeconds: number;
  error: string | null;
  /**
   * What the network of `parameters` reads for each test digit, as the worker that measured it sent it,
   * so the inspecting workers need not read the 10,000 again.
   */
  testReadings: Uint8Array | null;
  /** The path its worker trains on, in words ("WebAssembly relaxed SIMD"); null until it says. */
  kernel: string | null;
  /** Its network as it is now, mid-epoch, when a slow pace or a pause shows it (else null: `parameters` is it). */
  live: AnyModel | null;
  /** The example its paused position was kept at (the page says so once the write has ended). */
  keptAt: number | null;
  /** What its last stepped mini-batch did (Step one mini-batch), shown in the Network region. */
  lastStep: Extract<RunEvent, { kind: 'stepped' }> | null;
}

/** What only this page knows of run `kept` before its worker reports anything. */
export function freshPageFields(kept: Pick<KeptRun, 'number' | 'accuracy' | 'config'>): PageOnly {
  return {
    name: `Run ${kept.number}`,
    loading: null,
    epoch: kept.accuracy.length,
    examplesDone: 0,
    examplesTotal: kept.config.trainingExamples,
    epochSeconds: 0,
    error: null,
    testReadings: null,
    kernel: null,
    live: null,
    keptAt: null,
    lastStep: null,
  };
}

export type RunTuning = NonNullable<KeptRun['tuning']>;

/** `tuned from Run 1 on 5 of your digits (reads 5 of them, Run 1 read 0)`: what a fine-tuned run's card says of it. */
export function describeTuning(tuning: RunTuning): string {
  const yours = `tuned from ${tuning.from} on ${tuning.digits} of your digit${tuning.digits === 1 ? '' : 's'}`;
  if (tuning.personalAfter === undefined) return yours;
  return `${yours} (reads ${tuning.personalAfter} of them; ${tuning.from} read ${tuning.personalBefore})`;
}

/** A run's network in a few words: `784-30-10`, or a chapter 6 network's short name (`conv 20-40 ReLU`). */
export function networkName(sizes: readonly number[], config: Pick<TrainConfig, 'kind' | 'chapter6'>): string {
  if (config.kind !== 'convolutional') return formatSizes(sizes);
  return network3Preset(config.chapter6)?.name ?? 'chapter 6 network';
}

/** `784-30-10, η=3, batch 10` (and chapter 3's options when used): how the chart and the runs list name a run. */
export function describeConfig(sizes: readonly number[], config: TrainConfig, source: string | null = null): string {
  if (source !== null) return `${networkName(sizes, config)}, loaded from ${source}`;
  if (config.kind === 'convolutional') {
    const extras = [config.lambda > 0 ? `λ=${config.lambda}` : null, config.expand ? 'expanded data' : null].filter(Boolean);
    return [`${networkName(sizes, config)}, η=${config.eta}, batch ${config.miniBatchSize}`, ...extras].join(', ');
  }
  const extras = [
    config.cost === 'cross-entropy' ? 'cross-entropy' : null,
    config.lambda > 0 ? `λ=${config.lambda}` : null,
    config.init === 'scaled' ? 'scaled init' : null,
    config.expand ? 'expanded data' : null,
    config.distort ? `distorted data (${config.distortion})` : null,
  ].filter(Boolean);
  return [`${formatSizes(sizes)}, η=${config.eta}, batch ${config.miniBatchSize}`, ...extras].join(', ');
}

/** The run list's and log's name for a run: `Run 3 (784-30-10)`. */
export function runLabel(run: Run): string {
  return `${run.name} (${networkOf(run)})`;
}

/**
 * Which run, and which epoch of it, the network `evaluated` is (the one the evaluating worker holds):
 * `Run 2 after epoch 5`, or `Run 3 (loaded)`; null when it is none of them.
 */
export function inspectedLabelOf(runs: Run[], evaluated: AnyModel | null): string | null {
  const run = evaluated && runs.find((r) => r.parameters === evaluated);
  if (!run) return null;
  return run.source !== null ? `${run.name} (loaded)` : `${run.name} after epoch ${run.accuracy.length - 1}`;
}

export function bestAccuracy(run: Run): number | null {
  return run.accuracy.length ? Math.max(...run.accuracy.map((a) => a.percent)) : null;
}

/** Started here and not ended: waiting for a core, loading MNIST, or training. */
export function isActive(run: Run): boolean {
  return run.status === 'queued' || run.status === 'loading' || run.status === 'training' || run.status === 'paused';
}

/**
 * What became of an ended run, in one sentence for the progress card: `Run 1 finished: 94.94%, best 95.30%
 * at epoch 22`, `Run 2 stopped after epoch 3: 93.10%`. Epochs are numbered as the log numbers them (from
 * 0, as the book prints them).
 */
export function runOutcome(run: Run): string {
  const last = run.accuracy.at(-1);
  if (run.status === 'failed')
    return `${run.name} failed${last ? ` after epoch ${last.epoch}` : ''}: ${run.error ?? 'see the message above'}`;
  if (!last) return `${run.name} ${run.status} before its first epoch ended`;
  const best = run.accuracy.reduce((b, a) => (a.percent > b.percent ? a : b));
  const when = run.status === 'finished' ? '' : ` after epoch ${last.epoch}`;
  const bestPart = best.epoch !== last.epoch ? `, best ${best.percent.toFixed(2)}% at epoch ${best.epoch}` : '';
  return `${run.name} ${run.status}${when}: ${last.percent.toFixed(2)}%${bestPart}`;
}

const DIGIT_NAMES = ['zeros', 'ones', 'twos', 'threes', 'fours', 'fives', 'sixes', 'sevens', 'eights', 'nines'];

/**
 * How a stalled run reads, in words, after its last epoch: `never reads 1` for a digit it (almost) never
 * answers, `reads 35 of 1,028 sevens right` for one it answers but mostly wrongly; empty for a healthy run.
 */
export function stallWords(point: EpochPoint | undefined): string[] {
  if (!point) return [];
  const never = point.neverReads ?? [];
  const badly = (point.readsBadly ?? []).filter((d) => !never.includes(d.digit));
  return [
    ...(never.length ? [`never reads ${never.join(', ')}`] : []),
    ...badly.map((d) => `reads ${d.right.toLocaleString('en-US')} of ${d.total.toLocaleString('en-US')} ${DIGIT_NAMES[d.digit]} right`),
  ];
}

/** Whether a run's last epoch stalled (some digit never or mostly wrongly read). */
export function hasStalled(run: Run): boolean {
  const last = run.accuracy.at(-1);
  return !!(last?.neverReads?.length || last?.readsBadly?.length);
}

/** Test digits the page measures after every epoch. */
const TEST_DIGITS = 10_000;

/**
 * Seconds until a training run ends, as of its last report: the examples left at its measured speed, and
 * the measurements after each epoch left (the last epoch's time; before the first, a forward pass costs
 * about a third of a training step per example).
 */
export function secondsLeft(run: Run): number {
  const perSecond = run.examplesPerSecond;
  if (!(perSecond > 0)) return Number.NaN;
  const epochsAfterThis = run.config.epochs - run.epoch - 1;
  const training = (run.examplesTotal - run.examplesDone + epochsAfterThis * run.examplesTotal) / perSecond;
  const measured =
    TEST_DIGITS + (run.config.monitorTraining ? run.config.trainingExamples : 0) + (run.config.earlyStopping > 0 ? TEST_DIGITS : 0);
  const perEpoch = run.evalSeconds > 0 ? run.evalSeconds : measured / (3 * perSecond);
  return training + (epochsAfterThis + 1) * perEpoch;
}

/** Whether Continue applies: a trained run that ended before its last epoch and still has its network. */
export function canContinue(run: Run): boolean {
  return (
    (run.status === 'interrupted' || run.status === 'stopped') &&
    run.source === null &&
    run.tuning === null &&
    // A network to continue from, or none yet: a comparison's run that never began starts from the beginning.
    (run.parameters !== null || run.accuracy.length === 0) &&
    run.accuracy.length < run.config.epochs
  );
}

/** Whether a run's network can be trained further as a new run: a model loaded from a file (a chapter 6 one only if it is one of the ladder's networks). */
export function canTrainFurther(run: Run): boolean {
  if (run.status !== 'loaded' || run.parameters === null) return false;
  return !isConvolutional(run.parameters) || presetOfLayers(run.parameters.layers) !== undefined;
}

/** A run's network in a few words, from its network itself when it holds one (a loaded chapter 6 network may be none of the ladder's). */
export function networkOf(run: Pick<Run, 'sizes' | 'config' | 'parameters'>): string {
  const p = run.parameters;
  if (p && isConvolutional(p)) return presetOfLayers(p.layers)?.name ?? 'chapter 6 network';
  return networkName(run.sizes, run.config);
}

/** How many epochs `Train 10 more epochs` adds to a finished run. */
export const MORE_EPOCHS = 10;

/** Whether a finished run can train further (its settings then ask for MORE_EPOCHS more epochs). */
export function canExtend(run: Run): boolean {
  return (
    run.status === 'finished' &&
    run.source === null &&
    run.tuning === null &&
    run.parameters !== null &&
    run.config.epochs + MORE_EPOCHS <= LIMITS.epochs
  );
}

/** `Its 3 epochs are kept` (or, before its first epoch, that it had not begun). */
export function keptWords(run: Run): string {
  const n = run.accuracy.length;
  return n === 0 ? 'It had not begun' : `Its ${n} epoch${n === 1 ? ' is' : 's are'} kept`;
}

/** `Run 3 was interrupted after epoch 2 — its 3 epochs are kept.` */
export function interruptedNotice(run: Run): string {
  const n = run.accuracy.length;
  if (n === 0) return `${run.name} was interrupted before its first epoch. Continue it from its card.`;
  return `${run.name} was interrupted after epoch ${n - 1} — its ${n} epoch${n === 1 ? ' is' : 's are'} kept. Continue it from its card.`;
}
