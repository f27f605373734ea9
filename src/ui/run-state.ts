/**
 * The page's record of runs, as a pure reducer: worker events in, chart series, log lines and progress
 * out. Unit-tested in Node; the hook in use-runs.ts feeds it.
 */
import type { TrainConfig } from '../nn/config';
import { formatDiverged, formatEarlyStop, formatEpochLine, formatLoadedLine, formatSizes } from '../nn/format';
import type { ImportedModel, LoadProgress, ModelParameters, RunEvent, RunSummary } from '../worker/protocol';

/**
 * `interrupted`: its page was reloaded or closed mid-run; the epochs it finished are kept and it can be
 * continued. `elsewhere`: it is training in another tab of this browser, which keeps it up to date here.
 */
export type RunStatus =
  'loading' | 'training' | 'finished' | 'stopped' | 'stopped early' | 'diverged' | 'failed' | 'loaded' | 'interrupted' | 'elsewhere';

/** One finished epoch's measurements (test accuracy always; costs and training accuracy when measured). */
export interface EpochPoint {
  epoch: number;
  percent: number;
  correct: number;
  total: number;
  testCost: number | null;
  trainingPercent: number | null;
  trainingCost: number | null;
  /** Early stopping's validation count, when it watched one (a continued run picks up its best). */
  validationCorrect: number | null;
  /** The epoch's training seconds, for the book's line (null in runs kept by version 1 of the store). */
  seconds: number | null;
}

/** One run as the page shows it. */
export interface Run {
  /** This page's number for the run (`Run 3`): runs are numbered per page, in the order they were made. */
  id: number;
  /** The run's identity in storage and across tabs (a random UUID): no other tab can make the same. */
  key: string;
  /** When the run was made (ms since 1970): restored runs are numbered in this order. */
  createdAt: number;
  /** `Run 3` */
  name: string;
  config: TrainConfig;
  sizes: readonly number[];
  status: RunStatus;
  loading: LoadProgress | null;
  /** Test accuracy per finished epoch, in percent, with the costs when measured. */
  accuracy: EpochPoint[];
  /** Where a loaded model came from (its file name); null for trained runs. */
  source: string | null;
  epoch: number;
  examplesDone: number;
  examplesTotal: number;
  /** Seconds of training in the current epoch so far. */
  epochSeconds: number;
  /** Training seconds of all finished epochs. */
  trainingSeconds: number;
  examplesPerSecond: number;
  /** Seconds the last epoch's measurements took (test data, and more when monitored): part of the time left. */
  evalSeconds: number;
  error: string | null;
  hidden: boolean;
  parameters: ModelParameters | null;
  /**
   * What the network of `parameters` reads for each test digit, as the worker that measured it sent it,
   * so the inspecting workers need not read the 10,000 again; not kept (after a reload they are read again).
   */
  testReadings: Uint8Array | null;
}

export interface LogLine {
  runId: number;
  text: string;
}

export interface RunsState {
  runs: Run[];
  log: LogLine[];
  selectedId: number | null;
}

/** Who a new run is: its page number, its identity and when it was made. */
export interface RunIdentity {
  id: number;
  key: string;
  createdAt: number;
}

export type RunsAction =
  | ({ type: 'start'; config: TrainConfig; sizes: number[] } & RunIdentity)
  | ({ type: 'import'; imported: ImportedModel; fileName: string; config: TrainConfig } & RunIdentity)
  | { type: 'restore'; runs: Run[] }
  /** A kept run that another tab wrote (or whose tab went away): added, or its record brought up to date. */
  | { type: 'sync'; run: Run }
  /** Continue an interrupted or stopped run from its last kept epoch. */
  | { type: 'resume'; id: number }
  | { type: 'loading'; id: number; progress: LoadProgress }
  | { type: 'events'; id: number; events: RunEvent[] }
  | { type: 'end'; id: number; summary: RunSummary }
  | { type: 'failed'; id: number; message: string }
  | { type: 'remove'; id: number }
  | { type: 'toggle-hidden'; id: number }
  | { type: 'select'; id: number };

export const INITIAL_RUNS: RunsState = { runs: [], log: [], selectedId: null };

/** `784-30-10, η=3, batch 10` (and chapter 3's options when used): how the chart and the runs list name a run. */
export function describeConfig(sizes: readonly number[], config: TrainConfig, source: string | null = null): string {
  if (source !== null) return `${formatSizes(sizes)}, loaded from ${source}`;
  const extras = [
    config.cost === 'cross-entropy' ? 'cross-entropy' : null,
    config.lambda > 0 ? `λ=${config.lambda}` : null,
    config.init === 'scaled' ? 'scaled init' : null,
  ].filter(Boolean);
  return [`${formatSizes(sizes)}, η=${config.eta}, batch ${config.miniBatchSize}`, ...extras].join(', ');
}

/** The run list's and log's name for a run: `Run 3 (784-30-10)`. */
export function runLabel(run: Run): string {
  return `${run.name} (${formatSizes(run.sizes)})`;
}

