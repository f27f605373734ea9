/**
 * A training worker's job: one run at a time over MNIST, the engine's SGD loop paused often enough that
 * stop() arrives, each epoch sent to the page with its network and its test readings. A plain object with
 * its data source injected, so Node tests call it directly; training.worker.ts exposes it with Comlink.
 */
import { epochLength, sliceDataset } from '../nn/dataset';
import { personalDataset, withPersonalDigits } from '../nn/teach';
import { networkSizes, withinInterval, type TrainConfig } from '../nn/config';
import { isConvolutional, multilayerOf, type AnyModel } from '../nn/any-model';
import { Network3 } from '../nn/network3/network3';
import { network3Preset } from '../nn/network3/ladder';
import { sameLayers } from '../nn/network3/layers';
import { network3Events, network3Trainer } from '../nn/network3/sgd3';
import { parseTrainConfig } from '../nn/settings';
import { Network } from '../nn/network';
import { kernelName, parseKernelChoice, trainerFor } from '../nn/kernels';
import { sgdEvents, sgdOptionsFor, type Stretch } from '../nn/sgd';
import { digitsNeverRead, digitsReadBadly } from '../nn/stalls';
import { stepReport, steppedDigits, type StepReader, type StepReport } from '../nn/step-report';
import { sizeOf } from '../nn/network3/layers';
import { firstEpochSpeedMarks, layerSpeeds } from '../nn/speeds';
import type { Dataset, Examples } from '../nn/types';
import { holdMnist, type MnistHolder, type MnistSource } from './mnist-holder';
import type { RunEvent, RunSummary, StepSize, TrainingApi, TrainEvent, TrainRequest, Watch } from './protocol';

/**
 * Time between two batches of events, and between two pauses of the SGD loop: 10 a second per run is
 * smooth to watch, leaves the page's thread (and the cores) to training, and keeps stop() well within 200 ms.
 */
const EVENT_INTERVAL_MS = 100;

/**
 * Examples per chunk of mini-batches between two pauses of the SGD loop (where stop() is heard): about
 * 2 ms on the WebAssembly kernel, a few tens of ms on a slow phone's. Each pause costs a message through
 * the event loop; at 200 examples per chunk they were 250 an epoch.
 */
const PROGRESS_EVERY = 1000;

const now = (): number => performance.now();

/**
 * Let a queued stop() run: one macrotask turn without timer clamping. One channel is
 * kept for it (a fresh one per turn costs about seven times as much), since the loop turns after every
 * chunk of mini-batches.
 */
function eventLoopTurns(): () => Promise<void> {
  const channel = new MessageChannel();
  let wake: (() => void) | null = null;
  channel.port1.onmessage = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  // In Node an open port would keep the process alive; browsers have no unref.
  (channel.port1 as MessagePort & { unref?: () => void }).unref?.();
  return () =>
    new Promise((resolve) => {
      wake = resolve;
      channel.port2.postMessage(null);
    });
}

/** Put a kept run's parameters into `net`, checking that they are the shapes its settings give. */
function takeParameters(net: Network, parameters: AnyModel): void {
  const mine = multilayerOf(parameters);
  if (!mine || mine.sizes.join('-') !== net.sizes.join('-')) {
    throw new Error(`the kept network is ${mine ? mine.sizes.join('-') : 'convolutional'}, but its settings make ${net.sizes.join('-')}`);
  }
  net.weights.forEach((w, l) => w.set(mine.weights[l]));
  net.biases.forEach((b, l) => b.set(mine.biases[l]));
}

/** A chapter 6 network for `config` (its preset's layers, drawn from its seed), with `parameters` when given. */
function convolutionalNetwork(config: TrainConfig, parameters: AnyModel | null): Network3 {
  const preset = network3Preset(config.chapter6);
  if (!preset) throw new Error(`there is no chapter 6 network called “${config.chapter6}”`);
  const net = new Network3(preset.layers, { seed: config.seed });
  if (parameters) {
    if (!isConvolutional(parameters) || !sameLayers(parameters.layers, net.layers))
      throw new Error(`the kept network is not ${preset.name}, as its settings make`);
    parameters.parameters.forEach(({ w, b }, i) => (net.parameters[i].w.set(w), net.parameters[i].b.set(b)));
  }
  return net;
}

