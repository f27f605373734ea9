/**
 * Runs kept in this browser (run-store.ts) and shared with its other tabs (tabs.ts): restored when the
 * page opens, written again whenever they change, and brought onto this page when another tab writes one.
 * A run whose tab went away mid-run comes back as interrupted. Also where runs get their numbers.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch } from 'react';
import { errorMessage } from '../../../nn/format';
import { interruptedNotice, type Run } from '../run';
import { type RunIdentity, type RunsAction } from '../run-state';
import {
  forgetRun,
  isKeepable,
  keepHidden,
  keepRun,
  keptState,
  restoreKept,
  takeRunNumbers,
  type KeptRun,
  type KeptState,
} from './run-store';
import { nothingTrainsNow, tellOtherTabs } from './tabs';
import { statusNow, useOtherTabs, useWatchElsewhere } from './use-other-tabs';
import type { RunWorkers } from '../use-run-workers';

/** The longest a worker waits for an epoch to be kept (storage that hangs must not stall training). */
const KEEP_WAIT_MS = 2000;

/** A kept run as a run of this page: `id` is its handle here, `number` its number (the kept one, if any). */
function runOf(kept: KeptRun, id: number, number: number, status: Run['status']): Run {
  return {
    ...kept,
    id,
    number,
    name: `Run ${number}`,
    status,
    loading: null,
    epoch: kept.accuracy.length,
    examplesDone: 0,
    examplesTotal: kept.config.trainingExamples,
    epochSeconds: 0,
    error: null,
    testReadings: null,
    kernel: null,
  };
}

/** Workers waiting for their epochs to be kept: `epochKept` resolves once `settle` says they are. */
export function useKeepWaiters() {
  const waiters = useRef(new Map<number, { epochs: number; resolve: () => void }[]>());

  /** Run `id` has `epochsKept` epochs in storage now (Infinity: it is gone, nobody need wait). */
  const settle = useCallback((id: number, epochsKept: number) => {
    const waiting = waiters.current.get(id) ?? [];
    waiters.current.set(
      id,
      waiting.filter((w) => w.epochs > epochsKept),
    );
    for (const waiter of waiting) if (waiter.epochs <= epochsKept) waiter.resolve();
  }, []);

  /** Resolves when the run's `epochs` epochs are kept (or after KEEP_WAIT_MS, or when the run goes). */
  const epochKept = useCallback((id: number, epochs: number) => {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, KEEP_WAIT_MS);
      const waiting = waiters.current.get(id) ?? [];
      waiting.push({ epochs, resolve: () => (clearTimeout(timer), resolve()) });
      waiters.current.set(id, waiting);
    });
  }, []);

  return { settle, epochKept };
}

/** Notices, each with the run it is about (an interrupted run's goes when it is continued or removed). */
function useNotices() {
  const [notices, setNotices] = useState<{ text: string; runKey: string | null }[]>([]);
  const notify = useCallback(
    (text: string, runKey: string | null = null) =>
      setNotices((all) => (all.some((n) => n.text === text) ? all : [...all, { text, runKey }])),
    [],
  );
  const forgetNotices = useCallback((runKey: string) => setNotices((all) => all.filter((n) => n.runKey !== runKey)), []);
  const texts = useMemo(() => notices.map((n) => n.text), [notices]);
  return { notices: texts, notify, forgetNotices };
}

/**
 * Who the page's runs are: a handle per run key (`id`, this page's alone) and the run's number (`Run 3`),
 * which every tab shows alike: a new run takes the next number from storage (run-store.ts).
 */
function useRunIdentities(kept: { current: Map<number, KeptState> }, runs: Run[]) {
  /** The next handle: restored runs take theirs before anything can start (see `ready`). */
  const nextId = useRef(1);
  /** The handle of every run this page shows, by its key. */
  const idOfKey = useRef(new Map<string, number>());
  /** The runs this page shows now: no new run is numbered below theirs (some are not kept). */
  const shown = useRef(runs);
  useEffect(() => {
    shown.current = runs;
  }, [runs]);
  /** The highest number this page has given (where storage is unusable, the only source of numbers). */
  const highest = useRef(0);
  const highestShown = () => Math.max(0, ...shown.current.map((run) => run.number));
  /** Numbers given here to kept runs that have none (storage could not number them). */
  const localNumbers = useRef(new Map<string, number>());

  /**
   * A kept run as a run of this page: its handle (a new one the first time its key is seen), and noted as
   * written, since this page must not write it back: only a change made here writes a run.
   */
  const pageRunOf = useCallback(
    (record: KeptRun, status: Run['status']): Run => {
      let id = idOfKey.current.get(record.key);
      if (id === undefined) {
        id = nextId.current++;
        idOfKey.current.set(record.key, id);
      }
      let number = record.number;
      if (number <= 0) {
        number = localNumbers.current.get(record.key) ?? Math.max(highest.current, highestShown()) + 1;
        localNumbers.current.set(record.key, number);
        highest.current = Math.max(highest.current, number);
      }
      const run = runOf(record, id, number, status);
      kept.current.set(id, keptState(run));
      return run;
    },
    [kept],
  );

  /** When the last run was made here: a Compare makes its runs within one millisecond. */
  const lastCreated = useRef(0);

  /**
   * Identities for `count` runs made here, numbered in a row. Each one's time is later than every earlier
   * run's of this page, even within one millisecond, so a Compare's runs are listed in the order made.
   */
  const newIdentities = useCallback(async (count: number): Promise<RunIdentity[]> => {
    const taken = await takeRunNumbers(count, highestShown() + 1);
    // Where storage cannot be used, nothing is shared with other tabs: the page numbers its runs alone.
    const first = taken ?? Math.max(highest.current, highestShown()) + 1;
    highest.current = Math.max(highest.current, first + count - 1);
    return Array.from({ length: count }, (_, i) => {
      lastCreated.current = Math.max(Date.now(), lastCreated.current + 1);
      const identity = { id: nextId.current++, key: crypto.randomUUID(), createdAt: lastCreated.current, number: first + i };
      idOfKey.current.set(identity.key, identity.id);
      return identity;
    });
  }, []);

  return { idOfKey, pageRunOf, newIdentities };
}

