/**
 * The runs controller's ports in the browser: a Comlink training worker per run, IndexedDB through
 * run-store.ts, the other tabs through tabs.ts.
 */
import { forgetRun, keepHidden, keepRun, readKept, restoreKept, takeRunNumbers } from './keeping/run-store';
import { holdRunLock, listenToOtherTabs, nothingTrainsNow, tellOtherTabs, trainedElsewhere, whenTrainedNowhere } from './keeping/tabs';
import { callback, createWorkerClient, loadFromKeeper, WORKER_ANSWER_LIMIT_MS, withinTime } from '../platform/worker-client';
import { canStartWorkers } from '../app/use-app-update';
import type { RunsPorts, TrainingWorker } from './runs-ports';

/**
 * The kernel asked for in the page's address (`?kernel=simd`, `relaxed` or `js`; default: the fastest this
 * browser runs), for comparing them here; the worker checks the name.
 */
const requestedKernel = (): string | null => new URLSearchParams(globalThis.location?.search ?? '').get('kernel');

/** A training worker of the page, through Comlink. */
function openTrainingWorker(onCrash: (message: string) => void): TrainingWorker {
  const client = createWorkerClient('training', onCrash);
  /** From here on the run needs MNIST: a keeper lost after this fails it; one lost before is waited out (Retry). */
  const since = performance.now();
  return {
    // The first call tells a worker that runs from one that never started (a script blocked or not loaded).
    kernelName: (kernel) =>
      withinTime(
        client.api.kernelName(kernel),
        WORKER_ANSWER_LIMIT_MS,
        `its worker did not start within ${WORKER_ANSWER_LIMIT_MS / 1000} s (its script may be blocked, or missing after an update). Reload the page and train again`,
      ),
    load: async (onProgress) => void (await loadFromKeeper(client, onProgress, undefined, since)),
    train: (request, onEvents) => client.api.train(request, callback(onEvents)),
    stop: () => void client.api.stop(),
    watch: (watch) => void client.api.watch(watch),
    step: (size) => void client.api.step(size),
    terminate: () => client.terminate(),
  };
}

/** The browser's own ports: one training worker per run (one per core at once), IndexedDB, other tabs. */
export function browserPorts(): RunsPorts {
  return {
    store: {
      restore: restoreKept,
      read: readKept,
      keep: keepRun,
      keepHidden,
      forget: forgetRun,
      takeNumbers: takeRunNumbers,
    },
    tabs: {
      tell: tellOtherTabs,
      listen: listenToOtherTabs,
      holdLock: holdRunLock,
      trainedElsewhere,
      whenTrainedNowhere,
      nothingTrainsNow,
    },
    openWorker: openTrainingWorker,
    cores: () => Math.max(1, globalThis.navigator?.hardwareConcurrency || 2),
    canStart: canStartWorkers,
    kernel: requestedKernel,
    newKey: () => crypto.randomUUID(),
    now: () => Date.now(),
  };
}
