/**
 * The one owner of the page's runs, from the click on Train to the last epoch kept and shown in every
 * tab. Plain TypeScript, no React: the page subscribes to it (use-runs.ts) and the unit tests drive it
 * with fake workers, a fake store and fake tabs (runs-controller.test.ts).
 *
 * A run is known by one identity, its `key` (a UUID), here, in storage and in every tab. The controller:
 * - applies every change through the pure reducer (run-state.ts) and tells its subscribers;
 * - trains each run in a worker of its own, one per core, the others queued; each run holds its Web Lock
 *   from the moment it is queued until it ends, so other tabs can tell under way from interrupted;
 * - keeps each run in IndexedDB as soon as it changes (an epoch, its end, shown or hidden); a worker's next
 *   epoch waits until the write of its last one has ended (or KEEP_WAIT_MS);
 * - brings runs kept or removed by other tabs onto this page, and follows a run another tab trains until
 *   it ends there (or is interrupted because that tab went away);
 * - hands out run numbers (shared by every tab through the store) and notices.
 */
import type { TrainConfig } from '../../nn/config';
import { DEFAULT_CONFIG, FINE_TUNE_EPOCHS, networkSizes } from '../../nn/config';
import { isConvolutional } from '../../nn/any-model';
import { presetOfLayers } from '../../nn/network3/ladder';
import { errorMessage } from '../../nn/format';
import type { ImportedModel, PersonalDigits, Resume, RunEvent, StepSize, Tuning, Watch } from '../../worker/protocol';
import { canContinue, canExtend, canTrainFurther, freshPageFields, interruptedNotice, MORE_EPOCHS, type Run } from './run';
import { INITIAL_RUNS, runsReducer, type RunIdentity, type RunsAction, type RunsState } from './run-state';
import { isKeepable, keptState, type KeptRun, type KeptState } from './keeping/run-store';
import type { TabMessage } from './keeping/tabs';
import type { RunsPorts, TrainingWorker } from './runs-ports';

/** What the page shows of the runs: the record, notices (what could not be kept or restored, runs found interrupted), and whether the kept runs are restored. */
export interface RunsSnapshot {
  state: RunsState;
  notices: string[];
  /** False until the kept runs are restored; Train waits for it, so a new run cannot clash with a kept one. */
  ready: boolean;
  /** The pace and pause of the runs this page trains (the page's Pace control and Pause button). */
  watch: Watch;
}

/** The networks Compare trains: chapter 1's 30 and 100 hidden neurons. */
export const COMPARED = [[30], [100]];

/** How long a stopped worker may take to answer before it is terminated anyway. */
const STOP_GRACE_MS = 1000;
/** The longest a worker waits for an epoch to be kept (storage that hangs must not stall training). */
export const KEEP_WAIT_MS = 2000;
/**
 * How long a tab that watched a run end elsewhere waits for that tab's last write before it calls the run
 * interrupted: the other tab lets go of the run's lock as the run ends, and writes its end just after.
 */
const LAST_WRITE_GRACE_MS = 1500;

/** A run to train: its settings, and where it resumes (null: from scratch) or what it fine-tunes. */
interface Launch {
  key: string;
  config: TrainConfig;
  resume: Resume | null;
  tuning: Tuning | null;
}

