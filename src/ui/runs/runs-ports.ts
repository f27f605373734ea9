/**
 * What the runs controller (runs-controller.ts) needs of the browser, as plain interfaces: a worker per
 * run, the store of kept runs, the other tabs, and a few facts. `browserPorts()` (browser-ports.ts) gives
 * the real ones (Comlink workers, IndexedDB, BroadcastChannel and Web Locks); the controller's tests give fakes.
 */
import type { LoadProgress, RunEvent, RunSummary, StepSize, TrainRequest, Watch } from '../../worker/protocol';
import type { Run } from './run';
import type { KeptRun } from './keeping/kept-schema';
import type { TabMessage } from './keeping/tabs';

/** One run's training worker. */
export interface TrainingWorker {
  /** Its first answer: the path it trains on with `kernel`, in words. Rejects if it never answers. */
  kernelName(kernel: string | null): Promise<string>;
  /** Get MNIST from the page's keeper, with progress. */
  load(onProgress: (progress: LoadProgress) => void): Promise<void>;
  /** Train; each epoch's events wait on the promise `onEvents` returns before training goes on. */
  train(request: TrainRequest, onEvents: (events: RunEvent[]) => Promise<void> | void): Promise<RunSummary>;
  /** Ask it to end after the current mini-batch (`train` then resolves 'stopped'). */
  stop(): void;
  /** Change its pace, pause or resume it. */
  watch(watch: Watch): void;
  /** While paused: one more mini-batch, or the rest of the epoch. */
  step(size: StepSize): void;
  /** End it now. */
  terminate(): void;
}

/** The kept runs of this browser (run-store.ts). */
export interface RunStorePort {
  /** Every kept run, in the order made, and a message for each that could not be read. */
  restore(): Promise<{ runs: KeptRun[]; problems: string[] }>;
  read(key: string): Promise<KeptRun | null>;
  /** Keep a run as it is now; a message when it could not be kept. */
  keep(run: Run): Promise<string | null>;
  /** Keep whether a run is shown, only if it is still kept; whether it was. */
  keepHidden(key: string, hidden: boolean): Promise<boolean>;
  /** Remove a run; `freshStart`: numbering starts again at 1 if it was the last. */
  forget(key: string, freshStart: boolean): Promise<void>;
  /** The first of `count` run numbers in a row, shared by every tab (null: storage cannot be used). */
  takeNumbers(count: number, floor: number): Promise<number | null>;
}

/** The other tabs of this browser (tabs.ts). */
export interface TabsPort {
  tell(message: TabMessage): void;
  listen(onMessage: (message: TabMessage) => void): () => void;
  /** Hold run `key`'s lock while this tab trains it: how to let it go, or null if another tab holds it. */
  holdLock(key: string): Promise<(() => void) | null>;
  trainedElsewhere(key: string): Promise<boolean>;
  whenTrainedNowhere(key: string, signal: AbortSignal): Promise<void>;
  nothingTrainsNow(): Promise<boolean>;
}

export interface RunsPorts {
  store: RunStorePort;
  tabs: TabsPort;
  /** A new training worker; `onCrash` once if it ends unasked. */
  openWorker(onCrash: (message: string) => void): TrainingWorker;
  /** How many runs may train at once. */
  cores(): number;
  /** Whether new workers may start (false once a newer version of the page has taken over). */
  canStart(): boolean;
  /** The kernel asked for in the page's address, if any. */
  kernel(): string | null;
  /** A new run's key: unique across tabs. */
  newKey(): string;
  now(): number;
}
