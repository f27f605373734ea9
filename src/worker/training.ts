/**
 * A training worker's job: one run at a time over MNIST, the engine's SGD loop paused often enough that
 * stop() arrives, each epoch sent to the page with its network and its test readings. A plain object with
 * its data source injected, so Node tests call it directly; training.worker.ts exposes it with Comlink.
 */
import { sliceDataset } from '../nn/dataset';
import { personalDataset, withPersonalDigits } from '../nn/teach';
import { networkSizes } from '../nn/config';
import { parseTrainConfig } from '../nn/settings';
import { Network } from '../nn/network';
import { kernelName, parseKernelChoice, trainerFor } from '../nn/kernels';
import { sgdEvents, sgdOptionsFor } from '../nn/sgd';
import { digitsNeverRead, digitsReadBadly } from '../nn/stalls';
import { holdMnist, type MnistHolder, type MnistSource } from './mnist-holder';
import type { ModelParameters, RunEvent, RunSummary, TrainingApi, TrainRequest } from './protocol';

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
function takeParameters(net: Network, parameters: ModelParameters): void {
  if (parameters.sizes.join('-') !== net.sizes.join('-')) {
    throw new Error(`the kept network is ${parameters.sizes.join('-')}, but its settings make ${net.sizes.join('-')}`);
  }
  net.weights.forEach((w, l) => w.set(parameters.weights[l]));
  net.biases.forEach((b, l) => b.set(parameters.biases[l]));
}

/**
 * Everything a run needs before its first mini-batch: its network (drawn from its seed, then given the
 * kept or source weights), its data (with the person's digits when fine-tuning), and SGD's events over them.
 */
function startRun(mnist: MnistHolder, { config: rawConfig, kernel = null, resume = null, tuning = null }: TrainRequest) {
  const parsed = parseTrainConfig(rawConfig);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const kernelChoice = parseKernelChoice(kernel);
  const config = parsed.value;
  // A continued run draws its first weights again (so the generator is where the run began), then
  // takes the weights of its last kept epoch; sgdEvents replays the shuffles of the epochs done.
  const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
  if (resume) takeParameters(net, resume.parameters);
  if (tuning) takeParameters(net, tuning.parameters);
  const test = mnist.dataset('test');
  const mnistTraining = sliceDataset(mnist.dataset('training'), 0, config.trainingExamples);
  // Fine-tuning: the person's digits, as they are, to measure before and after; repeated among MNIST's to train on.
  const personal = tuning ? personalDataset(tuning.digits) : null;
  // Measured on the fast path: the reference evaluate() would take about a second of 10,000 digits at 100 hidden.
  const measurer = personal ? trainerFor(net, 1, kernelChoice) : null;
  const before = personal && measurer ? { personal: measurer.evaluate(personal), test: measurer.evaluate(test) } : null;
  const training = tuning ? withPersonalDigits(mnistTraining, tuning.digits, config.seed) : mnistTraining;
  const events = sgdEvents(net, training, config.epochs, config.miniBatchSize, config.eta, {
    ...sgdOptionsFor(config, { test, validation: config.earlyStopping > 0 ? mnist.dataset('validation') : undefined }),
    startEpoch: resume?.epochsDone ?? 0,
    bestValidation: resume?.bestValidation ?? undefined,
    kernel: kernelChoice,
    progressEvery: Math.max(config.miniBatchSize, PROGRESS_EVERY),
  });
  return { net, test, personal, before, events };
}

/** A training worker over MNIST from `source`. */
export function createTraining(source: MnistSource): TrainingApi {
  const mnist = holdMnist(source);
  let stopRequested = false;
  const yieldToEventLoop = eventLoopTurns();

  return {
    load: mnist.load,
    shareData: mnist.shareData,

    async train(request: TrainRequest, onEvent: (events: RunEvent[]) => unknown): Promise<RunSummary> {
      const { net, test, personal, before, events } = startRun(mnist, request);
      stopRequested = false;
      let pending: RunEvent[] = [];
      let lastFlush = now();
      let outcome: RunSummary['outcome'] = 'finished';
      let lastCorrect = before?.test ?? 0;
      for (const event of events) {
        if (event.kind === 'epoch') {
          lastCorrect = event.correct ?? lastCorrect;
          const neverReads = event.testReadings ? digitsNeverRead(event.testReadings, test.labels) : [];
          const readsBadly = event.testReadings ? digitsReadBadly(event.testReadings, test.labels) : [];
          pending.push({ ...event, parameters: net.parameters(), neverReads, readsBadly });
        } else if (event.kind === 'diverged' || event.kind === 'early-stop') {
          outcome = event.kind === 'diverged' ? 'diverged' : 'stopped early';
          pending.push(event);
        } else {
          // Only the latest progress matters to the page.
          pending = pending.filter((e) => e.kind !== 'progress');
          pending.push(event);
        }
        if (event.kind !== 'progress' || now() - lastFlush >= EVENT_INTERVAL_MS) {
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
      }
      if (personal && before && outcome === 'finished') {
        pending.push({
          kind: 'tuned',
          digits: personal.count,
          personalBefore: before.personal,
          personalAfter: net.evaluate(personal),
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
    },

    kernelName(kernel: string | null = null): string {
      return kernelName(parseKernelChoice(kernel));
    },
  };
}