/** A run whose last epoch is kept has finished, whatever happened after (its tab closed before the end was written). */
function allEpochsKept(record: KeptRun): boolean {
  return record.accuracy.length >= record.config.epochs;
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

/** A kept run as a run of this page, with the number it shows and the status it has here. */
function runOf(kept: KeptRun, number: number, status: Run['status']): Run {
  return { ...kept, number, status, ...freshPageFields({ ...kept, number }) };
}

export class RunsController {
  private snapshot: RunsSnapshot = { state: INITIAL_RUNS, notices: [], ready: false, watch: { pace: null, paused: false } };
  private readonly listeners = new Set<() => void>();
  private noticeList: { text: string; runKey: string | null }[] = [];
  private restoring: Promise<void> | null = null;
  private closed = false;

  // Training here.
  /** The worker of each run this page trains. */
  private readonly workers = new Map<string, TrainingWorker>();
  /** Runs asked to stop: from the click on they take no more events, so no epoch appears after Stop. */
  private readonly stopping = new Set<string>();
  /** The Web Lock of each run trained or queued here: how to let it go, or null when another tab holds it. */
  private readonly locks = new Map<string, Promise<(() => void) | null>>();
  /** Runs waiting for a free core, in the order they were asked for. */
  private queue: Launch[] = [];

  // Keeping.
  /** What was last written of each run, so each change is written once. */
  private readonly kept = new Map<string, KeptState>();
  /** How many epochs of each run are known to be in storage. */
  private readonly keptEpochs = new Map<string, number>();
  /** Workers waiting for their epochs to be kept. */
  private readonly waiters = new Map<string, { epochs: number; resolve: () => void }[]>();
  /** The last write of each run, under way or ended. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Runs being removed: not written again. */
  private readonly removing = new Set<string>();

  // Numbers.
  /** The highest number this page has given (where storage is unusable, the only source of numbers). */
  private highest = 0;
  /** Numbers given here to kept runs that have none (storage could not number them). */
  private readonly localNumbers = new Map<string, number>();
  /** When the last run was made here: a Compare makes its runs within one millisecond. */
  private lastCreated = 0;

  // Other tabs.
  /** Runs of other tabs followed until they end there. */
  private readonly watching = new Map<string, AbortController>();

  constructor(private readonly ports: RunsPorts) {}

  // ——— For the page ———

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RunsSnapshot => this.snapshot;

  /** Restore the kept runs (once) and listen to the other tabs; returns what ends both and every worker. */
  open(): () => void {
    this.closed = false;
    this.restoring ??= this.restore();
    const unlisten = this.ports.tabs.listen((message) => this.onTabMessage(message));
    return () => {
      this.closed = true;
      unlisten();
      for (const stop of this.watching.values()) stop.abort();
      this.watching.clear();
      for (const worker of this.workers.values()) worker.terminate();
      this.workers.clear();
    };
  }

  /** Train a run with `config`. */
  start(config: TrainConfig): Promise<void> {
    return this.startAll([config]);
  }

  /**
   * Compare 784-30-10 and 784-100-10 with `config`, each with `config.seedsPerNetwork` seeds (the seed and
   * the next ones), as runs of one comparison; they wait for free cores in turn.
   */
  compare(config: TrainConfig): Promise<void> {
    // A comparison's number is its click's time: unique among the runs kept from earlier visits too.
    const comparison = this.ports.now();
    // Seed by seed, so both networks' bands fill in together.
    const configs = Array.from({ length: config.seedsPerNetwork }, (_, k) =>
      COMPARED.map((hidden) => ({ ...config, hidden, seed: config.seed + k })),
    ).flat();
    return this.startAll(configs, comparison);
  }

  /**
   * One of the book's experiments: each of `configs` with `seeds` seeds (its seed and the next ones), as the
   * runs of one comparison; resolves to the comparison's number (null when nothing could start).
   */
  async reproduce(configs: TrainConfig[], seeds: number): Promise<number | null> {
    if (!this.ports.canStart()) return null;
    const comparison = this.ports.now();
    const all = Array.from({ length: seeds }, (_, k) => configs.map((config) => ({ ...config, seed: config.seed + k }))).flat();
    await this.startAll(all, comparison);
    return comparison;
  }

  /**
   * Fine-tune run `from`'s network (as it is now) on MNIST and the person's `digits`: a new run with its
   * settings for a few epochs, selected, so the pad reads with it as soon as it has an epoch.
   */
  async fineTune(from: Run, digits: PersonalDigits): Promise<void> {
    const parameters = from.parameters;
    if (!parameters || !this.ports.canStart()) return;
    // The source's settings for a few epochs, on MNIST as it is: the person's copies are distorted already,
    // and expanded data would make the wait five times as long.
    const config = { ...from.config, epochs: FINE_TUNE_EPOCHS, expand: false, distort: false, earlyStopping: 0 };
    const tuning = { from: from.name, digits: digits.labels.length };
    const [identity] = await this.newIdentities(1);
    this.dispatch({ type: 'start', ...identity, config, sizes: [...from.sizes], tuning });
    this.launch({ key: identity.key, config, resume: null, tuning: { parameters, digits } });
  }

  /** Continue an interrupted or stopped run from its last kept epoch, with its settings. */
  continueRun(run: Run): void {
    if (!canContinue(run) || this.trainsHere(run.key) || !this.ports.canStart()) return;
    this.forgetNotices(run.key);
    this.dispatch({ type: 'resume', key: run.key });
    // A run that never began (a comparison's, queued when its page went) starts from the beginning.
    const resume = run.parameters
      ? {
          parameters: run.parameters,
          epochsDone: run.accuracy.length,
          examplesDone: run.position?.example ?? 0,
          bestValidation: bestValidationOf(run),
        }
      : null;
    this.launch({ key: run.key, config: run.config, resume, tuning: null });
  }

  /** Train a finished run `epochs` more epochs, from its last one, as if its settings had asked for them from the start. */
  extend(run: Run, epochs = MORE_EPOCHS): void {
    if (!canExtend(run) || this.trainsHere(run.key) || !this.ports.canStart()) return;
    this.dispatch({ type: 'extend', key: run.key, epochs });
    const config = { ...run.config, epochs: run.config.epochs + epochs };
    const resume = { parameters: run.parameters!, epochsDone: run.accuracy.length, bestValidation: bestValidationOf(run) };
    this.launch({ key: run.key, config, resume, tuning: null });
  }

  /**
   * Train the network of run `from` (a model loaded from a file) further on MNIST with `settings` (its
   * layers and cost stay the file's): a new run, selected; `from` stays as it was loaded.
   */
  async trainFurther(from: Run, settings: TrainConfig): Promise<void> {
    const parameters = from.parameters;
    if (!canTrainFurther(from) || !parameters || !this.ports.canStart()) return;
    // Its weights come from the file, so no initialisation is drawn for it: the card names none.
    const config = {
      ...settings,
      kind: from.config.kind,
      chapter6: from.config.chapter6,
      hidden: from.config.hidden,
      cost: from.config.cost,
      init: DEFAULT_CONFIG.init,
    };
    const [identity] = await this.newIdentities(1);
    const startedFrom = { name: `${from.name}, loaded from ${from.source}`, parameters };
    this.dispatch({ type: 'start', ...identity, config, sizes: [...from.sizes], startedFrom });
    const resume = { parameters, epochsDone: 0, bestValidation: null };
    this.launch({ key: identity.key, config, resume, tuning: null });
  }

  /** A model loaded from a file, as a run of one measured point. */
  async addImported(imported: ImportedModel, fileName: string): Promise<void> {
    const { model } = imported;
    // A chapter 6 network is named by the book's preset it is, when it is one (then it can be trained further).
    const preset = isConvolutional(model) ? presetOfLayers(model.layers) : undefined;
    const config: TrainConfig = isConvolutional(model)
      ? // A network of none of the ladder's shapes keeps the default preset in its settings, unused: it cannot be trained further.
        {
          ...DEFAULT_CONFIG,
          kind: 'convolutional',
          chapter6: preset?.id ?? DEFAULT_CONFIG.chapter6,
          ...(preset && { eta: preset.eta, lambda: preset.lambda }),
        }
      : { ...DEFAULT_CONFIG, hidden: model.sizes.slice(1, -1), cost: model.cost };
    const [identity] = await this.newIdentities(1);
    this.dispatch({ type: 'import', ...identity, imported, fileName, config });
  }

  /** Ask every run of this page to stop; runs still queued end first, so none starts as a training one stops. */
  stopAll(): void {
    const waiting = this.queue;
    this.queue = [];
    for (const { key } of waiting) {
      this.dispatch({ type: 'end', key, summary: { outcome: 'stopped' } });
      this.finish(key);
    }
    for (const [key, worker] of this.workers) {
      this.stopping.add(key);
      worker.stop();
      // A worker that does not answer in time is ended; its run keeps what it reported.
      setTimeout(() => {
        if (this.workers.get(key) === worker) {
          this.dispatch({ type: 'end', key, summary: { outcome: 'stopped' } });
          this.finish(key);
        }
      }, STOP_GRACE_MS);
    }
  }

  /**
   * Remove run `key` here, from storage and from every other tab. Its card goes once storage no longer
   * holds it, so a reload right after never brings it back.
   */
  async remove(key: string): Promise<void> {
    if (this.removing.has(key)) return;
    this.removing.add(key);
    this.finish(key);
    this.settle(key, Infinity);
    this.forgetNotices(key);
    this.stopWatching(key);
    try {
      await this.ports.store.forget(key, await this.ports.tabs.nothingTrainsNow());
    } finally {
      this.removeHere(key);
      this.removing.delete(key);
      this.ports.tabs.tell({ type: 'forgotten', key });
    }
  }

  /** Pace, pause or resume every run this page trains (and the runs it starts later). */
  setWatch(watch: Watch): void {
    const resumed = this.snapshot.watch.paused && !watch.paused;
    this.emit({ watch });
    for (const worker of this.workers.values()) worker.watch(watch);
    if (resumed) this.dispatch({ type: 'resumed' });
  }

  /** While paused: every run this page trains takes one more mini-batch, or the rest of its epoch. */
  step(size: StepSize): void {
    if (!this.snapshot.watch.paused) return;
    for (const worker of this.workers.values()) worker.step(size);
  }

  toggleHidden(key: string): void {
    this.dispatch({ type: 'toggle-hidden', key });
  }

  select(key: string): void {
    this.dispatch({ type: 'select', key });
  }

  /** Whether this page trains run `key` now, or has it queued. */
  trainsHere(key: string): boolean {
    return this.workers.has(key) || this.queue.some((waiting) => waiting.key === key);
  }

  // ——— The record ———

  private emit(change: Partial<RunsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  /** Apply `action` to the record, tell the page, and keep what changed. */
  private dispatch(action: RunsAction): void {
    const state = runsReducer(this.snapshot.state, action);
    if (state === this.snapshot.state) return;
    this.emit({ state });
    this.keepChanges(state.runs);
  }

  private notify(text: string, runKey: string | null = null): void {
    if (this.noticeList.some((n) => n.text === text)) return;
    this.noticeList = [...this.noticeList, { text, runKey }];
    this.emit({ notices: this.noticeList.map((n) => n.text) });
  }

  private forgetNotices(runKey: string): void {
    const left = this.noticeList.filter((n) => n.runKey !== runKey);
    if (left.length === this.noticeList.length) return;
    this.noticeList = left;
    this.emit({ notices: left.map((n) => n.text) });
  }

  // ——— Numbers ———

  private highestShown(): number {
    return Math.max(0, ...this.snapshot.state.runs.map((run) => run.number));
  }

  /**
   * Identities for `count` runs made here, numbered in a row. Each one's time is later than every earlier
   * run's of this page, even within one millisecond, so a Compare's runs are listed in the order made.
   */
  private async newIdentities(count: number): Promise<RunIdentity[]> {
    const taken = await this.ports.store.takeNumbers(count, this.highestShown() + 1);
    // Where storage cannot be used, nothing is shared with other tabs: the page numbers its runs alone.
    const first = taken ?? Math.max(this.highest, this.highestShown()) + 1;
    this.highest = Math.max(this.highest, first + count - 1);
    return Array.from({ length: count }, (_, i) => {
      this.lastCreated = Math.max(this.ports.now(), this.lastCreated + 1);
      return { key: this.ports.newKey(), createdAt: this.lastCreated, number: first + i };
    });
  }

  /**
   * A kept run as a run of this page, noted as written, since this page must not write it back: only a
   * change made here writes a run.
   */
  private pageRunOf(record: KeptRun, status: Run['status']): Run {
    let number = record.number;
    if (number <= 0) {
      number = this.localNumbers.get(record.key) ?? Math.max(this.highest, this.highestShown()) + 1;
      this.localNumbers.set(record.key, number);
      this.highest = Math.max(this.highest, number);
    }
    const run = runOf(record, number, status);
    this.kept.set(run.key, keptState(run));
    this.keptEpochs.set(run.key, record.accuracy.length);
    return run;
  }

  // ——— Training here ———

  private async startAll(configs: TrainConfig[], comparison?: number): Promise<void> {
    if (!this.ports.canStart()) return;
    const identities = await this.newIdentities(configs.length);
    configs.forEach((config, i) => {
      const identity = identities[i];
      this.dispatch({ type: 'start', ...identity, config, sizes: networkSizes(config), comparison });
      this.launch({ key: identity.key, config, resume: null, tuning: null });
    });
  }

  /** Train a run in a worker of its own: now if a core is free, else once one is (the run waits as `queued`). */
  private launch(launch: Launch): void {
    if (!this.locks.has(launch.key)) this.locks.set(launch.key, this.ports.tabs.holdLock(launch.key));
    this.queue.push(launch);
    this.startQueued();
  }

  private startQueued(): void {
    while (!this.closed && this.queue.length && this.workers.size < this.ports.cores()) {
      const next = this.queue.shift()!;
      this.dispatch({ type: 'dequeue', key: next.key });
      this.startNow(next);
    }
  }

  /** End run `key`'s worker now (it was removed, or has ended) and let its lock go; a queued run may start. */
  private finish(key: string): void {
    this.workers.get(key)?.terminate();
    this.workers.delete(key);
    // A worker ended here (a stop that was not answered, a crash) may never answer train(): let the lock go now.
    void this.locks.get(key)?.then((release) => release?.());
    this.locks.delete(key);
    this.stopping.delete(key);
    this.queue = this.queue.filter((waiting) => waiting.key !== key);
    this.startQueued();
  }

  private startNow({ key, config, resume, tuning }: Launch): void {
    /** Whether the worker has answered: one that ends before it ever does could not load its script. */
    let answered = false;
    const worker = this.ports.openWorker((message) => {
      if (this.workers.get(key) !== worker) return;
      this.dispatch({
        type: 'failed',
        key,
        message: answered
          ? `the training worker crashed (${message}); other runs are not affected`
          : `its worker could not start (${message}): its script may be missing after an update of the page. Reload the page and train again (your runs are kept)`,
      });
      this.finish(key);
    });
    this.workers.set(key, worker);
    // Messages already on their way from a worker that was ended are dropped.
    const live = () => this.workers.get(key) === worker;
    const send = (action: RunsAction) => live() && this.dispatch(action);
    const onEvents = (events: RunEvent[]): Promise<void> | void => {
      if (!live() || this.stopping.has(key)) return;
      this.dispatch({ type: 'events', key, events });
      const epochs = events.flatMap((e) => (e.kind === 'epoch' ? [e.epoch + 1] : []));
      if (epochs.length) return this.epochKept(key, Math.max(...epochs));
      // A run that pauses waits until it is kept where it paused.
      if (events.some((e) => e.kind === 'position' && e.paused)) return this.writes.get(key);
    };
    const train = async () => {
      const release = await (this.locks.get(key) ?? this.ports.tabs.holdLock(key));
      try {
        if (!release) throw new Error('it is already training in another tab of this browser.');
        const kernel = this.ports.kernel();
        const name = await worker.kernelName(kernel);
        answered = true;
        send({ type: 'kernel', key, name });
        await worker.load((progress) => send({ type: 'loading', key, progress }));
        const summary = await worker.train({ config, kernel, resume, tuning, watch: this.snapshot.watch }, onEvents);
        send({ type: 'end', key, summary });
      } catch (error) {
        send({ type: 'failed', key, message: errorMessage(error) });
      }
    };
    void train().finally(() => live() && this.finish(key));
  }

  // ——— Keeping ———

  /** Keep each run that has something to keep, again whenever it changes (an epoch, its end, shown or hidden). */
  private keepChanges(runs: Run[]): void {
    for (const run of runs) {
      if (!isKeepable(run) || this.removing.has(run.key)) continue;
      const now = keptState(run);
      const before = this.kept.get(run.key);
      if (before?.record === now.record && before.hidden === now.hidden) continue;
      this.kept.set(run.key, now);
      const { store, tabs } = this.ports;
      if (before?.record === now.record) {
        // Only shown or hidden: written only if the run is still kept, so a run removed elsewhere stays removed.
        void store.keepHidden(run.key, run.hidden).then((written) => written && tabs.tell({ type: 'kept', key: run.key }));
        continue;
      }
      const epochs = run.accuracy.length;
      const pausedAt = run.status === 'paused' ? (run.position?.example ?? null) : null;
      const write = store
        .keep(run)
        .catch((error: unknown) => `${run.name} could not be kept (${errorMessage(error)}).`)
        .then((problem) => {
          if (problem) this.notify(problem);
          else tabs.tell({ type: 'kept', key: run.key });
          this.settle(run.key, epochs);
          if (!problem && pausedAt !== null) this.dispatch({ type: 'kept-at', key: run.key, example: pausedAt });
        });
      this.writes.set(run.key, write);
    }
  }

  /** Run `key` has `epochsKept` epochs in storage now (Infinity: it is gone, nobody need wait). */
  private settle(key: string, epochsKept: number): void {
    this.keptEpochs.set(key, Math.max(this.keptEpochs.get(key) ?? 0, epochsKept));
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.set(
      key,
      waiting.filter((w) => w.epochs > epochsKept),
    );
    for (const waiter of waiting) if (waiter.epochs <= epochsKept) waiter.resolve();
  }

  /** Resolves when the run's `epochs` epochs are kept (or after KEEP_WAIT_MS, or when the run goes). */
  private epochKept(key: string, epochs: number): Promise<void> {
    if ((this.keptEpochs.get(key) ?? 0) >= epochs) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, KEEP_WAIT_MS);
      const waiting = this.waiters.get(key) ?? [];
      waiting.push({ epochs, resolve: () => (clearTimeout(timer), resolve()) });
      this.waiters.set(key, waiting);
    });
  }

  /** Restore the kept runs, once, when the page opens; `ready` after, so new runs never clash with them. */
  private async restore(): Promise<void> {
    try {
      const { runs: records, problems } = await this.ports.store.restore();
      const statuses = await Promise.all(records.map((record) => this.statusNow(record)));
      const runs = records.map((record, i) => this.pageRunOf(record, statuses[i]));
      this.dispatch({ type: 'restore', runs });
      for (const problem of problems) this.notify(problem);
      for (const run of runs) {
        if (run.status === 'interrupted') this.notify(interruptedNotice(run), run.key);
        if (run.status === 'elsewhere') this.watchElsewhere(run.key);
      }
    } catch (error) {
      // Whatever went wrong, the page trains: new runs need no kept ones.
      this.notify(`The kept runs could not be restored (${errorMessage(error)}); new runs can still be trained.`);
    } finally {
      this.emit({ ready: true });
    }
  }

  // ——— Other tabs ———

  /** Where a kept record stands now: 'training' means under way in another tab, or interrupted. */
  async statusNow(record: KeptRun): Promise<Run['status']> {
    if (record.status !== 'training') return record.status;
    if (allEpochsKept(record)) return 'finished';
    return (await this.ports.tabs.trainedElsewhere(record.key)) ? 'elsewhere' : 'interrupted';
  }

  /** A run kept by another tab, brought onto this page (or brought up to date here). */
  private adopt(record: KeptRun, status: Run['status']): Run {
    const run = this.pageRunOf(record, status);
    this.dispatch({ type: 'sync', run });
    return run;
  }

  /** Take run `key` off this page (removed here or in another tab). */
  private removeHere(key: string): void {
    this.finish(key);
    this.kept.delete(key);
    this.keptEpochs.delete(key);
    this.writes.delete(key);
    this.settle(key, Infinity);
    this.dispatch({ type: 'remove', key });
  }

  /** Another tab kept or removed a run: it appears, moves on or goes here too. */
  private onTabMessage(message: TabMessage): void {
    // Until the kept runs are restored, restoring reads the latest of every run anyway.
    if (!this.snapshot.ready) return;
    const { key } = message;
    if (message.type === 'forgotten') {
      if (this.snapshot.state.runs.some((run) => run.key === key)) this.removeHere(key);
      this.forgetNotices(key);
      this.stopWatching(key);
      return;
    }
    if (this.trainsHere(key) || this.removing.has(key)) return;
    void this.ports.store.read(key).then(async (record) => {
      if (!record || this.closed) return;
      const status = await this.statusNow(record);
      this.adopt(record, status);
      // A run called interrupted a moment ago whose tab has now written how it ended.
      if (status !== 'interrupted') this.forgetNotices(record.key);
      if (status === 'elsewhere') this.watchElsewhere(record.key);
    });
  }

  /** Follow a run another tab trains; when that tab lets it go, show how it ended (or that it was interrupted). */
  private watchElsewhere(key: string): void {
    if (this.watching.has(key)) return;
    const stop = new AbortController();
    this.watching.set(key, stop);
    void this.ports.tabs
      .whenTrainedNowhere(key, stop.signal)
      .then(async () => {
        this.watching.delete(key);
        const ended = await this.endedStatus(key);
        if (!ended || this.closed) return;
        const run = this.adopt(ended.record, ended.status);
        if (run.status === 'interrupted') this.notify(interruptedNotice(run), run.key);
        // Seen under way still: another tab took it on, or the probe met one of this tab's own momentary
        // holds of its lock (a watcher's, as it was granted). Watch again, so the card never stays on
        // "training in another tab" for a run nobody trains.
        if (run.status === 'elsewhere') this.watchElsewhere(key);
      })
      .catch(() => this.watching.delete(key));
  }

  private stopWatching(key: string): void {
    this.watching.get(key)?.abort();
  }

  /** How a run that another tab has let go of ended: as its record says, once its last write has landed. */
  private async endedStatus(key: string): Promise<{ record: KeptRun; status: Run['status'] } | null> {
    let record = await this.ports.store.read(key);
    if (record?.status === 'training' && !allEpochsKept(record)) {
      await new Promise((wait) => setTimeout(wait, LAST_WRITE_GRACE_MS));
      record = await this.ports.store.read(key);
    }
    // The other tab has let the run's lock go, so statusNow cannot find it under way there.
    return record ? { record, status: await this.statusNow(record) } : null;
  }
}

/** The runs of a page, in the browser or with fakes. */
export function createRunsController(ports: RunsPorts): RunsController {
  return new RunsController(ports);
}