export function useKeptRuns(
  runs: Run[],
  dispatch: Dispatch<RunsAction>,
  workers: Pick<RunWorkers, 'finish' | 'trainsHere'>,
  settle: (id: number, epochsKept: number) => void,
) {
  const { notices, notify, forgetNotices } = useNotices();
  const [ready, setReady] = useState(false);
  /** What was last written to storage for each run (see keptState), so each change is written once. */
  const kept = useRef(new Map<number, KeptState>());
  const { finish, trainsHere } = workers;

  const { idOfKey, pageRunOf, newIdentities } = useRunIdentities(kept, runs);

  /** A run kept by another tab, brought onto this page (or brought up to date here). */
  const adopt = useCallback(
    (record: KeptRun, status: Run['status']) => {
      const run = pageRunOf(record, status);
      dispatch({ type: 'sync', run });
      return run;
    },
    [dispatch, pageRunOf],
  );

  const { watchElsewhere, stopWatching } = useWatchElsewhere(adopt, notify);

  useRestore(dispatch, pageRunOf, notify, watchElsewhere, setReady);

  const removeHere = useCallback(
    (id: number) => {
      finish(id);
      kept.current.delete(id);
      settle(id, Infinity);
      dispatch({ type: 'remove', id });
    },
    [dispatch, finish, settle],
  );

  useOtherTabs(ready, idOfKey, { removeHere, forgetNotices, trainsHere, adopt, watchElsewhere, stopWatching });

  useKeepChanges(runs, kept, notify, settle);

  /** Remove run `id` here, from storage and from every other tab. */
  const forget = useCallback(
    (id: number) => {
      const key = [...idOfKey.current].find(([, runId]) => runId === id)?.[0];
      removeHere(id);
      if (key === undefined) return;
      forgetNotices(key);
      idOfKey.current.delete(key);
      stopWatching(key);
      void nothingTrainsNow()
        .then((freshStart) => forgetRun(key, freshStart))
        .then(() => tellOtherTabs({ type: 'forgotten', key }));
    },
    [forgetNotices, idOfKey, removeHere, stopWatching],
  );

  return { notices, ready, newIdentities, forget, forgetNotices };
}

/** Restore the kept runs once, when the page opens; `ready` after, so page handles never clash. */
function useRestore(
  dispatch: Dispatch<RunsAction>,
  pageRunOf: (record: KeptRun, status: Run['status']) => Run,
  notify: (text: string, runKey?: string | null) => void,
  watchElsewhere: (key: string) => void,
  setReady: (ready: boolean) => void,
) {
  useEffect(() => {
    let cancelled = false;
    void restoreKept()
      .then(async ({ runs: records, problems }) => {
        const statuses = await Promise.all(records.map(statusNow));
        if (cancelled) return;
        const runs = records.map((record, i) => pageRunOf(record, statuses[i]));
        dispatch({ type: 'restore', runs });
        for (const problem of problems) notify(problem);
        for (const run of runs) {
          if (run.status === 'interrupted') notify(interruptedNotice(run), run.key);
          if (run.status === 'elsewhere') watchElsewhere(run.key);
        }
      })
      // Whatever went wrong, the page trains: new runs need no kept ones.
      .catch((error: unknown) => notify(`The kept runs could not be restored (${errorMessage(error)}); new runs can still be trained.`))
      .finally(() => !cancelled && setReady(true));
    return () => {
      cancelled = true;
    };
  }, [dispatch, notify, pageRunOf, setReady, watchElsewhere]);
}

/** Keep each run that has something to keep, again whenever it changes (an epoch, its end, shown or hidden). */
function useKeepChanges(
  runs: Run[],
  kept: { current: Map<number, KeptState> },
  notify: (text: string) => void,
  settle: (id: number, epochsKept: number) => void,
) {
  useEffect(() => {
    for (const run of runs) {
      if (!isKeepable(run)) continue;
      const now = keptState(run);
      const before = kept.current.get(run.id);
      if (before?.record === now.record && before.hidden === now.hidden) continue;
      kept.current.set(run.id, now);
      const epochs = run.accuracy.length;
      if (before?.record === now.record) {
        // Only shown or hidden: written only if the run is still kept, so a run removed elsewhere stays removed.
        void keepHidden(run.key, run.hidden).then((written) => written && tellOtherTabs({ type: 'kept', key: run.key }));
        continue;
      }
      void keepRun(run).then((problem) => {
        if (problem) notify(problem);
        else tellOtherTabs({ type: 'kept', key: run.key });
        settle(run.id, epochs);
      });
    }
  }, [runs, kept, notify, settle]);
}
