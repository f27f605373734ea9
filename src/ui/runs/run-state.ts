/**
 * The page's record of runs, as a pure reducer: worker events in, chart series, log lines and progress
 * out. Unit-tested in Node; the hook in use-runs.ts feeds it.
 */

import { networkSizes, type TrainConfig } from '../../nn/config';
import { formatDiverged, formatEarlyStop, formatEpochLine, formatLoadedLine } from '../../nn/format';
import type { ImportedModel, LoadProgress, AnyModel, RunEvent, RunSummary } from '../../worker/protocol';
import { canContinue, freshPageFields, isActive, keptWords, networkOf, runLabel, type Run } from './run';
import type { SpeedPoint, WithinPoint } from './keeping/kept-schema';

export interface LogLine {
  runKey: string;
  text: string;
  /** More than the book prints, shown on hover: an epoch's exact training time, its speed and its measuring time. */
  detail?: string;
}

/** `trained in 0.0934 s (535,000 examples/s) on WebAssembly SIMD; measured in 0.0081 s`. */
function epochDetail(seconds: number, examples: number, evalSeconds: number | null, kernel: string | null): string {
  const speed = seconds > 0 ? ` (${Math.round(examples / seconds).toLocaleString('en-US')} examples/s)` : '';
  const on = kernel ? ` on ${kernel}` : '';
  return `trained in ${seconds.toFixed(4)} s${speed}${on}${evalSeconds === null ? '' : `; measured in ${evalSeconds.toFixed(4)} s`}`;
}

export interface RunsState {
  runs: Run[];
  log: LogLine[];
  selectedKey: string | null;
}

/** Who a new run is: its identity (in storage, across tabs and on the page), when it was made and its shared number. */
export interface RunIdentity {
  key: string;
  createdAt: number;
  number: number;
}

export type RunsAction =
  | ({
      type: 'start';
      config: TrainConfig;
      sizes: number[];
      comparison?: number;
      tuning?: Run['tuning'];
      /** Begun from another run's network (trained further): that run's name, and the network. */
      startedFrom?: { name: string; parameters: AnyModel };
    } & RunIdentity)
  /** A queued run gets a core: it loads MNIST and trains. */
  | { type: 'dequeue'; key: string }
  | ({ type: 'import'; imported: ImportedModel; fileName: string; config: TrainConfig } & RunIdentity)
  | { type: 'restore'; runs: Run[] }
  /** A kept run that another tab wrote (or whose tab went away): added, or its record brought up to date. */
  | { type: 'sync'; run: Run }
  /** Continue an interrupted or stopped run from its last kept epoch. */
  | { type: 'resume'; key: string }
  | { type: 'loading'; key: string; progress: LoadProgress }
  /** The worker said which path it trains on. */
  | { type: 'kernel'; key: string; name: string }
  | { type: 'events'; key: string; events: RunEvent[] }
  | { type: 'end'; key: string; summary: RunSummary }
  | { type: 'failed'; key: string; message: string }
  | { type: 'remove'; key: string }
  /** A finished run trains `epochs` more epochs: its settings ask for them, and it waits for a core. */
  | { type: 'extend'; key: string; epochs: number }
  /** Resume was pressed: paused runs train again. */
  | { type: 'resumed' }
  /** A paused run's position was kept, at `example`. */
  | { type: 'kept-at'; key: string; example: number }
  | { type: 'toggle-hidden'; key: string }
  | { type: 'select'; key: string };

export const INITIAL_RUNS: RunsState = { runs: [], log: [], selectedKey: null };

/** The log line of a model loaded from a file: `Run 2 · Loaded model 784-30-10: 9512 / 10000`. */
function loadedLine(run: Run): LogLine {
  const measured = run.accuracy[0];
  return {
    runKey: run.key,
    text: `${run.name} · ${formatLoadedLine(networkOf(run), measured?.correct ?? 0, measured?.total ?? 0)}`,
  };
}

/** The log lines of a run that this page did not train: kept from an earlier visit, or trained in another tab. */
function keptLines(run: Run, where: string): LogLine[] {
  if (run.source !== null) return [loadedLine(run)];
  return run.accuracy.map((a) => {
    // Runs kept by version 1 of the store have no seconds.
    const line =
      a.seconds === null ? `Epoch ${a.epoch}: ${a.correct} / ${a.total}` : formatEpochLine(a.epoch, a.correct, a.total, a.seconds);
    const detail = a.seconds === null ? undefined : epochDetail(a.seconds, run.config.trainingExamples, null, null);
    return { runKey: run.key, text: `${runLabel(run)} · ${line} (${where})`, ...(detail && { detail }) };
  });
}