/** What decides a run's first stretch of training: whether it begins at its first mini-batch. */
interface RunStart {
  atStart: boolean;
  /** The first epoch's mini-batches where chapter 5's speeds are measured (none unless deep and at its start). */
  speedMarks: number[];
  miniBatchSize: number;
}

/**
 * A run's network of either kind, as the training loop needs it: its parameters to send, its test
 * readings now, and (the book's Network only) a copy before a stepped mini-batch and chapter 5's speeds.
 */
interface RunNetwork {
  parameters(): AnyModel;
  /** How many digits of each of `sets` it reads right as it is now, on the fast path. */
  measureNow(...sets: Dataset[]): number[];
  /** A copy of it as it is now, to compare a stepped mini-batch with. */
  copy(): unknown;
  /** What the step from `before` (a copy) to the network now did to `examples`. */
  stepReport(before: unknown, examples: Examples): StepReport;
  /** Chapter 5's speed of each hidden layer on `data` (networks of two or more hidden layers), else null. */
  speeds(data: Dataset): number[] | null;
}

/** How often a convolutional run's test digits are measured within an epoch, in examples: ten times an epoch of 50,000. */
const CONVOLUTIONAL_MEASURE_EVERY = 5000;

/** Examples per chunk of a convolutional run (about 0.1 s on the WebAssembly kernel), so stop() is heard within 200 ms. */
const CONVOLUTIONAL_CHUNK = 200;

/**
 * Everything a run needs before its first mini-batch: its network (drawn from its seed, then given the
 * kept or source weights), its data (with the person's digits when fine-tuning), and SGD's events over them,
 * the first stretch of which `firstStretch` chooses.
 */
function startRun(
  mnist: MnistHolder,
  { config: rawConfig, kernel = null, resume = null, tuning = null }: TrainRequest,
  firstStretch: (start: RunStart) => Stretch | undefined,
) {
  const parsed = parseTrainConfig(rawConfig);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const kernelChoice = parseKernelChoice(kernel);
  const config = parsed.value;
  const test = mnist.dataset('test');
  const mnistTraining = sliceDataset(mnist.dataset('training'), 0, config.trainingExamples);
  // Fine-tuning: the person's digits, as they are, to measure before and after; repeated among MNIST's to train on.
  const personal = tuning ? personalDataset(tuning.digits) : null;
  const training = tuning ? withPersonalDigits(mnistTraining, tuning.digits, config.seed) : mnistTraining;
  const atStart = !resume || (resume.epochsDone === 0 && !resume.examplesDone);
  const epochExamples = epochLength(training.count, config.expand);
  const from = resume?.parameters ?? tuning?.parameters ?? null;
  let network: RunNetwork;
  let events: Generator<TrainEvent, void, Stretch | undefined>;
  let deep = false;
  let speedMarks: number[] = [];
  if (config.kind === 'convolutional') {
    // A continued run draws its first weights again (so the generator is where the run began), then takes its kept ones.
    const net = convolutionalNetwork(config, from);
    network = {
      parameters: () => net.toParameters(),
      measureNow: (...sets) => {
        const trainer = network3Trainer(net, 1, kernelChoice);
        return sets.map((set) => trainer.evaluate(set));
      },
      copy: () => new Network3(net.layers, { input: net.input, parameters: net.parameters }),
      stepReport: (before, examples) => {
        const reader = (network: Network3): StepReader => ({
          outputs: (x) => network.feedforward(x),
          // network3.py's log-likelihood cost of one example: −ln a_y.
          cost: (a, label) => -Math.log(Math.max(a[label], 1e-30)),
        });
        return steppedDigits(reader(before as Network3), reader(net), examples, sizeOf(net.input));
      },
      speeds: () => null,
    };
    events = network3Events(net, training, config.epochs, config.miniBatchSize, config.eta, {
      test,
      lambda: config.lambda,
      expand: config.expand,
      // The book's network3.py never shuffles; a fine-tuning must, or the person's digits would all come last.
      shuffle: tuning !== null,
      progressEvery: Math.max(config.miniBatchSize, CONVOLUTIONAL_CHUNK),
      measureEvery: CONVOLUTIONAL_MEASURE_EVERY,
      kernel: kernelChoice,
      startEpoch: resume?.epochsDone ?? 0,
      startExample: resume?.examplesDone ?? 0,
      firstStretch: firstStretch({ atStart, speedMarks, miniBatchSize: config.miniBatchSize }),
    });
  } else {
    // A continued run draws its first weights again (so the generator is where the run began), then
    // takes the weights of its last kept epoch; sgdEvents replays the shuffles of the epochs done.
    const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
    if (from) takeParameters(net, from);
    deep = net.sizes.length >= 4;
    speedMarks = deep && atStart ? firstEpochSpeedMarks(Math.ceil(epochExamples / config.miniBatchSize)) : [];
    network = {
      parameters: () => net.parameters(),
      // The fast path: the reference evaluate() would take about a second of 10,000 digits at 100 hidden.
      measureNow: (...sets) => {
        const trainer = trainerFor(net, 1, kernelChoice);
        return sets.map((set) => trainer.evaluate(set));
      },
      copy: () => Network.fromParameters(net.sizes, net.weights, net.biases, { cost: net.cost }),
      stepReport: (before, examples) => stepReport(before as Network, net, examples),
      speeds: (data) => (deep ? layerSpeeds(net.parameters(), data) : null),
    };
    events = sgdEvents(net, training, config.epochs, config.miniBatchSize, config.eta, {
      ...sgdOptionsFor(config, { test, validation: config.earlyStopping > 0 ? mnist.dataset('validation') : undefined }),
      startEpoch: resume?.epochsDone ?? 0,
      startExample: resume?.examplesDone ?? 0,
      firstStretch: firstStretch({ atStart, speedMarks, miniBatchSize: config.miniBatchSize }),
      bestValidation: resume?.bestValidation ?? undefined,
      kernel: kernelChoice,
      progressEvery: Math.max(config.miniBatchSize, PROGRESS_EVERY),
    });
  }
  const before = personal ? (([mine, mnistTest]) => ({ personal: mine, test: mnistTest }))(network.measureNow(personal, test)) : null;
  return {
    network,
    test,
    training,
    personal,
    before,
    events,
    miniBatchSize: config.miniBatchSize,
    atStart,
    epochExamples,
    deep,
    speedMarks,
  };
}

