/**
 * The page's runs: one worker per run, started, stopped, continued and removed here; their events go
 * through the pure reducer in run-state.ts. Each finished epoch is kept (run-store.ts) before the worker
 * trains the next, other tabs hear of it (tabs.ts), and a run whose tab went away mid-run comes back as
 * interrupted. A stop is not an error; a crash marks only its own run failed.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { TrainConfig } from '../nn/config';
import { DEFAULT_CONFIG, networkSizes } from '../nn/config';
import { callback, createWorkerClient, loadFromKeeper, type WorkerClient } from './worker-client';
import { canContinue, interruptedNotice, INITIAL_RUNS, isActive, runsReducer, type Run, type RunsState } from './run-state';
import { forgetRun, isKeepable, keepHidden, keepRun, keptState, readKept, restoreKept, type KeptRun, type KeptState } from './run-store';
import { holdRunLock, listenToOtherTabs, tellOtherTabs, trainedElsewhere, whenTrainedNowhere } from './tabs';
import type { ImportedModel, Resume, RunEvent } from '../worker/protocol';
import { errorMessage } from '../nn/format';

/** How long a stopped worker may take to answer before it is terminated anyway. */
const STOP_GRACE_MS = 1000;
/** The longest a worker waits for an epoch to be kept (storage that hangs must not stall training). */
const KEEP_WAIT_MS = 2000;

export interface RunsControls {
  state: RunsState;
  /** What could not be kept or restored, and runs found interrupted: shown as notices. */
  notices: string[];
  /** False until the kept runs are restored; starting a run waits for it so page numbers never clash. */
  ready: boolean;
  addImported(imported: ImportedModel, fileName: string): void;
  start(config: TrainConfig): void;
  /** Continue an interrupted or stopped run from its last kept epoch, with its settings. */
  continueRun(run: Run): void;
  stopAll(): void;
  remove(id: number): void;
  toggleHidden(id: number): void;
  select(id: number): void;
}

/** A kept run as a run of this page, numbered `id` here. */
function runOf(kept: KeptRun, id: number, status: Run['status']): Run {
  return {
    ...kept,
    id,
    name: `Run ${id}`,
    status,
    loading: null,
    epoch: kept.accuracy.length,
    examplesDone: 0,
    examplesTotal: kept.config.trainingExamples,
    epochSeconds: 0,
    error: null,
    testReadings: null,
  };
}

/** Early stopping's best so far, from a run's kept epochs (the first epoch with the highest count, as sgdEvents counts). */
function bestValidationOf(run: Run): Resume['bestValidation'] {
  let best: Resume['bestValidation'] = null;
  for (const point of run.accuracy) {
    if (point.validationCorrect !== null && (best === null || point.validationCorrect > best.correct))
      best = { epoch: point.epoch, correct: point.validationCorrect };
  }
  return best;
}