function updateRun(state: RunsState, key: string, change: (run: Run) => Run): RunsState {
  return { ...state, runs: state.runs.map((run) => (run.key === key ? change(run) : run)) };
}

/**
 * `Fine-tuned Run 2 on 5 of your digits: 9512 / 10000 (Run 1: 9498); your digits read right: 5 of 5 (Run 1: 0)`:
 * the log's line after a fine-tuning, the test digits and the person's, after and before.
 */
export function formatTunedLine(run: Run, event: Extract<RunEvent, { kind: 'tuned' }>): string {
  const from = run.tuning?.from ?? 'before';
  const yours = `${event.digits} of your digit${event.digits === 1 ? '' : 's'}`;
  return (
    `Fine-tuned ${run.name} on ${yours}: ${event.testAfter} / ${event.total} (${from}: ${event.testBefore}); ` +
    `your digits read right: ${event.personalAfter} of ${event.digits} (${from}: ${event.personalBefore})`
  );
}

/** The test set: a measurement of fewer digits says how many it read. */
const TEST_DIGITS = 10_000;

/**
 * `point` added to a run's within-epoch measurements: any measured at or after its place go (a run continued
 * from a kept epoch measures that stretch again), so they stay in order, once each.
 */
export function withinAdded(within: readonly WithinPoint[], point: WithinPoint): WithinPoint[] {
  return [...within.filter((p) => isBefore(p, point.epoch, point.examples, false)), point];
}

/** Where speed point `s` was measured, in epochs since the start: 0 before training, e + 1 after epoch e. */
export function speedAt(s: { epoch: number; examples?: number; examplesTotal?: number }): number {
  return s.examples === undefined || !s.examplesTotal ? s.epoch + 1 : s.epoch + s.examples / s.examplesTotal;
}

/** The kept point of a speeds event. */
function speedOf(event: Extract<RunEvent, { kind: 'speeds' }>): SpeedPoint {
  const { epoch, lengths, examplesDone, examplesTotal } = event;
  return examplesDone === undefined ? { epoch, lengths } : { epoch, lengths, examples: examplesDone, examplesTotal };
}

/** Whether `point` comes before example `examples` of epoch `epoch` (or is there, when `orAt`). */
function isBefore(point: WithinPoint, epoch: number, examples: number, orAt: boolean): boolean {
  return point.epoch < epoch || (point.epoch === epoch && (orAt ? point.examples <= examples : point.examples < examples));
}

function applyEvent(run: Run, event: RunEvent): { run: Run; line?: string; detail?: string; bare?: boolean } {
  switch (event.kind) {
    case 'progress':
      return {
        run: {
          ...run,
          // A paused run's step reports its progress too; it stays paused until Resume.
          status: run.status === 'paused' ? 'paused' : 'training',
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
              neverReads: event.neverReads,
              readsBadly: event.readsBadly,
            },
          ],
          evalSeconds: event.evalSeconds,
          parameters: event.parameters,
          position: null,
          live: null,
          testReadings: event.testReadings,
        },
        line: formatEpochLine(event.epoch, event.correct, event.total, event.seconds),
        detail: epochDetail(event.seconds, event.seconds * event.examplesPerSecond, event.evalSeconds, run.kernel),
      };
    }
    case 'position': {
      const here = { ...run, epoch: event.epoch, examplesDone: event.examplesDone, live: event.parameters };
      if (event.examplesTotal > 0) here.examplesTotal = event.examplesTotal;
      if (!event.paused) return { run: { ...here, status: 'training' } };
      // Paused: this is its network now (kept so, with where it stands), and what it reads is read again.
      const position = event.examplesDone > 0 ? { epoch: event.epoch, example: event.examplesDone } : null;
      return { run: { ...here, status: 'paused', parameters: event.parameters, position, testReadings: null } };
    }
    case 'stepped':
      return { run: { ...run, lastStep: event } };
    case 'speeds':
      // A continued run measures its epochs again from where it picks up.
      return { run: { ...run, speeds: [...run.speeds.filter((s) => speedAt(s) < speedAt(speedOf(event))), speedOf(event)] } };
    case 'within':
      return {
        run: {
          ...run,
          within: withinAdded(run.within, {
            epoch: event.epoch,
            examples: event.examplesDone,
            examplesTotal: event.examplesTotal,
            percent: (100 * event.correct) / event.total,
            ...(event.total < TEST_DIGITS && { digits: event.total }),
          }),
        },
      };
    case 'early-stop':
      return {
        run: { ...run, status: 'stopped early' },
        line: formatEarlyStop(event),
      };
    case 'tuned':
      return {
        run: { ...run, tuning: run.tuning && { ...run.tuning, personalBefore: event.personalBefore, personalAfter: event.personalAfter } },
        line: formatTunedLine(run, event),
        bare: true,
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
  { key, createdAt, number }: RunIdentity,
  fields: Pick<Run, 'config' | 'sizes' | 'status' | 'accuracy' | 'parameters' | 'source'> & {
    comparison?: number | null;
    tuning?: Run['tuning'];
    startedFrom?: string | null;
  },
): Run {
  const kept = {
    ...fields,
    key,
    createdAt,
    number,
    comparison: fields.comparison ?? null,
    tuning: fields.tuning ?? null,
    startedFrom: fields.startedFrom ?? null,
    trainingSeconds: 0,
    examplesPerSecond: 0,
    evalSeconds: 0,
    hidden: false,
    position: null,
    within: [],
    speeds: [],
  };
  return { ...kept, ...freshPageFields(kept) };
}

