/**
 * Runs kept across reloads in IndexedDB (through idb-keyval): settings, curves and the latest weights,
 * written after every epoch, so a reload or a closed tab loses at most the epoch in progress. Each run is
 * kept under its own random UUID, so two tabs never write over each other's runs. A stored run that is
 * corrupt or from an unknown version is dropped with a message; storage that is full or unavailable
 * (private windows) leaves the app working and says what could not be kept.
 */
import { clear, createStore, entries, get, promisifyRequest, set, setMany, type UseStore } from 'idb-keyval';
import { isActive, type Run } from '../run';
import { errorMessage, storageReason } from '../../../nn/format';
import { check, isKeptStatus, KeptRunRecordSchema, KeptRunSchema, type KeptRun, type KeptStatus } from './kept-schema';

/**
 * Bumped whenever the stored shape changes. Version 1 kept runs under the page's run number (which two
 * tabs could share); its entries are moved to version 2 under a new UUID when found.
 */
const STORE_VERSION = 2;

/** What is kept of a run (its schema is kept-schema.ts); `status` is 'training' while the run is under way in some tab. */
export type { KeptRun };
interface StoredRun {
  version: number;
  run: KeptRun;
}

let store: UseStore | null = null;
function runStore(): UseStore {
  store ??= createStore('mnist-live', 'runs');
  return store;
}

/**
 * Whether a run has something worth keeping: a network, and a status that is not this page's alone. A
 * Compare's runs are kept from the moment they are queued, so a reload finds the whole comparison (those
 * that had not begun come back interrupted before their first epoch, and continue from the start), and so
 * is a run begun from a loaded network (that network is its own until its first epoch).
 */
export function isKeepable(run: Run): boolean {
  const keepable = isKeptStatus(statusKept(run));
  if (run.source === null && run.accuracy.length === 0 && (run.comparison !== null || run.startedFrom !== null)) return keepable;
  return keepable && run.parameters !== null && run.accuracy.length > 0;
}

/** The status a run is kept with: 'training' while it is under way (queued, loading, training or paused). */
const statusKept = (run: Run): string => (isActive(run) ? 'training' : run.status);

/** What was last written of a run: its record (status and epochs) and, apart, whether it is shown. */
export interface KeptState {
  record: string;
  hidden: boolean;
}

/** What, when it changes, calls for the run to be written again: a new epoch or status, or shown/hidden. */
export function keptState(run: Run): KeptState {
  // A paused run is written again at each new position (a step), so a reload picks up at that mini-batch.
  const at = run.status === 'paused' && run.position ? `:${run.position.example}` : '';
  return { record: `${isActive(run) ? 'training' : run.status}:${run.accuracy.length}${at}`, hidden: run.hidden };
}

/** A run this page trains is kept as 'training': if the page goes away, the next one finds it interrupted. */
function keptStatus(run: Run): KeptStatus {
  const status = statusKept(run);
  if (!isKeptStatus(status)) throw new Error(`a run that is ${status} is not kept`);
  return status;
}

/**
 * What is written of a run: the run with its kept status; keepRun writes only the fields its schema
 * names (kept-schema.ts), so what only the page knows is never written.
 */
export function keptOf(run: Run): KeptRun {
  const checked = check(KeptRunRecordSchema, { ...run, status: keptStatus(run) });
  // The reader's check (but for each weight's value), before writing: what is written can be read back.
  if (!checked.ok) throw new Error(`${checked.reason}, which the next visit could not read`);
  return checked.value;
}

/** Keep a run as it is now; resolves to a message when it could not be kept. */
export async function keepRun(run: Run): Promise<string | null> {
  try {
    const kept = keptOf(run);
    await set(run.key, { version: STORE_VERSION, run: kept } satisfies StoredRun, runStore());
    return null;
  } catch (error) {
    return `${run.name} could not be kept for your next visit (${storageReason(error)}); it stays on this page until you close it.`;
  }
}

/** Record that a kept run is shown or hidden, only if it is still kept: a run removed elsewhere stays removed. */
export async function keepHidden(key: string, hidden: boolean): Promise<boolean> {
  try {
    return await runStore()(
      'readwrite',
      (objects) =>
        new Promise<boolean>((resolve, reject) => {
          const read = objects.get(key);
          read.onsuccess = () => {
            const stored = read.result as StoredRun | undefined;
            if (!stored || stored.version !== STORE_VERSION) return resolve(false);
            objects.put({ ...stored, run: { ...stored.run, hidden } } satisfies StoredRun, key);
            resolve(promisifyRequest(objects.transaction).then(() => true));
          };
          read.onerror = () => reject(read.error);
        }),
    );
  } catch {
    return false;
  }
}

