/**
 * The page's runs: one worker per run, started, stopped and removed here; their events go through the
 * pure reducer in run-state.ts. A stop is not an error; a crash marks only its own run failed.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { TrainConfig } from '../nn/config';
import { DEFAULT_CONFIG, networkSizes } from '../nn/config';
import { callback, createTrainerClient, type TrainerClient } from './trainer-client';
import { INITIAL_RUNS, runsReducer, type RunsState } from './run-state';
import { forgetRun, isKeepable, keepRun, restoreRuns } from './run-store';
import type { ImportedModel } from '../worker/protocol';
import { errorMessage } from '../nn/format';

/** How long a stopped worker may take to answer before it is terminated anyway. */
const STOP_GRACE_MS = 1000;

export interface RunsControls {
  state: RunsState;
  /** What could not be kept or restored (storage unavailable, full, or a damaged entry). */
  storageProblems: string[];
  /** False until the kept runs are restored; starting a run waits for it so ids never clash. */
  ready: boolean;
  addImported(imported: ImportedModel, fileName: string): void;
  start(config: TrainConfig): void;
  stopAll(): void;
  remove(id: number): void;
  toggleHidden(id: number): void;
  select(id: number): void;
}

export function useRuns(): RunsControls {
  const [state, dispatch] = useReducer(runsReducer, INITIAL_RUNS);
  const clients = useRef(new Map<number, TrainerClient>());
  /** The one source of run ids: restored runs move it past theirs before anything can start (see `ready`). */
  const nextId = useRef(1);
  const [storageProblems, setStorageProblems] = useState<string[]>([]);
  const [ready, setReady] = useState(false);
  /** What was last written to storage for each run, so each change is written once. */
  const kept = useRef(new Map<number, string>());

  useEffect(() => {
    let cancelled = false;
    void restoreRuns().then(({ runs, problems }) => {
      if (cancelled) return;
      for (const run of runs) kept.current.set(run.id, `${run.status}:${run.hidden}`);
      nextId.current = Math.max(nextId.current, ...runs.map((r) => r.id + 1));
      dispatch({ type: 'restore', runs });
      if (problems.length) setStorageProblems((p) => [...p, ...problems]);
      setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  // Keep each run that has ended (and keep it again when it is hidden or shown).
  useEffect(() => {
    for (const run of state.runs) {
      const signature = `${run.status}:${run.hidden}`;
      if (!isKeepable(run) || kept.current.get(run.id) === signature) continue;
      kept.current.set(run.id, signature);
      void keepRun(run).then((problem) => problem && setStorageProblems((p) => [...p, problem]));
    }
  }, [state.runs]);

  const finish = useCallback((id: number) => {
    clients.current.get(id)?.terminate();
    clients.current.delete(id);
  }, []);

  const start = useCallback(
    (config: TrainConfig) => {
      const id = nextId.current++;
      dispatch({ type: 'start', id, config, sizes: networkSizes(config) });
      const client = createTrainerClient((message) => {
        if (!clients.current.has(id)) return;
        dispatch({ type: 'failed', id, message: `The training worker crashed (${message}). Other runs are not affected; start this one again.` });
        finish(id);
      });
      clients.current.set(id, client);
      // Messages already on their way from a worker that was ended are dropped.
      const live = () => clients.current.get(id) === client;
      void (async () => {
        try {
          await client.api.load(callback((progress) => live() && dispatch({ type: 'loading', id, progress })));
          const summary = await client.api.train(config, callback((events) => live() && dispatch({ type: 'events', id, events })));
          if (live()) dispatch({ type: 'end', id, summary });
        } catch (error) {
          if (live()) dispatch({ type: 'failed', id, message: errorMessage(error) });
        } finally {
          finish(id);
        }
      })();
    },
    [finish],
  );

  const stopOne = useCallback(
    (id: number) => {
      const client = clients.current.get(id);
      if (!client) return;
      void client.api.stop();
      // A worker that does not answer in time is ended; its run keeps what it reported.
      setTimeout(() => {
        if (clients.current.get(id) === client) {
          dispatch({ type: 'end', id, summary: { outcome: 'stopped', epochsDone: 0 } });
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
      finish(id);
      kept.current.delete(id);
      void forgetRun(id);
      dispatch({ type: 'remove', id });
    },
    [finish],
  );

  const addImported = useCallback((imported: ImportedModel, fileName: string) => {
    const hidden = imported.model.sizes.slice(1, -1);
    dispatch({
      type: 'import',
      id: nextId.current++,
      model: imported.model,
      correct: imported.correct,
      total: imported.total,
      fileName,
      config: { ...DEFAULT_CONFIG, hidden, cost: imported.model.cost },
    });
  }, []);

  useEffect(() => {
    const all = clients.current;
    return () => {
      for (const client of all.values()) client.terminate();
      all.clear();
    };
  }, []);

  return {
    state,
    storageProblems,
    ready,
    addImported,
    start,
    stopAll,
    remove,
    toggleHidden: useCallback((id: number) => dispatch({ type: 'toggle-hidden', id }), []),
    select: useCallback((id: number) => dispatch({ type: 'select', id }), []),
  };
}
