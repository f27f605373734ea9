/**
 * The page's record of runs, as a pure reducer: worker events in, chart series, log lines and progress
 * out. Unit-tested in Node; the hook in use-runs.ts feeds it.
 */
import type { TrainConfig } from '../nn/config';
import { formatEpochLine, formatSizes } from '../nn/format';
import type { LoadProgress, ModelParameters, RunEvent, RunSummary } from '../worker/protocol';

export type RunStatus = 'loading' | 'training' | 'finished' | 'stopped' | 'diverged' | 'failed';

/** One run as the page shows it. */
export interface Run {
  id: number;
  /** `Run 3` */
  name: string;
  config: TrainConfig;
  sizes: number[];
  status: RunStatus;
  loading: LoadProgress | null;
  /** Test accuracy per finished epoch, in percent. */
  accuracy: { epoch: number; percent: number; correct: number; total: number }[];
  epoch: number;
  examplesDone: number;
  examplesTotal: number;
  /** Seconds of training in the current epoch so far. */
  epochSeconds: number;
  /** Training seconds of all finished epochs. */
  trainingSeconds: number;
  examplesPerSecond: number;
  error: string | null;
  hidden: boolean;
  parameters: ModelParameters | null;
}

export interface LogLine {
  runId: number;
  text: string;
}

export interface RunsState {
  runs: Run[];
  log: LogLine[];
  nextId: number;
  selectedId: number | null;
}

export type RunsAction =
  | { type: 'start'; config: TrainConfig; sizes: number[] }
  | { type: 'loading'; id: number; progress: LoadProgress }
  | { type: 'events'; id: number; events: RunEvent[] }
  | { type: 'end'; id: number; summary: RunSummary }
  | { type: 'failed'; id: number; message: string }
  | { type: 'remove'; id: number }
  | { type: 'toggle-hidden'; id: number }
  | { type: 'select'; id: number };

export const INITIAL_RUNS: RunsState = { runs: [], log: [], nextId: 1, selectedId: null };

/** `784-30-10, η=3, batch 10`: how the chart legend and the runs list name a run's settings. */
export function describeConfig(sizes: readonly number[], config: Pick<TrainConfig, 'eta' | 'miniBatchSize'>): string {
  return `${formatSizes(sizes)}, η=${config.eta}, batch ${config.miniBatchSize}`;
}

export function bestAccuracy(run: Run): number | null {
  return run.accuracy.length ? Math.max(...run.accuracy.map((a) => a.percent)) : null;
}

export function isActive(run: Run): boolean {
  return run.status === 'loading' || run.status === 'training';
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
          accuracy: [...run.accuracy, { epoch: event.epoch, percent: (100 * correct) / event.total, correct, total: event.total }],
          parameters: event.parameters,
        },
        line: formatEpochLine(event.epoch, event.correct, event.total, event.seconds),
      };
    }
    case 'diverged':
      return {
        run: { ...run, status: 'diverged', error: `Epoch ${event.epoch}: the weights became NaN or infinite. Try a smaller learning rate than η = ${run.config.eta}.` },
        line: `Epoch ${event.epoch}: diverged (weights are no longer numbers)`,
      };
  }
}

/** The reducer behind the page's runs. */
export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  switch (action.type) {
    case 'start': {
      const id = state.nextId;
      const run: Run = {
        id,
        name: `Run ${id}`,
        config: action.config,
        sizes: action.sizes,
        status: 'loading',
        loading: null,
        accuracy: [],
        epoch: 0,
        examplesDone: 0,
        examplesTotal: action.config.trainingExamples,
        epochSeconds: 0,
        trainingSeconds: 0,
        examplesPerSecond: 0,
        error: null,
        hidden: false,
        parameters: null,
      };
      return { ...state, runs: [...state.runs, run], nextId: id + 1, selectedId: id };
    }
    case 'loading':
      return updateRun(state, action.id, (run) => ({ ...run, loading: action.progress }));
    case 'events': {
      const lines: LogLine[] = [];
      const next = updateRun(state, action.id, (run) =>
        action.events.reduce((current, event) => {
          const { run: updated, line } = applyEvent(current, event);
          if (line) lines.push({ runId: run.id, text: `${run.name} (${formatSizes(run.sizes)}) · ${line}` });
          return updated;
        }, run),
      );
      return lines.length ? { ...next, log: [...next.log, ...lines] } : next;
    }
    case 'end':
      return updateRun(state, action.id, (run) => ({
        ...run,
        status: run.status === 'diverged' ? 'diverged' : action.summary.outcome,
        loading: null,
        examplesDone: 0,
        epochSeconds: 0,
      }));
    case 'failed': {
      const next = updateRun(state, action.id, (run) => ({ ...run, status: 'failed', loading: null, error: action.message }));
      const run = state.runs.find((r) => r.id === action.id);
      return run ? { ...next, log: [...next.log, { runId: run.id, text: `${run.name} (${formatSizes(run.sizes)}) · failed: ${action.message}` }] } : next;
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