/**
 * Remove a kept run. When it was the last and `freshStart` says no run trains or waits in any tab, the
 * run counter goes with it, so the next run is Run 1 again (in the same transaction: a run kept meanwhile
 * by another tab keeps the counter).
 */
export async function forgetRun(key: IDBValidKey, freshStart = false): Promise<void> {
  try {
    await runStore()('readwrite', async (objects) => {
      objects.delete(key);
      if (freshStart) {
        const [keys] = (await allDone([objects.getAllKeys()])) as [IDBValidKey[]];
        if (keys.every((k) => k === NUMBER_KEY)) objects.delete(NUMBER_KEY);
      }
      await promisifyRequest(objects.transaction);
    });
  } catch {
    // Nothing was kept, so there is nothing to forget.
  }
}

/** Check a stored entry thoroughly: it came from disk and may be from another version or damaged. */
function validate(value: unknown, key: IDBValidKey): KeptRun | string {
  const stored = value as Partial<StoredRun> | null;
  if (!stored || typeof stored !== 'object' || (stored.version !== STORE_VERSION && stored.version !== 1))
    return 'it was kept by an older version of this page';
  let run: unknown = stored.run;
  if (stored.version === 1 && run && typeof run === 'object') {
    // Version 1: keyed by the page's run number, without a UUID or a time of making.
    const old = run as Partial<KeptRun>;
    run = {
      ...old,
      key: crypto.randomUUID(),
      createdAt: typeof key === 'number' ? key : 0,
      evalSeconds: 0,
      accuracy: Array.isArray(old.accuracy) ? old.accuracy.map((a) => ({ ...a, validationCorrect: null, seconds: null })) : old.accuracy,
    };
  }
  try {
    const checked = check(KeptRunSchema, run);
    return checked.ok ? checked.value : checked.reason;
  } catch (error) {
    return `its record could not be read (${errorMessage(error)})`;
  }
}

/** One kept run, as stored now (null when it is gone or cannot be read). */
export async function readKept(key: string): Promise<KeptRun | null> {
  try {
    const kept = validate(await get(key, runStore()), key);
    return typeof kept === 'string' ? null : kept;
  } catch {
    return null;
  }
}

/** The kept runs in the order they were made, and a message for each that could not be restored. */
export async function restoreKept(): Promise<{ runs: KeptRun[]; problems: string[] }> {
  let all: [IDBValidKey, unknown][];
  try {
    await numberUnnumbered().catch(() => undefined);
    all = (await entries(runStore())).filter(([key]) => key !== NUMBER_KEY);
  } catch (error) {
    return {
      runs: [],
      problems: [`Runs cannot be kept in this browser (${storageReason(error)}): they will be lost when you close the page.`],
    };
  }
  const runs: KeptRun[] = [];
  const problems: string[] = [];
  for (const [key, value] of all) {
    let kept = validate(value, key);
    const version = (value as Partial<StoredRun> | null)?.version;
    if (typeof kept !== 'string' && version === STORE_VERSION && key !== kept.key) kept = 'it is kept under a key that is not its own';
    if (typeof kept === 'string') {
      problems.push(`${nameOf(value)} could not be restored: ${kept}. ${await setAside(key, value)}`);
      continue;
    }
    if (key !== kept.key) {
      // A version 1 entry: keep it under its new UUID (its old number could clash with another tab's).
      try {
        await set(kept.key, { version: STORE_VERSION, run: kept } satisfies StoredRun, runStore());
        await forgetRun(key);
      } catch {
        // It stays as it was and is moved on the next visit.
      }
    }
    runs.push(kept);
  }
  runs.sort((a, b) => a.createdAt - b.createdAt);
  return { runs, problems };
}

/** How a message names a stored run that failed its check: by its number, when it has one. */
function nameOf(value: unknown): string {
  const n = (value as Partial<StoredRun> | null)?.run?.number;
  return isRunNumber(n) ? `Kept run ${n}` : 'A kept run';
}

