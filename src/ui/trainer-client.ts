/** The only place that starts a worker: one per run (and one for the viewer), wrapped with Comlink. */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type { TrainerApi } from '../worker/protocol';

/** A worker and its typed Comlink handle; terminate() ends it for good. */
export interface TrainerClient {
  api: Remote<TrainerApi>;
  terminate(): void;
}

export function createTrainerClient(onCrash: (message: string) => void): TrainerClient {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    onCrash(event.message || 'the training worker stopped unexpectedly');
  });
  const api = wrap<TrainerApi>(worker);
  return {
    api,
    terminate: () => {
      api[releaseProxy]();
      worker.terminate();
    },
  };
}

/** Wrap a callback so the worker can call it across the boundary. */
export const callback = proxy;
