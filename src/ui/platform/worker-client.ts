/**
 * The only place that starts a worker — a training one per run; inspecting ones for the viewer and the
 * pad, for the evaluations and for each model import — wraps it with Comlink, and tells it where MNIST
 * comes from: the keeper downloads it, every other worker gets a copy from the keeper.
 */
import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type {
  DataInfo,
  DataSetName,
  ImagePixels,
  InspectingWorkerApi,
  Lifeline,
  LoadProgress,
  PhotoAnswer,
  PhotoRequest,
  TrainingWorkerApi,
  WorkerJob,
} from '../../worker/protocol';

/** The API of each job's worker. */
interface JobApi {
  training: TrainingWorkerApi;
  inspecting: InspectingWorkerApi;
}

/** A worker and its typed Comlink handle; terminate() ends it for good. */
export interface WorkerClient<Job extends WorkerJob = WorkerJob> {
  api: Remote<JobApi[Job]>;
  terminate(): void;
}

let workersStarted = 0;

/** Each job's bundle: the literal `new Worker(new URL(…))` is what tells Vite to build it. */
function startWorker(job: WorkerJob): Worker {
  return job === 'training'
    ? new Worker(new URL('../../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'training' })
    : new Worker(new URL('../../worker/inspecting.worker.ts', import.meta.url), { type: 'module', name: 'inspecting' });
}

/** How long a photo may take to decode in its worker before the page decodes it itself. */
const PHOTO_DECODE_LIMIT_MS = 30_000;

/**
 * Decode a photo in a worker of its own, ended when it answers: its pixels, or null where the worker cannot
 * (no OffscreenCanvas in workers, a worker that does not start or answer) and the page must decode it itself.
 * Rejects, with `undecodable`, a file that is no image.
 */
export function decodePhotoInWorker(request: PhotoRequest, undecodable: () => Error): Promise<ImagePixels | null> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('../../worker/photo.worker.ts', import.meta.url), { type: 'module', name: 'photo' });
    } catch {
      return resolve(null);
    }
    const done = () => {
      clearTimeout(timer);
      worker.terminate();
    };
    const timer = setTimeout(() => (done(), resolve(null)), PHOTO_DECODE_LIMIT_MS);
    worker.onmessage = ({ data }: MessageEvent<PhotoAnswer>) => {
      done();
      if (data.kind === 'pixels') resolve(data.pixels);
      else if (data.kind === 'undecodable') reject(undecodable());
      else resolve(null);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      done();
      resolve(null);
    };
    worker.postMessage(request);
  });
}

/**
 * Start a worker for `job`. `onCrash` is called once if the worker ends without being asked to: when it
 * throws and nothing catches it (an error event), or when it is closed or killed silently, which the page
 * learns from the worker's lifeline lock being released.
 */
export function createWorkerClient<Job extends WorkerJob>(job: Job, onCrash: (message: string) => void): WorkerClient<Job> {
  const worker = startWorker(job);
  const ended = new AbortController();
  const crash = (message: string) => {
    if (ended.signal.aborted) return;
    ended.abort();
    onCrash(message);
  };
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    crash(event.message || `the ${job} worker stopped unexpectedly`);
  });
  const api = wrap<JobApi[Job]>(worker);
  watchLifeline(api as Remote<Lifeline>, ended.signal, crash);
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
function watchLifeline(api: Remote<Lifeline>, ended: AbortSignal, crash: (message: string) => void): void {
  const locks = globalThis.navigator?.locks;
  if (!locks) return;
  const name = `mnist-trainer-lifeline-${Date.now()}-${++workersStarted}-${Math.random().toString(36).slice(2)}`;
  api
    .holdLifeline(name)
    .then((held) => {
      if (!held || ended.aborted) return;
      return locks.request(name, { signal: ended }, () =>
        crash('it was closed without an error, perhaps because the browser ran out of memory'),
      );
    })
    .catch(() => {
      // Aborted because the worker was ended on purpose, or the worker went before it took the lock.
    });
}

/** Wrap a callback so the worker can call it across the boundary. */
export const callback = proxy;

/** Hand `value` to the worker without copying the buffers in `transferables` (they are gone here after). */
export const handOver = transfer;

/** A worker's API as the page sees it: every call returns a promise. */
export type { Remote };

/**
 * How long a worker may take to answer its first call, and to receive its copy of MNIST once the keeper has
 * it. Both take well under a second, a few seconds on a slow phone under load; past these limits something
 * was lost on the way (a blocked worker script, a dropped message) and waiting longer would be silent.
 */
export const WORKER_ANSWER_LIMIT_MS = 15_000;
const DATA_COPY_LIMIT_MS = 20_000;

/** `promise`, or a rejection with `message` when it has not settled after `ms`. */
export function withinTime<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The worker that downloads and decompresses MNIST for the whole page, what resolves once it has, and what rejects once it is gone. */
interface Keeper {
  api: Remote<InspectingWorkerApi>;
  loaded: Promise<DataInfo>;
  gone: Promise<never>;
}
let keeper: Keeper | null = null;
let keeperWaiters: ((keeper: Keeper) => void)[] = [];
/**
 * Why the last keeper went and when, until another takes its place: a worker started before that moment
 * was already waiting for its copy (it fails with the reason, as those whose request had arrived do); one
 * started after waits for the next keeper (Retry).
 */
