/**
 * The runs controller in Node, with a fake browser: an in-memory store shared by its tabs, a channel
 * between them, locks, and training workers that report an epoch only when the test lets them.
 */
import { Network3 } from '../../nn/network3/network3';
import { network3Preset } from '../../nn/network3/ladder';
import { multilayerOf } from '../../nn/any-model';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../nn/config';
import type { AnyModel, RunEvent, RunSummary, TrainRequest, Watch } from '../../worker/protocol';
import { canTrainFurther, runLabel, type Run } from './run';
import { keptOf, type KeptRun } from './keeping/run-store';
import type { TabMessage } from './keeping/tabs';
import { createRunsController, type RunsController } from './runs-controller';
import type { RunsPorts, TrainingWorker } from './runs-ports';
import { epochEvent, parameters } from './test-helpers';

/** Let every pending promise and timer of 0 ms run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A training worker that reports epoch after epoch, each when the test calls `epoch()`, and waits for each to be kept. */
class FakeWorker implements TrainingWorker {
  requests: TrainRequest[] = [];
  /** Whether the last epoch's events have been taken in (the page's wait ended). */
  waiting = false;
  terminated = false;
  /** Epochs the test has let it train, and who waits for the next. */
  private allowed = 0;
  private wake: (() => void) | null = null;
  private stopped = false;
  crash: (message: string) => void = () => {};
  answers = true;

