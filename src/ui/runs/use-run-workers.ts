/**
 * The workers of the runs this page trains: one training worker per run, started, stopped and ended
 * here. Each run holds its Web Lock (tabs.ts) from the moment it is queued until it ends, and each epoch
 * it reports waits until the page has kept it (`epochKept`). A stop is not an error; a crash marks only
 * its own run failed.
 */
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { TrainConfig } from '../../nn/config';
import { errorMessage } from '../../nn/format';
import type { Resume, RunEvent, Tuning } from '../../worker/protocol';
import type { RunsAction } from './run-state';
import { holdRunLock } from './keeping/tabs';
import {
  callback,
  createWorkerClient,
  loadFromKeeper,
  WORKER_ANSWER_LIMIT_MS,
  withinTime,
  type WorkerClient,
} from '../platform/worker-client';

/** How long a stopped worker may take to answer before it is terminated anyway. */
const STOP_GRACE_MS = 1000;

/** A run to train: its handle on this page and its key, its settings, and where it resumes (null: from scratch). */
interface Launch {
  id: number;
  key: string;
  config: TrainConfig;
  resume: Resume | null;
  tuning: Tuning | null;
}

/**
 * The kernel asked for in the page's address (`?kernel=simd`, `relaxed` or `js`; default: the fastest this
 * browser runs), for comparing them here; the worker checks the name.
 */
const requestedKernel = (): string | null => new URLSearchParams(globalThis.location?.search ?? '').get('kernel');

/** How many runs train at once: one per core, so a Compare of many seeds never starves the page. */
const cores = (): number => Math.max(1, globalThis.navigator?.hardwareConcurrency || 2);

export interface RunWorkers {
  /**
   * Train run `id` in a worker of its own, from scratch, from `resume`, or fine-tuning `tuning`'s network: now
   * if a core is free, else once one is (the run waits as `queued`).
   */
  launch(id: number, key: string, config: TrainConfig, resume: Resume | null, tuning?: Tuning | null): void;
  /** Ask every run of this page to stop. */
  stopAll(): void;
  /** End run `id`'s worker now (it was removed, or has ended) and let its lock go. */
  finish(id: number): void;
  /** Whether this page trains run `id` right now. */
  trainsHere(id: number): boolean;
}