let asideStore: UseStore | null = null;
/** Runs that failed their check, kept apart whole (never read by the page), so nothing is destroyed. */
function setAsideStore(): UseStore {
  asideStore ??= createStore('mnist-live-set-aside', 'runs');
  return asideStore;
}

/** Move a damaged record out of the runs, into the set-aside store; says where it went. */
async function setAside(key: IDBValidKey, value: unknown): Promise<string> {
  try {
    await set(`${Date.now()}:${String(key)}`, value, setAsideStore());
  } catch {
    // Not even a copy can be written: it is removed all the same, so it cannot fail again.
  }
  await forgetRun(key);
  return 'It was set aside, apart from your runs, so it cannot fail again.';
}

/** Set every kept run aside (the last resort when the runs cannot be shown): the page starts with none. */
export async function setAsideAllRuns(): Promise<void> {
  try {
    const all = await entries(runStore());
    await setMany(
      all.map(([key, value]) => [`${Date.now()}:${String(key)}`, value]),
      setAsideStore(),
    );
    await clear(runStore());
  } catch {
    // Storage that cannot be read has nothing to set aside.
  }
}

/** Where the next run number is kept: beside the runs, so one transaction sees both (no run has this key). */
const NUMBER_KEY = 'next-run-number';

const isRunNumber = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

/** The highest number of the kept runs in `values` (0 if none). */
function highestNumber(values: unknown[]): number {
  let highest = 0;
  for (const value of values) {
    const n = (value as Partial<StoredRun> | null)?.run?.number;
    if (isRunNumber(n)) highest = Math.max(highest, n);
  }
  return highest;
}

/** Every request of `requests` done, in one transaction: resolves to their results. */
function allDone(requests: IDBRequest[]): Promise<unknown[]> {
  return Promise.all(requests.map((request) => promisifyRequest(request)));
}

/**
 * Numbers for `count` new runs: the first of `count` in a row, the same in every tab. They come from a
 * counter kept beside the runs and moved on in the same transaction, so two tabs never take one number
 * twice; never below `floor` (runs this page shows that are not kept). Null when storage cannot be used.
 */
export async function takeRunNumbers(count: number, floor: number): Promise<number | null> {
  try {
    return await runStore()('readwrite', async (objects) => {
      const [counter] = await allDone([objects.get(NUMBER_KEY)]);
      // No counter: none was ever taken, or the last run was removed (see forgetRun); past every kept run's number.
      let next = isRunNumber(counter) ? counter : highestNumber((await allDone([objects.getAll()]))[0] as unknown[]) + 1;
      next = Math.max(next, floor);
      objects.put(next + count, NUMBER_KEY);
      await promisifyRequest(objects.transaction);
      return next;
    });
  } catch {
    return null;
  }
}

/**
 * Number the kept runs that have none (kept before runs were numbered in storage), in the order they were
 * made, in one transaction: a second tab opening at the same moment finds them numbered.
 */
async function numberUnnumbered(): Promise<void> {
  await runStore()('readwrite', async (objects) => {
    // A counter means the runs were numbered already: no need to read every run (weights and all) twice at start-up.
    const [kept] = await allDone([objects.get(NUMBER_KEY)]);
    if (isRunNumber(kept)) return;
    const [keys, values] = (await allDone([objects.getAllKeys(), objects.getAll()])) as [IDBValidKey[], unknown[]];
    const counter = values[keys.indexOf(NUMBER_KEY)];
    const unnumbered: { key: IDBValidKey; stored: StoredRun }[] = [];
    keys.forEach((key, i) => {
      const stored = values[i] as Partial<StoredRun> | null;
      const known = stored?.version === STORE_VERSION || stored?.version === 1;
      if (key !== NUMBER_KEY && known && stored.run && typeof stored.run === 'object' && !isRunNumber(stored.run.number))
        unnumbered.push({ key, stored: stored as StoredRun });
    });
    if (!unnumbered.length) return;
    let next = Math.max(isRunNumber(counter) ? counter : 1, highestNumber(values) + 1);
    unnumbered.sort((a, b) => (a.stored.run.createdAt ?? 0) - (b.stored.run.createdAt ?? 0));
    for (const { key, stored } of unnumbered) objects.put({ ...stored, run: { ...stored.run, number: next++ } }, key);
    objects.put(next, NUMBER_KEY);
    await promisifyRequest(objects.transaction);
  });
}
