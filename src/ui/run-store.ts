/**
 * Runs kept across reloads in IndexedDB (through idb-keyval): settings, curves and final weights. A
 * stored run that is corrupt or from another version is dropped with a message; storage that is full or
 * unavailable (private windows) leaves the app working and says what could not be kept.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { parseTrainConfig } from '../nn/config';
import type { Run } from './run-state';
import { errorMessage } from '../nn/format';

/** Bumped whenever the stored shape changes; older entries are dropped, with a message. */
const STORE_VERSION = 1;
const TERMINAL: ReadonlySet<Run['status']> = new Set(['finished', 'stopped', 'stopped early', 'diverged', 'loaded']);

type KeptRun = Pick<Run, 'id' | 'name' | 'config' | 'sizes' | 'status' | 'accuracy' | 'trainingSeconds' | 'examplesPerSecond' | 'parameters' | 'source' | 'hidden'>;
interface StoredRun {
  version: number;
  run: KeptRun;
}

let store: UseStore | null = null;
function runStore(): UseStore {
  store ??= createStore('mnist-live', 'runs');
  return store;
}

/** Whether a run has ended and so can be kept. */
export function isKeepable(run: Run): boolean {
  return TERMINAL.has(run.status) && run.parameters !== null;
}

function reason(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') return 'the browser’s storage is full';
  return errorMessage(error);
}

/** Keep a finished run; resolves to a message when it could not be kept. */
export async function keepRun(run: Run): Promise<string | null> {
  const kept: KeptRun = {
    id: run.id,
    name: run.name,
    config: run.config,
    sizes: run.sizes,
    status: run.status,
    accuracy: run.accuracy,
    trainingSeconds: run.trainingSeconds,
    examplesPerSecond: run.examplesPerSecond,
    parameters: run.parameters,
    source: run.source,
    hidden: run.hidden,
  };
  try {
    await set(run.id, { version: STORE_VERSION, run: kept } satisfies StoredRun, runStore());
    return null;
  } catch (error) {
    return `${run.name} could not be kept for your next visit (${reason(error)}); it stays on this page until you close it.`;
  }
}

export async function forgetRun(id: number): Promise<void> {
  try {
    await del(id, runStore());
  } catch {
    // Nothing was kept, so there is nothing to forget.
  }
}

/** Check a stored entry thoroughly: it came from disk and may be from another version or damaged. */
function validate(value: unknown): KeptRun | string {
  const stored = value as Partial<StoredRun> | null;
  if (!stored || typeof stored !== 'object' || stored.version !== STORE_VERSION) return 'it was kept by an older version of this page';
  const run = stored.run as Partial<KeptRun> | undefined;
  if (!run || typeof run.id !== 'number' || typeof run.name !== 'string' || !Array.isArray(run.sizes) || !Array.isArray(run.accuracy)) return 'its record is damaged';
  if (!parseTrainConfig(run.config ?? {}).ok) return 'its settings are damaged';
  const p = run.parameters;
  const sizes = run.sizes;
  const shapesFit =
    p &&
    p.weights.length === sizes.length - 1 &&
    p.weights.every((w, l) => w instanceof Float32Array && w.length === sizes[l] * sizes[l + 1]) &&
    p.biases.every((b, l) => b instanceof Float32Array && b.length === sizes[l + 1]);
  if (!shapesFit) return 'its weights are damaged';
  return run as KeptRun;
}

/** The kept runs, as runs of this page, and a message for each that could not be restored. */
export async function restoreRuns(): Promise<{ runs: Run[]; problems: string[] }> {
  let all: [IDBValidKey, unknown][];
  try {
    all = await entries(runStore());
  } catch (error) {
    return { runs: [], problems: [`Runs cannot be kept in this browser (${reason(error)}): they will be lost when you close the page.`] };
  }
  const runs: Run[] = [];
  const problems: string[] = [];
  for (const [key, value] of all) {
    const kept = validate(value);
    if (typeof kept === 'string') {
      problems.push(`A kept run could not be restored: ${kept}. It was removed.`);
      await forgetRun(key as number);
      continue;
    }
    runs.push({
      ...kept,
      loading: null,
      epoch: kept.accuracy.length,
      examplesDone: 0,
      examplesTotal: kept.config.trainingExamples,
      epochSeconds: 0,
      error: null,
    });
  }
  return { runs, problems };
}