/** A model loaded from a file: a run with one point, its measured accuracy, selected. */
function importRun(state: RunsState, action: Extract<RunsAction, { type: 'import' }>): RunsState {
  const { correct, total, model, testReadings } = action.imported;
  const fields: Parameters<typeof newRun>[1] = {
    config: action.config,
    sizes: networkSizes(action.config),
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
  };
  const run: Run = { ...newRun(action, fields), testReadings };
  return { ...state, runs: [...state.runs, run], log: [...state.log, loadedLine(run)], selectedKey: run.key };
}

/** The kept runs, restored when the page opens (before anything of this page's own). */
function restoreRuns(state: RunsState, action: Extract<RunsAction, { type: 'restore' }>): RunsState {
  const known = new Set(state.runs.map((r) => r.key));
  const restored = action.runs.filter((r) => !known.has(r.key));
  if (!restored.length) return state;
  const runs = [...restored, ...state.runs].sort((a, b) => a.createdAt - b.createdAt);
  const log = restored.flatMap((run) => keptLines(run, run.status === 'elsewhere' ? 'in another tab' : 'kept from an earlier visit'));
  return { ...state, runs, log: [...log, ...state.log], selectedKey: state.selectedKey ?? runs.at(-1)?.key ?? null };
}

/** A run another tab wrote: added, or brought up to date, unless this page trains it. */
function syncRun(state: RunsState, action: Extract<RunsAction, { type: 'sync' }>): RunsState {
  const existing = state.runs.find((r) => r.key === action.run.key);
  if (existing && isActive(existing)) return state; // this page trains it: its own events are the truth
  // Shown or hidden on the chart is kept with the run, so it follows the record like the rest.
  const run: Run = existing ? { ...action.run, name: existing.name } : action.run;
  const runs = existing ? state.runs.map((r) => (r.key === run.key ? run : r)) : [...state.runs, run];
  const log = [...state.log.filter((line) => line.runKey !== run.key), ...keptLines(run, 'in another tab')];
  return { ...state, runs, log, selectedKey: state.selectedKey ?? run.key };
}

/** An interrupted or stopped run continues from its last kept epoch. */
function resumeRun(state: RunsState, action: Extract<RunsAction, { type: 'resume' }>): RunsState {
  const run = state.runs.find((r) => r.key === action.key);
  if (!run || !canContinue(run)) return state;
  const next = updateRun(state, action.key, (r) => ({
    ...r,
    status: 'queued',
    loading: null,
    error: null,
    epoch: r.accuracy.length,
    examplesDone: 0,
    epochSeconds: 0,
    // What was measured past where it picks up belonged to a network that was not kept.
    within: r.parameters ? r.within.filter((p) => isBefore(p, r.accuracy.length, r.position?.example ?? 0, true)) : [],
  }));
  return {
    ...next,
    selectedKey: action.key,
    log: [
      ...next.log,
      {
        runKey: run.key,
        text: `${runLabel(run)} · ${run.accuracy.length ? `continues after epoch ${run.accuracy.length - 1}` : 'starts again from the beginning'}`,
      },
    ],
  };
}