/** The log line of a model loaded from a file: `Run 2 · Loaded model 784-30-10: 9512 / 10000`. */
function loadedLine(run: Run): LogLine {
  const measured = run.accuracy[0];
  return { runId: run.id, text: `${run.name} · ${formatLoadedLine(run.sizes, measured?.correct ?? 0, measured?.total ?? 0)}` };
}

/**
 * Which run, and which epoch of it, the network `evaluated` is (the one the evaluating worker holds):
 * `Run 2 after epoch 5`, or `Run 3 (loaded)`; null when it is none of them.
 */
export function inspectedLabelOf(runs: Run[], evaluated: ModelParameters | null): string | null {
  const run = evaluated && runs.find((r) => r.parameters === evaluated);
  if (!run) return null;
  return run.source !== null ? `${run.name} (loaded)` : `${run.name} after epoch ${run.accuracy.length - 1}`;
}

export function bestAccuracy(run: Run): number | null {
  return run.accuracy.length ? Math.max(...run.accuracy.map((a) => a.percent)) : null;
}

export function isActive(run: Run): boolean {
  return run.status === 'loading' || run.status === 'training';
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
  const measured = TEST_DIGITS + (run.config.monitorTraining ? run.examplesTotal : 0) + (run.config.earlyStopping > 0 ? TEST_DIGITS : 0);
  const perEpoch = run.evalSeconds > 0 ? run.evalSeconds : measured / (3 * perSecond);
  return training + (epochsAfterThis + 1) * perEpoch;
}

/** Whether Continue applies: a trained run that ended before its last epoch and still has its network. */
export function canContinue(run: Run): boolean {
  return (
    (run.status === 'interrupted' || run.status === 'stopped') &&
    run.source === null &&
    run.parameters !== null &&
    run.accuracy.length < run.config.epochs
  );
}

/** `Run 3 was interrupted after epoch 2 — its 3 epochs are kept.` */
export function interruptedNotice(run: Run): string {
  const n = run.accuracy.length;
  return `${run.name} was interrupted after epoch ${n - 1} — its ${n} epoch${n === 1 ? ' is' : 's are'} kept. Continue it from its card.`;
}

/** The log lines of a run that this page did not train: kept from an earlier visit, or trained in another tab. */
function keptLines(run: Run, where: string): LogLine[] {
  if (run.source !== null) return [loadedLine(run)];
  return run.accuracy.map((a) => ({
    runId: run.id,
    text: `${runLabel(run)} · ${a.seconds === null ? `Epoch ${a.epoch}: ${a.correct} / ${a.total}` : formatEpochLine(a.epoch, a.correct, a.total, a.seconds)} (${where})`,
  }));
}

function updateRun(state: RunsState, id: number, change: (run: Run) => Run): RunsState {
  return { ...state, runs: state.runs.map((run) => (run.id === id ? change(run) : run)) };
}

function applyEvent(run: Run, event: RunEvent): { run: Run; line?: string } {
  switch (event.kind) {
    case 'progress':
      return {
        run: {
          ...run,
          status: 'training',
          loading: null,
          epoch: event.epoch,
          examplesDone: event.examplesDone,
          examplesTotal: event.examplesTotal,
          epochSeconds: event.seconds,
          examplesPerSecond: event.seconds > 0 ? event.examplesDone / event.seconds : run.examplesPerSecond,
        },
      };
    case 'epoch': {
      const correct = event.correct ?? 0;
      return {
        run: {
          ...run,
          status: 'training',
          loading: null,
          epoch: event.epoch + 1,
          examplesDone: 0,
          epochSeconds: 0,
          trainingSeconds: run.trainingSeconds + event.seconds,
          examplesPerSecond: event.examplesPerSecond,
          accuracy: [
            ...run.accuracy,
            {
              epoch: event.epoch,
              percent: (100 * correct) / event.total,
              correct,
              total: event.total,
              testCost: event.testCost,
              trainingPercent: event.trainingCorrect === null ? null : (100 * event.trainingCorrect) / event.trainingTotal,
              trainingCost: event.trainingCost,
              validationCorrect: event.validationCorrect,
              seconds: event.seconds,
            },
          ],
          evalSeconds: event.evalSeconds,
          parameters: event.parameters,
          testReadings: event.testReadings,
        },
        line: formatEpochLine(event.epoch, event.correct, event.total, event.seconds),
      };
    }
    case 'early-stop':
      return {
        run: { ...run, status: 'stopped early' },
        line: formatEarlyStop(event),
      };
    case 'diverged':
      return {
        run: {
          ...run,
          status: 'diverged',
          error: formatDiverged(event.epoch, run.config.eta, run.config.lambda),
        },
        line: `Epoch ${event.epoch}: diverged (weights are no longer numbers)`,
      };
  }
}