let keeperGone: { error: Error; at: number } | null = null;

/** The files sit next to the page, wherever it is served from (`/`, `/mnist/`, `/a/b/c/`). */
function dataUrl(): string {
  return new URL('.', document.baseURI).href;
}

/**
 * Make `client` the page's keeper of MNIST: it loads the data from the files, and every worker that loads
 * with `loadFromKeeper` gets its copy from it. `resign(reason)` unregisters it when it is ended or has
 * crashed; a worker still waiting for its copy then fails with the reason instead of waiting for ever.
 */
export function loadAsKeeper(
  client: WorkerClient<'inspecting'>,
  onProgress: (p: LoadProgress) => void,
): { loaded: Promise<DataInfo>; resign(reason: string): void } {
  let leave: (error: Error) => void = () => {};
  const gone = new Promise<never>((_, reject) => (leave = reject));
  gone.catch(() => {}); // nobody may be waiting
  const loaded = client.api.load(proxy(onProgress), { url: dataUrl() });
  const me: Keeper = { api: client.api, loaded, gone };
  keeper = me;
  keeperGone = null;
  for (const wake of keeperWaiters) wake(me);
  keeperWaiters = [];
  return {
    loaded,
    resign: (reason) => {
      const error = new Error(`the viewer's worker, which holds MNIST for the page, ${reason}`);
      if (keeper === me) {
        keeper = null;
        keeperGone = { error, at: performance.now() };
      }
      leave(error);
    },
  };
}

/**
 * Load MNIST into `client` from the keeper (waiting for one to be registered); progress is the keeper's.
 * `sets` limits the copy to what the worker's job needs (all three when omitted). `waitingSince`: when the
 * worker began to need the data (a keeper that went after that fails it, one that went before is waited out).
 */
export async function loadFromKeeper(
  client: WorkerClient,
  onProgress: (p: LoadProgress) => void,
  sets?: DataSetName[],
  waitingSince = performance.now(),
): Promise<DataInfo> {
  if (!keeper && keeperGone && keeperGone.at >= waitingSince) throw keeperGone.error;
  const from = keeper ?? (await new Promise<Keeper>((wake) => keeperWaiters.push(wake)));
  const { port1, port2 } = new MessageChannel();
  // Once the keeper holds its end, it answers on it: with the data, or with why it has none.
  await Promise.race([from.api.shareData(transfer(port1, [port1]), sets), from.gone]);
  const copied = Promise.race([client.api.load(proxy(onProgress), transfer({ port: port2 }, [port2])), from.gone]);
  // The download may take long on a slow network; the copy, once the keeper has the data, may not.
  await Promise.race([copied, from.loaded.catch(() => undefined)]);
  return withinTime(
    copied,
    DATA_COPY_LIMIT_MS,
    `its worker received no copy of MNIST within ${DATA_COPY_LIMIT_MS / 1000} s of the page having it (this browser lost it on the way). Reload the page and train again; if it happens again, try another browser`,
  );
}

/**
 * A keeper started before the page first renders (main.tsx), so that MNIST downloads while React mounts;
 * the viewer's worker hook adopts it. Until then its progress and a crash are held for the adopter.
 */
interface EarlyKeeper {
  client: WorkerClient<'inspecting'>;
  load: ReturnType<typeof loadAsKeeper>;
  adopt(onCrash: (message: string) => void, onProgress: (p: LoadProgress) => void): void;
}
let earlyKeeper: EarlyKeeper | null = null;

/** Start the page's keeper now and begin loading MNIST; the first keeper hook to mount takes it over. */
export function startKeeperEarly(): void {
  let onCrash: ((message: string) => void) | null = null;
  let onProgress: ((p: LoadProgress) => void) | null = null;
  let crashed: string | null = null;
  let lastProgress: LoadProgress | null = null;
  const client = createWorkerClient('inspecting', (message) => (onCrash ? onCrash(message) : (crashed = message)));
  const load = loadAsKeeper(client, (p) => {
    lastProgress = p;
    onProgress?.(p);
  });
  // Nobody may be listening yet: the adopter sees the failure through `load.loaded` itself.
  load.loaded.catch(() => {});
  earlyKeeper = {
    client,
    load,
    adopt(crash, progress) {
      onCrash = crash;
      onProgress = progress;
      if (lastProgress) progress(lastProgress);
      if (crashed !== null) crash(crashed);
    },
  };
}

/** The keeper started by startKeeperEarly, once (null afterwards, or when none was started). */
export function adoptEarlyKeeper(
  onCrash: (message: string) => void,
  onProgress: (p: LoadProgress) => void,
): Pick<EarlyKeeper, 'client' | 'load'> | null {
  const early = earlyKeeper;
  earlyKeeper = null;
  early?.adopt(onCrash, onProgress);
  return early;
}