  kernelName(): Promise<string> {
    return this.answers ? Promise.resolve('fake kernel') : new Promise(() => {});
  }
  async load(): Promise<void> {}
  async train(request: TrainRequest, onEvents: (events: RunEvent[]) => Promise<void> | void): Promise<RunSummary> {
    this.requests.push(request);
    for (let e = request.resume?.epochsDone ?? 0; e < request.config.epochs; e++) {
      while (this.allowed === 0 && !this.stopped) await new Promise<void>((wake) => (this.wake = wake));
      this.allowed--;
      if (this.stopped) return { outcome: 'stopped' };
      this.waiting = true;
      await onEvents([epochEvent(e)]);
      this.waiting = false;
    }
    return { outcome: 'finished' };
  }
  /** Train one more epoch. */
  epoch(): void {
    this.allowed++;
    this.wake?.();
  }
  stop(): void {
    this.stopped = true;
    this.epoch();
  }
  watched: Watch[] = [];
  watch(watch: Watch): void {
    this.watched.push(watch);
  }
  step(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

/** The browser that the tabs share: kept runs, the run counter, who holds which run's lock, a channel. */
class FakeBrowser {
  records = new Map<string, KeptRun>();
  counter: number | null = null;
  locks = new Map<string, FakeTab>();
  tabs = new Set<FakeTab>();
  /** How many of the next "is it trained elsewhere?" probes see the lock held though nobody trains the run
   * (in a browser: the probe met this tab's own watcher holding the lock for the instant it was granted). */
  probesFooled = 0;
  /** While set, writes wait for it (storage that is slow). */
  slowWrites: Promise<void> | null = null;
  private lockWaiters: { key: string; wake: () => void }[] = [];
  private keys = 0;

  newKey = () => `run-${++this.keys}`;

  release(key: string): void {
    this.locks.delete(key);
    for (const w of this.lockWaiters.filter((w) => w.key === key)) w.wake();
    this.lockWaiters = this.lockWaiters.filter((w) => w.key !== key);
  }
  whenFree(key: string): Promise<void> {
    if (!this.locks.has(key)) return Promise.resolve();
    return new Promise((wake) => this.lockWaiters.push({ key, wake }));
  }
}

/** One tab of the page: its controller, its workers, and the ports it sees of the shared browser. */
class FakeTab {
  workers: FakeWorker[] = [];
  controller: RunsController;
  listeners = new Set<(message: TabMessage) => void>();
  private close: () => void;

  constructor(
    readonly browser: FakeBrowser,
    cores = 2,
  ) {
    browser.tabs.add(this);
    const ports: RunsPorts = {
      store: {
        restore: async () => ({ runs: [...browser.records.values()].sort((a, b) => a.createdAt - b.createdAt), problems: [] }),
        read: async (key) => browser.records.get(key) ?? null,
        keep: async (run) => {
          const record = keptOf(run);
          if (browser.slowWrites) await browser.slowWrites;
          browser.records.set(run.key, structuredClone(record));
          return null;
        },
        keepHidden: async (key, hidden) => {
          const record = browser.records.get(key);
          if (record) record.hidden = hidden;
          return !!record;
        },
        forget: async (key, freshStart) => {
          if (browser.slowWrites) await browser.slowWrites;
          browser.records.delete(key);
          if (freshStart && browser.records.size === 0) browser.counter = null;
        },
        takeNumbers: async (count, floor) => {
          const highest = Math.max(0, ...[...browser.records.values()].map((r) => r.number));
          const next = Math.max(browser.counter ?? highest + 1, floor);
          browser.counter = next + count;
          return next;
        },
      },
      tabs: {
        tell: (message) => {
          for (const tab of browser.tabs) if (tab !== this) for (const listener of tab.listeners) listener(message);
        },
        listen: (listener) => {
          this.listeners.add(listener);
          return () => this.listeners.delete(listener);
        },
        holdLock: async (key) => {
          if (browser.locks.has(key)) return null;
          browser.locks.set(key, this);
          return () => browser.locks.get(key) === this && browser.release(key);
        },
        trainedElsewhere: async (key) => {
          if (browser.probesFooled > 0) return (browser.probesFooled--, true);
          return browser.locks.has(key);
        },
        whenTrainedNowhere: (key) => browser.whenFree(key),
        nothingTrainsNow: async () => browser.locks.size === 0,
      },
      openWorker: (onCrash) => {
        const worker = new FakeWorker();
        worker.crash = onCrash;
        this.workers.push(worker);
        return worker;
      },
      cores: () => cores,
      canStart: () => true,
      kernel: () => null,
      newKey: browser.newKey,
      now: () => 1000,
    };
    this.controller = createRunsController(ports);
    this.close = this.controller.open();
  }

  get runs(): Run[] {
    return this.controller.getSnapshot().state.runs;
  }
  run(name: string): Run {
    const run = this.runs.find((r) => r.name === name);
    if (!run) throw new Error(`no ${name} in ${this.runs.map((r) => r.name).join(', ')}`);
    return run;
  }
  /** The tab goes away (closed or reloaded): its locks go with it, nothing more is written. */
  goAway(): void {
    this.close();
    this.browser.tabs.delete(this);
    for (const [key, holder] of this.browser.locks) if (holder === this) this.browser.release(key);
  }
}

const config = (epochs: number): TrainConfig => ({ ...DEFAULT_CONFIG, epochs });

/** A tab whose kept runs are restored. */
async function openTab(browser: FakeBrowser, cores = 2): Promise<FakeTab> {
  const tab = new FakeTab(browser, cores);
  await settled();
  expect(tab.controller.getSnapshot().ready).toBe(true);
  return tab;
}

/** Run 1 of three epochs trained in tab `a` for `epochs` epochs, shown in tab `watcher` as under way elsewhere. */
async function watchedElsewhere(epochs: number) {
  const browser = new FakeBrowser();
  const a = await openTab(browser);
  const watcher = await openTab(browser);
  await a.controller.start(config(3));
  await settled();
  for (let e = 0; e < epochs; e++) a.workers[0].epoch();
  await settled();
  await settled();
  expect(watcher.run('Run 1').status).toBe('elsewhere');
  return { browser, a, watcher };
}

describe('the runs controller', () => {
  it('keeps each epoch as it arrives: the worker trains the next only once the write of the last has ended', async () => {
    const browser = new FakeBrowser();
    const tab = await openTab(browser);
    await tab.controller.start(config(3));
    await settled();
    const [worker] = tab.workers;
    expect(tab.run('Run 1').status).toBe('loading');

    let write = deferred();
    browser.slowWrites = write.promise;
    worker.epoch();
    await settled();
    // Shown at once, but the worker waits: its epoch is not kept yet.
    expect(tab.run('Run 1').accuracy).toHaveLength(1);
    expect(worker.waiting).toBe(true);
    expect(browser.records.size).toBe(0);
    write.resolve();
    await settled();
    expect(worker.waiting).toBe(false);
    expect(browser.records.get(tab.run('Run 1').key)).toMatchObject({ status: 'training', number: 1 });
    expect(browser.records.get(tab.run('Run 1').key)!.accuracy).toHaveLength(1);

    write = deferred();
    browser.slowWrites = write.promise;
    worker.epoch();
    await settled();
    expect(worker.waiting).toBe(true);
    write.resolve();
    browser.slowWrites = null;
    worker.epoch();
    await settled();
    await settled();
    expect(tab.run('Run 1').status).toBe('finished');
    expect(browser.records.get(tab.run('Run 1').key)).toMatchObject({ status: 'finished' });
    expect(browser.locks.size).toBe(0);
    expect(worker.terminated).toBe(true);
  });

  it('trains one run per core and queues the rest, in the order asked; Stop ends the queued ones first', async () => {
    const tab = await openTab(new FakeBrowser(), 1);
    await tab.controller.start(config(2));
    await tab.controller.start(config(2));
    await tab.controller.start(config(2));
    await settled();
    expect(tab.runs.map((r) => r.status)).toEqual(['loading', 'queued', 'queued']);
    tab.workers[0].epoch();
    tab.workers[0].epoch();
    await settled();
    await settled();
    expect(tab.runs.map((r) => r.status)).toEqual(['finished', 'loading', 'queued']);
    tab.controller.stopAll();
    await settled();
    await settled();
    expect(tab.runs.map((r) => r.status)).toEqual(['finished', 'stopped', 'stopped']);
    expect(tab.workers).toHaveLength(2);
  });

  it('numbers runs alike in every tab; a run another tab trains shows there, moves on, and ends there', async () => {
    const browser = new FakeBrowser();
    const [a, b] = [await openTab(browser), await openTab(browser)];
    await Promise.all([a.controller.start(config(2)), b.controller.start(config(2))]);
    await settled();
    expect(a.runs.map((r) => r.number)).toEqual([1]);
    expect(b.runs.map((r) => r.number)).toEqual([2]);
    a.workers[0].epoch();
    await settled();
    await settled();
    // Tab b learns of a's run from the channel: under way elsewhere, with its epoch.
    expect(b.run('Run 1')).toMatchObject({ status: 'elsewhere' });
    expect(b.run('Run 1').accuracy).toHaveLength(1);
    a.workers[0].epoch();
    await settled();
    await settled();
    expect(b.run('Run 1')).toMatchObject({ status: 'finished' });
    expect(b.controller.getSnapshot().notices).toEqual([]);
    // The next run, in either tab, takes the next number.
    await b.controller.start(config(1));
    expect(b.runs.map((r) => r.name).sort()).toEqual(['Run 1', 'Run 2', 'Run 3']);
  });

  it('a tab that goes mid-run leaves its run interrupted; a new tab says so, and Continue resumes after the last kept epoch', async () => {
    const { browser, a, watcher } = await watchedElsewhere(2);
    a.goAway();
    // The watcher waits for a last write that never comes, then calls the run interrupted.
    await new Promise((wait) => setTimeout(wait, 1600));
    expect(watcher.run('Run 1').status).toBe('interrupted');
    expect(watcher.controller.getSnapshot().notices).toEqual([
      'Run 1 was interrupted after epoch 1 — its 2 epochs are kept. Continue it from its card.',
    ]);

    const reloaded = await openTab(browser);
    const run = reloaded.run('Run 1');
    expect(run.status).toBe('interrupted');
    reloaded.controller.continueRun(run);
    await settled();
    expect(reloaded.controller.getSnapshot().notices).toEqual([]);
    expect(reloaded.workers[0].requests[0].resume).toMatchObject({ epochsDone: 2 });
    reloaded.workers[0].epoch();
    await settled();
    await settled();
    expect(reloaded.run('Run 1')).toMatchObject({ status: 'finished' });
    expect(reloaded.run('Run 1').accuracy.map((a) => a.epoch)).toEqual([0, 1, 2]);
  });

  it('a run whose tab went is called interrupted even when the first look after finds its lock held for an instant', async () => {
    const { browser, a, watcher } = await watchedElsewhere(1);
    browser.probesFooled = 1;
    a.goAway();
    // The first look, after the grace for a last write, is fooled; the watcher looks again, a grace later.
    await new Promise((wait) => setTimeout(wait, 1600));
    expect(watcher.run('Run 1').status).toBe('elsewhere');
    await new Promise((wait) => setTimeout(wait, 1600));
    expect(watcher.run('Run 1').status).toBe('interrupted');
    expect(watcher.controller.getSnapshot().notices).toEqual([
      'Run 1 was interrupted after epoch 0 — its 1 epoch is kept. Continue it from its card.',
    ]);
  });

  it('keeps a loaded chapter 6 network of none of the ladder’s shapes, names it so, and offers to train further only the ladder’s', async () => {
    const browser = new FakeBrowser();
    const tab = await openTab(browser);
    const imported = (model: AnyModel) => ({ model, correct: 5000, total: 10_000, testReadings: new Uint8Array(10_000) });
    const odd = new Network3(
      [
        { kind: 'conv-pool', filters: 4, filterSize: 5, poolSize: 2, activation: 'relu' },
        { kind: 'softmax', neurons: 10, dropout: 0 },
      ],
      { seed: 1 },
    ).toParameters();
    await tab.controller.addImported(imported(odd), 'odd.json');
    await settled();
    expect(runLabel(tab.run('Run 1'))).toBe('Run 1 (chapter 6 network)');
    expect(canTrainFurther(tab.run('Run 1'))).toBe(false);
    expect(browser.records.get(tab.run('Run 1').key)?.parameters).toEqual(odd);
    await tab.controller.addImported(imported(new Network3(network3Preset('relu')!.layers, { seed: 1 }).toParameters()), 'relu.json');
    await settled();
    expect(runLabel(tab.run('Run 2'))).toBe('Run 2 (conv 20-40 ReLU)');
    expect(canTrainFurther(tab.run('Run 2'))).toBe(true);
  });

  it('a removed run stays on the page until storage has let it go, then goes from every tab; numbering starts again', async () => {
    const browser = new FakeBrowser();
    const [a, b] = [await openTab(browser), await openTab(browser)];
    await a.controller.start(config(1));
    await settled();
    a.workers[0].epoch();
    await settled();
    await settled();
    expect(b.run('Run 1').status).toBe('finished');

    const write = deferred();
    browser.slowWrites = write.promise;
    const removed = a.controller.remove(a.run('Run 1').key);
    await settled();
    expect(a.runs).toHaveLength(1);
    write.resolve();
    await removed;
    expect(a.runs).toHaveLength(0);
    expect(b.runs).toHaveLength(0);
    expect(browser.records.size).toBe(0);
    browser.slowWrites = null;
    await b.controller.start(config(1));
    expect(b.runs.map((r) => r.name)).toEqual(['Run 1']);
  });

  it('a worker that crashes after a kept epoch leaves its run interrupted (Continue takes it on); one that never answered, failed', async () => {
    const tab = await openTab(new FakeBrowser());
    await tab.controller.start(config(3));
    await settled();
    tab.workers[0].epoch();
    await settled();
    await settled();
    tab.workers[0].crash('out of memory');
    expect(tab.run('Run 1')).toMatchObject({
      status: 'interrupted',
      error: 'the training worker crashed (out of memory); other runs are not affected',
    });

    const silent = new FakeBrowser();
    const other = new FakeTab(silent);
    await settled();
    const started = other.controller.start(config(3));
    await started;
    other.workers[0].answers = false;
    other.workers[0].crash('script not found');
    expect(other.run('Run 1').status).toBe('failed');
    expect(other.run('Run 1').error).toMatch(/^its worker could not start \(script not found\)/);
  });

  it('calls a kept run whose last epoch was written finished, though its tab went before writing its end', async () => {
    const browser = new FakeBrowser();
    const tab = await openTab(browser);
    await tab.controller.start(config(2));
    await settled();
    tab.workers[0].epoch();
    await settled();
    await settled();
    const record = browser.records.get(tab.run('Run 1').key)!;
    tab.goAway();
    expect(await tab.controller.statusNow({ ...record, config: config(1) })).toBe('finished');
    expect(await tab.controller.statusNow(record)).toBe('interrupted');
    expect(await tab.controller.statusNow({ ...record, status: 'stopped' })).toBe('stopped');
  });

  it('paces and pauses every run it trains, the ones it starts later too; Resume sets paused runs training again', async () => {
    const tab = await openTab(new FakeBrowser());
    tab.controller.setWatch({ pace: 10, paused: false });
    await tab.controller.start(config(2));
    await settled();
    expect(tab.workers[0].requests[0].watch).toEqual({ pace: 10, paused: false });
    tab.controller.setWatch({ pace: 10, paused: true });
    expect(tab.workers[0].watched.at(-1)).toEqual({ pace: 10, paused: true });
    expect(tab.controller.getSnapshot().watch.paused).toBe(true);
    tab.controller.setWatch({ pace: null, paused: false });
    expect(tab.workers[0].watched.at(-1)).toEqual({ pace: null, paused: false });
  });

  it('trains a loaded model further as a new run from its weights, with the settings given and the file’s layers and cost; a reload keeps where it began', async () => {
    const browser = new FakeBrowser();
    const a = await openTab(browser);
    const model = { ...parameters, cost: 'cross-entropy' as const };
    await a.controller.addImported({ model, correct: 9500, total: 10_000, testReadings: new Uint8Array(10_000) }, 'net.json');
    const loaded = a.run('Run 1');
    await a.controller.trainFurther(loaded, { ...config(2), hidden: [100], eta: 0.5 });
    await settled();
    const further = a.run('Run 2');
    expect(further).toMatchObject({ startedFrom: 'Run 1, loaded from net.json', sizes: [784, 30, 10], status: 'loading' });
    expect(further.config).toMatchObject({ hidden: [30], cost: 'cross-entropy', eta: 0.5, epochs: 2 });
    expect(a.workers[0].requests[0].resume).toMatchObject({ epochsDone: 0, parameters: model });
    // The tab goes before its first epoch: a new tab continues it from the loaded weights, not from its seed.
    a.goAway();
    const reloaded = await openTab(browser);
    const kept = reloaded.run('Run 2');
    expect(kept).toMatchObject({ status: 'interrupted', startedFrom: 'Run 1, loaded from net.json' });
    expect(reloaded.run('Run 1').status).toBe('loaded');
    reloaded.controller.continueRun(kept);
    await settled();
    expect(reloaded.workers[0].requests[0].resume).toMatchObject({ epochsDone: 0 });
    expect(multilayerOf(reloaded.workers[0].requests[0].resume?.parameters)?.cost).toBe('cross-entropy');
  });
});
