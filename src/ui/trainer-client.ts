/** The only place that starts a worker: one per run (and one for the viewer), wrapped with Comlink. */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { WorkerApi } from '../worker/protocol';

/** A worker and its typed Comlink handle; terminate() ends it for good. */
export interface TrainerClient {
  api: Remote<WorkerApi>;
  terminate(): void;
}

let workersStarted = 0;

/**
 * Start a worker. `onCrash` is called once if the worker ends without being asked to: when it throws and
 * nothing catches it (an error event), or when it is closed or killed silently, which the page learns
 * from the worker's lifeline lock being released.
 */
export function createTrainerClient(onCrash: (message: string) => void): TrainerClient {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
  const ended = new AbortController();
  const crash = (message: string) => {
    if (ended.signal.aborted) return;
    ended.abort();
    onCrash(message);
  };
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    crash(event.message || 'the training worker stopped unexpectedly');
  });
  const api = wrap<WorkerApi>(worker);
  watchLifeline(api, ended.signal, crash);
  return {
    api,
    terminate: () => {
      ended.abort();
      api[releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * Once the worker holds its lock, ask for the same lock: the browser grants it only when the worker has
 * ended. A worker ended on purpose aborts the request first, so only an unexpected end reports.
 */
function watchLifeline(api: Remote<WorkerApi>, ended: AbortSignal, crash: (message: string) => void): void {
  const locks = globalThis.navigator?.locks;
  if (!locks) return;
  const name = `mnist-trainer-lifeline-${Date.now()}-${++workersStarted}-${Math.random().toString(36).slice(2)}`;
  api
    .holdLifeline(name)
    .then((held) => {
      if (!held || ended.aborted) return;
      return locks.request(name, { signal: ended }, () => crash('it was closed without an error, perhaps because the browser ran out of memory'));
    })
    .catch(() => {
      // Aborted because the worker was ended on purpose, or the worker went before it took the lock.
    });
}

/** Wrap a callback so the worker can call it across the boundary. */
export const callback = proxy;