/** How often a run at a slow pace shows its network as it is (a screen shows no more). */
const SNAPSHOT_INTERVAL_MS = 250;

/**
 * The person's hand on a run: its pace, pause and steps. The SGD loop asks it, between two stretches of
 * training, what to train next (and waits here while the run is paused).
 */
class Watcher {
  watch: Watch = { pace: null, paused: false };
  private steps: StepSize[] = [];
  private wake: (() => void) | null = null;
  /** Stepping through to the end of an epoch at full speed. */
  private toEpochEnd = false;
  /** When the last stretch of a paced run began, and when its network was last shown. */
  private paceClock = 0;
  private lastShown = 0;

  /** Whether a person watches the run: paused, or at a slow pace. */
  watched(): boolean {
    return this.watch.paused || this.watch.pace !== null;
  }
  set(watch: Watch): void {
    this.watch = { ...watch };
    if (!watch.paused) this.steps = [];
    this.poke();
  }
  step(size: StepSize): void {
    this.steps.push(size);
    this.poke();
  }
  /** Wake a waiting loop (a stop, a step, Resume, a new pace). */
  poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
  private until(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.poke(), ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
  }

  /** The first stretch of a run: one mini-batch if it is paced, none if it starts paused. */
  first(): Stretch | undefined {
    if (this.watch.paused) return { batches: 0, sync: true };
    return this.watch.pace === null ? undefined : { batches: 1, sync: true };
  }