/** A worker's batch of events, applied in order to its run, with their log lines. */
function applyEvents(state: RunsState, action: Extract<RunsAction, { type: 'events' }>): RunsState {
  // A run that has ended (stopped, failed, diverged) takes no more events.
  if (!state.runs.some((run) => run.key === action.key && isActive(run))) return state;
  const lines: LogLine[] = [];
  const next = updateRun(state, action.key, (run) =>
    action.events.reduce((current, event) => {
      const { run: updated, line, detail, bare } = applyEvent(current, event);
      if (line) lines.push({ runKey: run.key, text: bare ? line : `${runLabel(run)} · ${line}`, ...(detail && { detail }) });
      return updated;
    }, run),
  );
  return lines.length ? { ...next, log: [...next.log, ...lines] } : next;
}

/** The reducer behind the page's runs. */
export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  switch (action.type) {
    case 'start': {
      // Queued until its worker starts (at once when a core is free).
      const run = newRun(action, {
        config: action.config,
        sizes: action.sizes,
        status: 'queued',
        accuracy: [],
        // Trained further: its network until its first epoch is the one it began from (Continue starts there).
        parameters: action.startedFrom?.parameters ?? null,
        source: null,
        comparison: action.comparison ?? null,
        tuning: action.tuning ?? null,
        startedFrom: action.startedFrom?.name ?? null,
      });
      // A comparison's runs are drawn as their networks' bands; each can still be shown on its own.
      if (action.comparison !== undefined) run.hidden = true;
      return { ...state, runs: [...state.runs, run], selectedKey: run.key };
    }
    case 'dequeue':
      return updateRun(state, action.key, (run) => (run.status === 'queued' ? { ...run, status: 'loading' } : run));
    case 'import':
      return importRun(state, action);
    case 'restore':
      return restoreRuns(state, action);
    case 'sync':
      return syncRun(state, action);
    case 'resume':
      return resumeRun(state, action);
    case 'loading':
      return updateRun(state, action.key, (run) => ({ ...run, loading: action.progress }));
    case 'kernel':
      return updateRun(state, action.key, (run) => ({ ...run, kernel: action.name }));
    case 'events':
      return applyEvents(state, action);
    case 'end':
      return updateRun(state, action.key, (run) => ({
        ...run,
        status: run.status === 'diverged' || run.status === 'stopped early' ? run.status : action.summary.outcome,
        loading: null,
        examplesDone: 0,
        epochSeconds: 0,
        live: null,
      }));
    case 'failed': {
      const run = state.runs.find((r) => r.key === action.key);
      if (!run) return state;
      // A run that can go on loses nothing to a failure (a crashed worker, a script gone after an update):
      // it stops as interrupted, its kept epochs and the reason shown, and Continue takes it on at once.
      const hasKept = run.accuracy.length > 0 || run.comparison !== null;
      const status = hasKept && canContinue({ ...run, status: 'interrupted' }) ? 'interrupted' : 'failed';
      const next = updateRun(state, action.key, (r) => ({ ...r, status, loading: null, error: action.message }));
      const text =
        status === 'failed'
          ? `${runLabel(run)} · failed: ${action.message}`
          : `${runLabel(run)} · stopped: ${action.message}. ${keptWords(run)}: Continue it from its card`;
      return { ...next, log: [...next.log, { runKey: run.key, text }] };
    }
    case 'remove': {
      const runs = state.runs.filter((run) => run.key !== action.key);
      const selectedKey = state.selectedKey === action.key ? (runs.at(-1)?.key ?? null) : state.selectedKey;
      return { ...state, runs, selectedKey, log: state.log.filter((line) => line.runKey !== action.key) };
    }
    case 'extend': {
      const run = state.runs.find((r) => r.key === action.key);
      if (!run) return state;
      const text = `${runLabel(run)} · trains ${action.epochs} more epochs after epoch ${run.accuracy.length - 1}`;
      const next = updateRun(state, action.key, (r) => ({
        ...r,
        config: { ...r.config, epochs: r.config.epochs + action.epochs },
        status: 'queued',
        error: null,
        examplesDone: 0,
      }));
      return { ...next, selectedKey: action.key, log: [...next.log, { runKey: action.key, text }] };
    }
    case 'resumed':
      return { ...state, runs: state.runs.map((run) => (run.status === 'paused' ? { ...run, status: 'training' } : run)) };
    case 'kept-at':
      return updateRun(state, action.key, (run) => ({ ...run, keptAt: action.example }));
    case 'toggle-hidden':
      return updateRun(state, action.key, (run) => ({ ...run, hidden: !run.hidden }));
    case 'select':
      return state.runs.some((run) => run.key === action.key) ? { ...state, selectedKey: action.key } : state;
  }
}