export function useRunWorkers(dispatch: Dispatch<RunsAction>, epochKept: (id: number, epochs: number) => Promise<void>): RunWorkers {
  /** Workers of the runs this page trains, by their handle on this page. */
  const clients = useRef(new Map<number, WorkerClient<'training'>>());
  /**
   * Runs asked to stop: from the click on they take no more events, so no epoch appears after Stop (one
   * whose measurement was under way when Stop was clicked is dropped, with its weights).
   */
  const stopping = useRef(new Set<number>());
  /**
   * The Web Lock of each run this page trains or has queued (see keeping/tabs.ts), by the run's handle on this page: taken when the
   * run is queued, so another tab sees a queued run as under way here, not as interrupted. Resolves to how
   * to let it go, or to null when another tab holds it.
   */
  const runLocks = useRef(new Map<number, Promise<(() => void) | null>>());
  /** Runs waiting for a free core, in the order they were asked for. */
  const queue = useRef<Launch[]>([]);
  /** Starts queued runs while there are free cores (set below, once startNow exists). */
  const startQueued = useRef(() => {});

  const finish = useCallback((id: number) => {
    clients.current.get(id)?.terminate();
    clients.current.delete(id);
    // A worker ended here (a stop that was not answered, a crash) may never answer train(): let the lock go now.
    void runLocks.current.get(id)?.then((release) => release?.());
    runLocks.current.delete(id);
    stopping.current.delete(id);
    queue.current = queue.current.filter((waiting) => waiting.id !== id);
    startQueued.current();
  }, []);

  const startNow = useCallback(
    ({ id, key, config, resume, tuning }: Launch) => {
      /** Whether the worker has answered: one that ends before it ever does could not load its script. */
      const started = { answered: false };
      const client = createWorkerClient('training', (message) => {
        if (!clients.current.has(id)) return;
        dispatch({
          type: 'failed',
          id,
          message: started.answered
            ? `the training worker crashed (${message}); other runs are not affected`
            : `its worker could not start (${message}): its script may be missing after an update of the page. Reload the page and train again (your runs are kept)`,
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
      void trainInWorker(client, key, config, resume, tuning, {
        dispatch: (action) => live() && dispatch(action),
        onEvents,
        runLocks,
        id,
        started,
      }).finally(() => finish(id));
    },
    [dispatch, epochKept, finish],
  );

  useEffect(() => {
    startQueued.current = () => {
      while (queue.current.length && clients.current.size < cores()) {
        const next = queue.current.shift()!;
        dispatch({ type: 'dequeue', id: next.id });
        startNow(next);
      }
    };
  }, [dispatch, startNow]);

  const launch = useCallback((id: number, key: string, config: TrainConfig, resume: Resume | null, tuning: Tuning | null = null) => {
    if (!runLocks.current.has(id)) runLocks.current.set(id, holdRunLock(key));
    queue.current.push({ id, key, config, resume, tuning });
    startQueued.current();
  }, []);

  const stopAll = useCallback(() => {
    // Runs still waiting end first, so none starts as a training one stops.
    const waiting = queue.current;
    queue.current = [];
    for (const { id } of waiting) {
      dispatch({ type: 'end', id, summary: { outcome: 'stopped' } });
      finish(id);
    }
    for (const [id, client] of clients.current) {
      stopping.current.add(id);
      void client.api.stop();
      // A worker that does not answer in time is ended; its run keeps what it reported.
      setTimeout(() => {
        if (clients.current.get(id) === client) {
          dispatch({ type: 'end', id, summary: { outcome: 'stopped' } });
          finish(id);
        }
      }, STOP_GRACE_MS);
    }
  }, [dispatch, finish]);

  const trainsHere = useCallback((id: number) => clients.current.has(id) || queue.current.some((waiting) => waiting.id === id), []);

  useEffect(() => {
    const all = clients.current;
    return () => {
      for (const client of all.values()) client.terminate();
      all.clear();
    };
  }, []);

  return { launch, stopAll, finish, trainsHere };
}

/** Train in `client` once the run's lock is held and MNIST is in; its end, or why it failed, goes to `dispatch`. */
async function trainInWorker(
  client: WorkerClient<'training'>,
  key: string,
  config: TrainConfig,
  resume: Resume | null,
  tuning: Tuning | null,
  {
    id,
    dispatch,
    onEvents,
    runLocks,
    started,
  }: {
    id: number;
    /** Dispatch for this run while its worker is live (drops what comes after). */
    dispatch(action: RunsAction): void;
    onEvents(events: RunEvent[]): Promise<void> | void;
    runLocks: { current: Map<number, Promise<(() => void) | null>> };
    started: { answered: boolean };
  },
): Promise<void> {
  const release = await (runLocks.current.get(id) ?? holdRunLock(key));
  try {
    if (!release) throw new Error('it is already training in another tab of this browser.');
    const kernel = requestedKernel();
    // The first call tells a worker that runs from one that never started (a script blocked or not loaded).
    const kernelName = await withinTime(
      client.api.kernelName(kernel),
      WORKER_ANSWER_LIMIT_MS,
      `its worker did not start within ${WORKER_ANSWER_LIMIT_MS / 1000} s (its script may be blocked, or missing after an update). Reload the page and train again`,
    );
    started.answered = true;
    dispatch({ type: 'kernel', id, name: kernelName });
    await loadFromKeeper(client, (progress) => dispatch({ type: 'loading', id, progress }));
    const summary = await client.api.train({ config, kernel, resume, tuning }, callback(onEvents));
    dispatch({ type: 'end', id, summary });
  } catch (error) {
    dispatch({ type: 'failed', id, message: errorMessage(error) });
  }
}