  /**
   * What to train after `event` (whose weights are synced when `synced`): `report` is called with where the
   * run stands whenever the page should see it (and awaited when the run has paused there).
   */
  async next(
    event: TrainEvent,
    synced: boolean,
    report: (paused: boolean) => Promise<unknown> | void,
    stopped: () => boolean,
  ): Promise<Stretch | undefined> {
    if (this.toEpochEnd) {
      if (event.kind !== 'epoch') return undefined;
      this.toEpochEnd = false;
    }
    while (this.watch.paused && !stopped()) {
      // Pause at a mini-batch whose weights are in the network: a stretch of none syncs them first.
      if (!synced) return { batches: 0, sync: true };
      await report(true);
      while (this.watch.paused && !this.steps.length && !stopped()) await this.until(60_000);
      const step = this.steps.shift();
      if (step === 'mini-batch') return { batches: 1, sync: true, examples: true };
      if (step === 'epoch') {
        this.toEpochEnd = true;
        return undefined;
      }
    }
    const pace = this.watch.pace;
    if (pace === null || stopped()) return undefined;
    // A slow pace: the stretch as long as a twentieth of a second holds (one mini-batch at least), then
    // wait out the rest of its time; the network is shown a few times a second.
    if (synced && performance.now() - this.lastShown >= SNAPSHOT_INTERVAL_MS) {
      this.lastShown = performance.now();
      void report(false);
    }
    const batches = Math.max(1, Math.round(pace / 20));
    const wait = this.paceClock + (1000 * batches) / pace - performance.now();
    if (wait > 0) await this.until(wait);
    this.paceClock = performance.now();
    return { batches, sync: performance.now() - this.lastShown >= SNAPSHOT_INTERVAL_MS - 50 };
  }
}

/**
 * `stretch`, cut short where it would pass the next of the first epoch's `marks` (in mini-batches) after
 * `examplesDone`, and synced there, so chapter 5's speeds can be measured at the mark. The marks change
 * where training pauses, never what it trains.
 */
function toSpeedMark(stretch: Stretch | undefined, examplesDone: number, marks: number[], miniBatchSize: number): Stretch | undefined {
  const mark = marks.find((m) => m * miniBatchSize > examplesDone);
  if (mark === undefined) return stretch;
  const batches = mark - examplesDone / miniBatchSize;
  if (stretch?.batches !== undefined && stretch.batches < batches) return stretch;
  return { ...stretch, batches, sync: true };
}