export function useRuns(): RunsControls {
  const [state, dispatch] = useReducer(runsReducer, INITIAL_RUNS);
  /** Workers of the runs this page trains, by page number. */
  const clients = useRef(new Map<number, WorkerClient<'training'>>());
  /** The one source of page numbers: restored runs take theirs before anything can start (see `ready`). */
  const nextId = useRef(1);
  /** Page number of every run this page shows, by its key. */
  const idOfKey = useRef(new Map<string, number>());
  /** Notices, each with the run it is about (an interrupted run's goes when it is continued or removed). */
  const [notices, setNotices] = useState<{ text: string; runKey: string | null }[]>([]);
  const [ready, setReady] = useState(false);
  /** What was last written to storage for each run (see keptState), so each change is written once. */
  const kept = useRef(new Map<number, KeptState>());
  /** Workers waiting for an epoch to be kept: resolved once the run's kept epochs reach `epochs`. */
  const keepWaiters = useRef(new Map<number, { epochs: number; resolve: () => void }[]>());
  /**
   * Runs asked to stop: from the click on they take no more events, so no epoch appears after Stop (one
   * whose measurement was under way when Stop was clicked is dropped, with its weights).
   */
  const stopping = useRef(new Set<number>());
  /** How to let go of the Web Lock of each run this page trains (see tabs.ts), by page number. */
  const runLocks = useRef(new Map<number, () => void>());
  /** Runs of other tabs being watched until they end there, by key. */
  const watching = useRef(new Map<string, AbortController>());

  const notify = useCallback(
    (text: string, runKey: string | null = null) =>
      setNotices((all) => (all.some((n) => n.text === text) ? all : [...all, { text, runKey }])),
    [],
  );
  const forgetNotices = useCallback((runKey: string) => setNotices((all) => all.filter((n) => n.runKey !== runKey)), []);

  const settleWaiters = useCallback((id: number, epochsKept: number) => {
    const waiting = keepWaiters.current.get(id) ?? [];
    const [done, rest] = [waiting.filter((w) => w.epochs <= epochsKept), waiting.filter((w) => w.epochs > epochsKept)];
    keepWaiters.current.set(id, rest);
    for (const waiter of done) waiter.resolve();
  }, []);

  /**
   * A kept run as a run of this page: its page number (a new one the first time its key is seen), and
   * noted as written, since this page must not write it back: only a change made here writes a run.
   */
  const pageRunOf = useCallback((record: KeptRun, status: Run['status']): Run => {
    let id = idOfKey.current.get(record.key);
    if (id === undefined) {
      id = nextId.current++;
      idOfKey.current.set(record.key, id);
    }
    const run = runOf(record, id, status);
    kept.current.set(id, keptState(run));
    return run;
  }, []);

  /** A run kept by another tab, brought onto this page (or brought up to date here). */
  const adopt = useCallback(
    (record: KeptRun, status: Run['status']) => {
      const run = pageRunOf(record, status);
      dispatch({ type: 'sync', run });
      return run;
    },
    [pageRunOf],
  );

  /** Follow a run that another tab trains; when that tab lets it go, show how it ended (or that it was interrupted). */
  const watchElsewhere = useCallback(
    (key: string) => {
      if (watching.current.has(key)) return;
      const stop = new AbortController();
      watching.current.set(key, stop);
      void whenTrainedNowhere(key, stop.signal)
        .then(async () => {
          watching.current.delete(key);
          const record = await readKept(key);
          if (!record) return;
          const run = adopt(record, record.status === 'training' ? 'interrupted' : record.status);
          if (run.status === 'interrupted') notify(interruptedNotice(run), run.key);
        })
        .catch(() => watching.current.delete(key));
    },
    [adopt, notify],
  );

  /** Where a kept record stands now: 'training' means under way in another tab, or interrupted. */
  const statusNow = useCallback(async (record: KeptRun): Promise<Run['status']> => {
    if (record.status !== 'training') return record.status;
    return (await trainedElsewhere(record.key)) ? 'elsewhere' : 'interrupted';
  }, []);

  useEffect(() => {
    let cancelled = false;
    void restoreKept().then(async ({ runs: records, problems }) => {
      const statuses = await Promise.all(records.map(statusNow));
      if (cancelled) return;
      const runs = records.map((record, i) => pageRunOf(record, statuses[i]));
      dispatch({ type: 'restore', runs });
      for (const problem of problems) notify(problem);
      for (const run of runs) {
        if (run.status === 'interrupted') notify(interruptedNotice(run), run.key);
        if (run.status === 'elsewhere') watchElsewhere(run.key);
      }
      setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, [notify, pageRunOf, statusNow, watchElsewhere]);

  const finish = useCallback((id: number) => {
    clients.current.get(id)?.terminate();
    clients.current.delete(id);
    // A worker ended here (a stop that was not answered, a crash) may never answer train(): let the lock go now.
    runLocks.current.get(id)?.();
    runLocks.current.delete(id);
    stopping.current.delete(id);
  }, []);

  const removeHere = useCallback(
    (id: number) => {
      finish(id);
      kept.current.delete(id);
      settleWaiters(id, Infinity);
      dispatch({ type: 'remove', id });
    },
    [finish, settleWaiters],
  );

  // What the other tabs say: a run kept there appears (or moves on) here; a run removed there goes here too.
  useEffect(
    () =>
      listenToOtherTabs((message) => {
        // Until the kept runs are restored, restoring reads the latest of every run anyway.
        if (!ready) return;
        const id = idOfKey.current.get(message.key);
        if (message.type === 'forgotten') {
          if (id !== undefined) removeHere(id);
          forgetNotices(message.key);
          idOfKey.current.delete(message.key);
          watching.current.get(message.key)?.abort();
          return;
        }
        if (id !== undefined && clients.current.has(id)) return; // trained here
        void readKept(message.key).then(async (record) => {
          if (!record) return;
          const status = await statusNow(record);
          adopt(record, status);
          if (status === 'elsewhere') watchElsewhere(record.key);
        });
      }),
    [adopt, forgetNotices, ready, removeHere, statusNow, watchElsewhere],
  );

  // Keep each run that has something to keep, again whenever it changes (an epoch, its end, shown or hidden).
  useEffect(() => {
    for (const run of state.runs) {
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
        settleWaiters(run.id, epochs);
      });
    }
  }, [state.runs, notify, settleWaiters]);

  /** Resolves when the run's `epochs` epochs are kept (or after KEEP_WAIT_MS, or when the run goes). */
  const epochKept = useCallback((id: number, epochs: number) => {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, KEEP_WAIT_MS);
      const waiting = keepWaiters.current.get(id) ?? [];
      waiting.push({ epochs, resolve: () => (clearTimeout(timer), resolve()) });
      keepWaiters.current.set(id, waiting);
    });
  }, []);

  /** Train run `id` in a worker of its own: from scratch, or from `resume`. */
  const launch = useCallback(
    (id: number, key: string, config: TrainConfig, resume: Resume | null) => {
      const client = createWorkerClient('training', (message) => {
        if (!clients.current.has(id)) return;
        dispatch({
          type: 'failed',
          id,
          message: `The training worker crashed (${message}). Other runs are not affected; start this one again.`,
        });
        finish(id);
      });
      clients.current.set(id, client);
      // Messages already on their way from a worker that was ended are dropped.
      const live = () => clients.current.get(id) === client;
      const onEvents = (events: RunEvent[]): Promise<void> | void => {
        if (!live() || stopping.current.has(id)) return;
        dispatch({ type: 'events', id, events });
        const epochs = events.flatMap((e) => (e.kind === 'epoch' ? [e.epoch + 1] : []));
        if (epochs.length) return epochKept(id, Math.max(...epochs));
      };
      void (async () => {
        const release = await holdRunLock(key);
        if (release) runLocks.current.set(id, release);
        try {
          if (!release) throw new Error('it is already training in another tab of this browser.');
          await loadFromKeeper(client, (progress) => live() && dispatch({ type: 'loading', id, progress }));
          const summary = await client.api.train(config, callback(onEvents), resume);
          if (live()) dispatch({ type: 'end', id, summary });
        } catch (error) {
          if (live()) dispatch({ type: 'failed', id, message: errorMessage(error) });
        } finally {
          finish(id);
        }
      })();
    },
    [epochKept, finish],
  );

  const start = useCallback(
    (config: TrainConfig) => {
      const identity = { id: nextId.current++, key: crypto.randomUUID(), createdAt: Date.now() };
      idOfKey.current.set(identity.key, identity.id);
      dispatch({ type: 'start', ...identity, config, sizes: networkSizes(config) });
      launch(identity.id, identity.key, config, null);
    },
    [launch],
  );

  const continueRun = useCallback(
    (run: Run) => {
      if (!canContinue(run) || clients.current.has(run.id)) return;
      forgetNotices(run.key);
      dispatch({ type: 'resume', id: run.id });
      launch(run.id, run.key, run.config, {
        parameters: run.parameters!,
        epochsDone: run.accuracy.length,
        bestValidation: bestValidationOf(run),
      });
    },
    [forgetNotices, launch],
  );

  const stopOne = useCallback(
    (id: number) => {
      const client = clients.current.get(id);
      if (!client) return;
      stopping.current.add(id);
      void client.api.stop();
      // A worker that does not answer in time is ended; its run keeps what it reported.
      setTimeout(() => {
        if (clients.current.get(id) === client) {
          dispatch({ type: 'end', id, summary: { outcome: 'stopped' } });
          finish(id);
        }
      }, STOP_GRACE_MS);
    },
    [finish],
  );

  const stopAll = useCallback(() => {
    for (const id of clients.current.keys()) stopOne(id);
  }, [stopOne]);

  const remove = useCallback(
    (id: number) => {
      const key = [...idOfKey.current].find(([, runId]) => runId === id)?.[0];
      removeHere(id);
      if (key === undefined) return;
      forgetNotices(key);
      idOfKey.current.delete(key);
      watching.current.get(key)?.abort();
      void forgetRun(key).then(() => tellOtherTabs({ type: 'forgotten', key }));
    },
    [forgetNotices, removeHere],
  );

  const addImported = useCallback((imported: ImportedModel, fileName: string) => {
    const hidden = imported.model.sizes.slice(1, -1);
    const identity = { id: nextId.current++, key: crypto.randomUUID(), createdAt: Date.now() };
    idOfKey.current.set(identity.key, identity.id);
    dispatch({
      type: 'import',
      ...identity,
      imported,
      fileName,
      config: { ...DEFAULT_CONFIG, hidden, cost: imported.model.cost },
    });
  }, []);

  // Closing or reloading the tab while a run trains here asks first (the finished epochs are kept either way).
  const training = state.runs.some(isActive);
  useEffect(() => {
    if (!training) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    addEventListener('beforeunload', ask);
    return () => removeEventListener('beforeunload', ask);
  }, [training]);

  useEffect(() => {
    const all = clients.current;
    const watched = watching.current;
    return () => {
      for (const client of all.values()) client.terminate();
      all.clear();
      for (const stop of watched.values()) stop.abort();
    };
  }, []);

  return {
    state,
    notices: useMemo(() => notices.map((n) => n.text), [notices]),
    ready,
    addImported,
    start,
    continueRun,
    stopAll,
    remove,
    toggleHidden: useCallback((id: number) => dispatch({ type: 'toggle-hidden', id }), []),
    select: useCallback((id: number) => dispatch({ type: 'select', id }), []),
  };
}