/** A run that has reported nothing yet. */
function newRun(
  { id, key, createdAt }: RunIdentity,
  fields: Pick<Run, 'config' | 'sizes' | 'status' | 'accuracy' | 'parameters' | 'source'>,
): Run {
  return {
    ...fields,
    testReadings: null,
    id,
    key,
    createdAt,
    name: `Run ${id}`,
    loading: null,
    epoch: 0,
    examplesDone: 0,
    examplesTotal: fields.config.trainingExamples,
    epochSeconds: 0,
    trainingSeconds: 0,
    examplesPerSecond: 0,
    evalSeconds: 0,
    error: null,
    hidden: false,
  };
}

/** The reducer behind the page's runs. */
export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  switch (action.type) {
    case 'start': {
      const run = newRun(action, {
        config: action.config,
        sizes: action.sizes,
        status: 'loading',
        accuracy: [],
        parameters: null,
        source: null,
      });
      return { ...state, runs: [...state.runs, run], selectedId: run.id };
    }
    case 'import': {
      const { correct, total, model, testReadings } = action.imported;
      const run = newRun(action, {
        config: action.config,
        sizes: model.sizes,
        status: 'loaded',
        accuracy: [
          {
            epoch: 0,
            percent: (100 * correct) / total,
            correct,
            total,
            testCost: null,
            trainingPercent: null,
            trainingCost: null,
            validationCorrect: null,
            seconds: null,
          },
        ],
        parameters: model,
        source: action.fileName,
      });
      run.testReadings = testReadings;
      return { ...state, runs: [...state.runs, run], log: [...state.log, loadedLine(run)], selectedId: run.id };
    }
    case 'restore': {
      const known = new Set(state.runs.map((r) => r.key));
      const restored = action.runs.filter((r) => !known.has(r.key));
      if (!restored.length) return state;
      const runs = [...restored, ...state.runs].sort((a, b) => a.id - b.id);
      const log = restored.flatMap((run) => keptLines(run, run.status === 'elsewhere' ? 'in another tab' : 'kept from an earlier visit'));
      return { ...state, runs, log: [...log, ...state.log], selectedId: state.selectedId ?? runs.at(-1)?.id ?? null };
    }
    case 'sync': {
      const existing = state.runs.find((r) => r.key === action.run.key);
      if (existing && isActive(existing)) return state; // this page trains it: its own events are the truth
      // Shown or hidden on the chart is kept with the run, so it follows the record like the rest.
      const run: Run = existing ? { ...action.run, id: existing.id, name: existing.name } : action.run;
      const runs = existing ? state.runs.map((r) => (r.key === run.key ? run : r)) : [...state.runs, run];
      const log = [...state.log.filter((line) => line.runId !== run.id), ...keptLines(run, 'in another tab')];
      return { ...state, runs, log, selectedId: state.selectedId ?? run.id };
    }
    case 'resume': {
      const run = state.runs.find((r) => r.id === action.id);
      if (!run || !canContinue(run)) return state;
      const next = updateRun(state, action.id, (r) => ({
        ...r,
        status: 'loading',
        loading: null,
        error: null,
        epoch: r.accuracy.length,
        examplesDone: 0,
        epochSeconds: 0,
      }));
      return {
        ...next,
        selectedId: action.id,
        log: [...next.log, { runId: run.id, text: `${runLabel(run)} · continues after epoch ${run.accuracy.length - 1}` }],
      };
    }
    case 'loading':
      return updateRun(state, action.id, (run) => ({ ...run, loading: action.progress }));
    case 'events': {
      // A run that has ended (stopped, failed, diverged) takes no more events.
      if (!state.runs.some((run) => run.id === action.id && isActive(run))) return state;
      const lines: LogLine[] = [];
      const next = updateRun(state, action.id, (run) =>
        action.events.reduce((current, event) => {
          const { run: updated, line } = applyEvent(current, event);
          if (line) lines.push({ runId: run.id, text: `${runLabel(run)} · ${line}` });
          return updated;
        }, run),
      );
      return lines.length ? { ...next, log: [...next.log, ...lines] } : next;
    }
    case 'end':
      return updateRun(state, action.id, (run) => ({
        ...run,
        status: run.status === 'diverged' || run.status === 'stopped early' ? run.status : action.summary.outcome,
        loading: null,
        examplesDone: 0,
        epochSeconds: 0,
      }));
    case 'failed': {
      const next = updateRun(state, action.id, (run) => ({ ...run, status: 'failed', loading: null, error: action.message }));
      const run = state.runs.find((r) => r.id === action.id);
      return run ? { ...next, log: [...next.log, { runId: run.id, text: `${runLabel(run)} · failed: ${action.message}` }] } : next;
    }
    case 'remove': {
      const runs = state.runs.filter((run) => run.id !== action.id);
      const selectedId = state.selectedId === action.id ? (runs.at(-1)?.id ?? null) : state.selectedId;
      return { ...state, runs, selectedId, log: state.log.filter((line) => line.runId !== action.id) };
    }
    case 'toggle-hidden':
      return updateRun(state, action.id, (run) => ({ ...run, hidden: !run.hidden }));
    case 'select':
      return state.runs.some((run) => run.id === action.id) ? { ...state, selectedId: action.id } : state;
  }
}