/** A training worker over MNIST from `source`. */
export function createTraining(source: MnistSource): TrainingApi {
  const mnist = holdMnist(source);
  let stopRequested = false;
  const watcher = new Watcher();
  const yieldToEventLoop = eventLoopTurns();

  return {
    load: mnist.load,
    shareData: mnist.shareData,

    async train(request: TrainRequest, onEvent: (events: RunEvent[]) => unknown): Promise<RunSummary> {
      if (request.watch) watcher.set(request.watch);
      let stretch: Stretch | undefined;
      const run = startRun(mnist, request, (start) => (stretch = toSpeedMark(watcher.first(), 0, start.speedMarks, start.miniBatchSize)));
      const { network, test, training, personal, before, events, miniBatchSize, atStart, epochExamples, deep, speedMarks } = run;
      stopRequested = false;
      let pending: RunEvent[] = [];
      // Chapter 5: how fast each hidden layer learns, for a deep network: from its start, within its first
      // epoch and after each epoch.
      const speeds = (epoch: number, within?: { examplesDone: number }): RunEvent => ({
        kind: 'speeds',
        epoch,
        lengths: network.speeds(training) ?? [],
        ...(within && { examplesDone: within.examplesDone, examplesTotal: epochExamples }),
      });
      if (deep && atStart) pending.push(speeds(-1));
      // Watched from its first mini-batch: where the climb starts, the untrained network (about 10%).
      if (atStart && watcher.watched()) {
        const [correct] = network.measureNow(test);
        pending.push({ kind: 'within', epoch: 0, examplesDone: 0, examplesTotal: epochExamples, correct, total: test.count });
      }
      let lastFlush = now();
      let outcome: RunSummary['outcome'] = 'finished';
      let lastCorrect = before?.test ?? 0;
      /** The network before a stepped mini-batch, to show what the step did. */
      let beforeStep: unknown = null;
      for (let next = events.next(); !next.done; next = events.next(stretch)) {
        const event = next.value;
        // The examples stay here: the page gets what the step did to them.
        const examples = event.kind === 'progress' ? event.examples : undefined;
        if (event.kind === 'progress') delete event.examples;
        if (event.kind === 'progress' && event.testCorrect !== undefined) {
          const { epoch, examplesDone, examplesTotal } = event;
          pending.push({
            kind: 'within',
            epoch,
            examplesDone,
            examplesTotal,
            correct: event.testCorrect,
            total: event.testTotal ?? test.count,
          });
        }
        // A stretch that ended at one of the first epoch's marks, with its weights synced: the speeds there.
        if (event.kind === 'progress' && event.epoch === 0 && stretch?.sync && speedMarks.includes(event.examplesDone / miniBatchSize)) {
          pending.push(speeds(0, event));
        }
        if (event.kind === 'progress' && examples && beforeStep) {
          pending.push({
            kind: 'stepped',
            epoch: event.epoch,
            examplesDone: event.examplesDone,
            ...network.stepReport(beforeStep, examples),
          });
          beforeStep = null;
        }
        if (event.kind === 'epoch') {
          lastCorrect = event.correct ?? lastCorrect;
          const neverReads = event.testReadings ? digitsNeverRead(event.testReadings, test.labels) : [];
          const readsBadly = event.testReadings ? digitsReadBadly(event.testReadings, test.labels) : [];
          pending.push({ ...event, parameters: network.parameters(), neverReads, readsBadly });
          if (deep) pending.push(speeds(event.epoch));
        } else if (event.kind === 'diverged' || event.kind === 'early-stop') {
          outcome = event.kind === 'diverged' ? 'diverged' : 'stopped early';
          pending.push(event);
        } else {
          // Only the latest progress matters to the page.
          pending = pending.filter((e) => e.kind !== 'progress');
          pending.push(event);
        }
        if (event.kind !== 'progress' || watcher.watched() || now() - lastFlush >= EVENT_INTERVAL_MS) {
          const delivered = onEvent(pending);
          // An epoch is kept by the page before the next one begins (a reload loses at most the epoch in
          // progress), and an ending event arrives before train()'s answer, which travels on another channel.
          if (event.kind !== 'progress') await delivered;
          pending = [];
          lastFlush = now();
        }
        // After every chunk, not only every report: a stop is heard after at most one chunk of mini-batches,
        // however slow the machine.
        await yieldToEventLoop();
        if (stopRequested) {
          outcome = 'stopped';
          break;
        }
        if (event.kind !== 'progress' && event.kind !== 'epoch') continue;
        // Where the run stands: after an epoch, at the start of the next one.
        const position = event.kind === 'epoch' ? { epoch: event.epoch + 1, examplesDone: 0 } : event;
        const synced = event.kind === 'epoch' || stretch?.sync === true;
        const total = event.kind === 'progress' ? event.examplesTotal : 0;
        stretch = await watcher.next(
          event,
          synced,
          (paused) =>
            Promise.resolve(
              onEvent([
                {
                  kind: 'position',
                  epoch: position.epoch,
                  examplesDone: position.examplesDone,
                  examplesTotal: total,
                  paused,
                  parameters: network.parameters(),
                },
              ]),
            ),
          () => stopRequested,
        );
        if (stopRequested) {
          outcome = 'stopped';
          break;
        }
        if (position.epoch === 0) stretch = toSpeedMark(stretch, position.examplesDone, speedMarks, miniBatchSize);
        // Learning within the epoch, measured where a watched stretch passes one of the epoch's marks.
        if (stretch?.batches) {
          const every = withinInterval(epochExamples);
          const end = position.examplesDone + stretch.batches * miniBatchSize;
          if (end < epochExamples && Math.floor(end / every) > Math.floor(position.examplesDone / every))
            stretch = { ...stretch, measure: true };
        }
        // A stepped mini-batch starts from the network as it is (synced while paused).
        if (stretch?.examples) beforeStep = network.copy();
      }
      if (personal && before && outcome === 'finished') {
        pending.push({
          kind: 'tuned',
          digits: personal.count,
          personalBefore: before.personal,
          personalAfter: network.measureNow(personal)[0],
          testBefore: before.test,
          testAfter: lastCorrect,
          total: test.count,
        });
      }
      // Events and the answer travel on different channels: the last events arrive before the answer.
      if (pending.length) await onEvent(pending);
      return { outcome };
    },

    stop(): void {
      stopRequested = true;
      watcher.poke();
    },

    watch(watch: Watch): void {
      watcher.set(watch);
    },

    step(size: StepSize): void {
      watcher.step(size);
    },

    kernelName(kernel: string | null = null): string {
      return kernelName(parseKernelChoice(kernel));
    },
  };
}
