/**
 * The trainer behind a worker: owns MNIST and one network, runs the engine's SGD loop and pauses often
 * enough that stop() arrives. A plain object with its data source injected, so Node tests call it
 * directly; trainer.worker.ts exposes it with Comlink.
 */
import { sliceDataset } from '../nn/dataset';
import { INPUTS, PIXEL_SCALE } from '../nn/mnist-shape';
import { networkSizes, parseTrainConfig, type TrainConfig } from '../nn/config';
import { argmax, readInput } from '../nn/math';
import { Network } from '../nn/network';
import { trainerFor } from '../nn/kernels';
import { sgdEvents } from '../nn/sgd';
import type { Dataset } from '../nn/types';
import type { MnistData } from '../data/mnist';
import { centreLikeMnist, inkFromDrawing, inkFromPhoto } from '../data/preprocess';
import { parseNetwork2Json, toNetwork2Json } from '../nn/model-io';
import { errorMessage } from '../nn/format';
import type {
  DataFrom,
  DataInfo,
  DataMessage,
  DataSetName,
  Digit,
  ImportedModel,
  ImagePixels,
  ImportProgress,
  LoadProgress,
  ModelParameters,
  Prediction,
  Reading,
  RunEvent,
  Resume,
  RunSummary,
  TrainerApi,
} from './protocol';

/** How the keeper loads MNIST from the files at `url` (fetch and Cache Storage in the worker, the file system in Node). */
export type MnistSource = (url: string, onProgress: (p: LoadProgress) => void) => Promise<MnistData>;

/** MNIST as the keeper sends it through `port`: its progress while it loads, then the parsed data. */
function receiveData(port: MessagePort, onProgress: (p: LoadProgress) => void): Promise<MnistData> {
  return new Promise((resolve, reject) => {
    port.onmessage = ({ data: message }: MessageEvent<DataMessage>) => {
      if (message.kind === 'progress') return onProgress(message.progress);
      port.close();
      if (message.kind === 'data') resolve(message.data);
      else reject(new Error(message.message));
    };
  });
}

/**
 * Time between two batches of events, and between two pauses of the SGD loop: 10 a second per run is
 * smooth to watch, leaves the page's thread (and the cores) to training, and keeps stop() well within 200 ms.
 */
const EVENT_INTERVAL_MS = 100;

const now = (): number => performance.now();

/**
 * Let queued messages (stop(), setModel()) run: one macrotask turn without timer clamping. One channel is
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

function parametersOf(net: Network): ModelParameters {
  return { sizes: [...net.sizes], weights: net.weights.map((w) => w.slice()), biases: net.biases.map((b) => b.slice()), cost: net.cost };
}

/** Test digits measured between two progress reports of a model import. */
const MEASURE_SLICE = 1000;

/** A file's text, reporting the share of its bytes read. */
async function readText(file: Blob, onProgress: (fraction: number) => void): Promise<string> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
    read += value.length;
    onProgress(file.size ? read / file.size : 1);
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** Put a kept run's parameters into `net`, checking that they are the shapes its settings give. */
function takeParameters(net: Network, parameters: ModelParameters): void {
  if (parameters.sizes.join('-') !== net.sizes.join('-')) {
    throw new Error(`the kept network is ${parameters.sizes.join('-')}, but its settings make ${net.sizes.join('-')}`);
  }
  net.weights.forEach((w, l) => w.set(parameters.weights[l]));
  net.biases.forEach((b, l) => b.set(parameters.biases[l]));
}

/** A trainer over MNIST from `source`. */
export function createTrainer({ source }: { source: MnistSource }): TrainerApi {
  let loading: Promise<MnistData> | null = null;
  /** Everyone waiting on the load in progress: the page, and the workers the data is shared with. */
  const loadListeners = new Set<(p: LoadProgress) => void>();
  /** Why the last load failed, for workers that ask to share it afterwards. */
  let loadError: string | null = null;
  let data: MnistData | null = null;
  let stopRequested = false;
  let model: Network | null = null;
  /** What the model reads for every test digit, computed once per model with the fast path. */
  let testReadings: Uint8Array | null = null;
  const input = new Float32Array(INPUTS);
  const yieldToEventLoop = eventLoopTurns();

  const readingsOfTest = (): Uint8Array | null => {
    if (!model) return null;
    testReadings ??= trainerFor(model, 1).classify(datasetOf('test'));
    return testReadings;
  };

  const requireData = (): MnistData => {
    if (!data) throw new Error('MNIST is not loaded yet: call load() first');
    return data;
  };

  const predictInput = (x: Float32Array): Prediction | null => {
    if (!model) return null;
    const activations = model.feedforward(x);
    return { activations, digit: argmax(activations) };
  };

  const datasetOf = (set: DataSetName): Dataset => {
    const d = requireData();
    if (!(set in d)) throw new Error(`unknown data set ${String(set)}`);
    return d[set];
  };

  return {
    async load(onProgress: (p: LoadProgress) => void, from: DataFrom): Promise<DataInfo> {
      loadListeners.add(onProgress);
      const report = (p: LoadProgress) => loadListeners.forEach((listener) => listener(p));
      loading ??= 'port' in from ? receiveData(from.port, report) : source(from.url, report);
      try {
        data = await loading;
        loadError = null;
      } catch (error) {
        loading = null;
        loadError = errorMessage(error);
        throw error;
      } finally {
        loadListeners.delete(onProgress);
      }
      return { training: data.training.count, validation: data.validation.count, test: data.test.count };
    },

    shareData(port: MessagePort): void {
      const send = (message: DataMessage) => port.postMessage(message);
      const progress = (p: LoadProgress) => send({ kind: 'progress', progress: p });
      const answer = async () => {
        if (!data && loading) {
          loadListeners.add(progress);
          await loading.catch(() => {});
          loadListeners.delete(progress);
        }
        // The data is copied into the message (the typed arrays of training and validation, slices of one
        // buffer, travel once); this worker keeps its own.
        if (data) send({ kind: 'data', data });
        else send({ kind: 'error', message: loadError ?? 'MNIST is not loaded yet' });
        port.close();
      };
      void answer();
    },

    async train(rawConfig: TrainConfig, onEvent: (events: RunEvent[]) => unknown, resume: Resume | null = null): Promise<RunSummary> {
      const parsed = parseTrainConfig(rawConfig);
      if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
      const config = parsed.value;
      const d = requireData();
      stopRequested = false;
      // A continued run draws its first weights again (so the generator is where the run began), then
      // takes the weights of its last kept epoch; sgdEvents replays the shuffles of the epochs done.
      const net = new Network(networkSizes(config), { seed: config.seed, init: config.init, cost: config.cost });
      if (resume) takeParameters(net, resume.parameters);
      const training = sliceDataset(d.training, 0, config.trainingExamples);
      const events = sgdEvents(net, training, config.epochs, config.miniBatchSize, config.eta, {
        startEpoch: resume?.epochsDone ?? 0,
        bestValidation: resume?.bestValidation ?? undefined,
        test: d.test,
        progressEvery: Math.max(config.miniBatchSize, 200),
        lambda: config.lambda,
        monitorTraining: config.monitorTraining,
        earlyStopping: config.earlyStopping > 0 ? { validation: d.validation, patience: config.earlyStopping } : undefined,
      });
      let pending: RunEvent[] = [];
      let lastFlush = now();
      let epochsDone = resume?.epochsDone ?? 0;
      let outcome: RunSummary['outcome'] = 'finished';
      for (const event of events) {
        if (event.kind === 'epoch') {
          epochsDone = event.epoch + 1;
          model = net;
          testReadings = null;
          pending.push({ ...event, parameters: parametersOf(net) });
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
      // Events and the answer travel on different channels: the last events arrive before the answer.
      if (pending.length) await onEvent(pending);
      return { outcome, epochsDone };
    },

    stop(): void {
      stopRequested = true;
    },

    setModel(parameters: ModelParameters | null): void {
      model = parameters
        ? Network.fromParameters(parameters.sizes, parameters.weights, parameters.biases, { cost: parameters.cost })
        : null;
      testReadings = null;
    },

    async predict(pixels: Float32Array): Promise<Prediction | null> {
      return predictInput(pixels);
    },

    async sample(set: DataSetName, index: number): Promise<Digit> {
      const dataset = datasetOf(set);
      if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
        throw new RangeError(`there is no digit ${index} in the ${set} set (0–${dataset.count - 1})`);
      }
      readInput(dataset, index, input);
      const pixels = new Uint8Array(INPUTS);
      for (let p = 0; p < INPUTS; p++) pixels[p] = Math.round(input[p] / PIXEL_SCALE);
      return { set, index, pixels, label: dataset.labels[index], prediction: predictInput(input) };
    },

    async read(image: ImagePixels, kind: 'drawing' | 'photo'): Promise<Reading | null> {
      const { data: rgba, width, height } = image;
      if (!(width > 0 && height > 0 && rgba.length === width * height * 4))
        throw new RangeError(`an image of ${width} × ${height} needs ${width * height * 4} bytes, got ${rgba.length}`);
      const ink = kind === 'drawing' ? inkFromDrawing(rgba, width, height) : inkFromPhoto(rgba, width, height);
      const centred = centreLikeMnist(ink, width, height);
      return centred && { image: centred, prediction: predictInput(centred) };
    },

    async confusion(): Promise<Uint32Array> {
      const counts = new Uint32Array(100);
      const read = readingsOfTest();
      if (!read) return counts;
      const labels = datasetOf('test').labels;
      for (let i = 0; i < read.length; i++) counts[labels[i] * 10 + read[i]]++;
      return counts;
    },

    async digitsWhere(label: number, predicted: number): Promise<Uint32Array> {
      const read = readingsOfTest();
      if (!read) return new Uint32Array(0);
      const labels = datasetOf('test').labels;
      const found: number[] = [];
      for (let i = 0; i < read.length; i++) if (labels[i] === label && read[i] === predicted) found.push(i);
      return Uint32Array.from(found);
    },

    async importModel(file: Blob | string, onProgress?: (p: ImportProgress) => void): Promise<ImportedModel> {
      const text = typeof file === 'string' ? file : await readText(file, (fraction) => onProgress?.({ phase: 'read', fraction }));
      onProgress?.({ phase: 'check', fraction: 0 });
      const parsed = parseNetwork2Json(text);
      const net = Network.fromParameters(parsed.sizes, parsed.weights, parsed.biases, { cost: parsed.cost });
      // The fast path, a slice at a time: a network of 5 × 2,000 hidden neurons takes a while, and the
      // page shows how far it is.
      const test = datasetOf('test');
      const fast = trainerFor(net, 1);
      let correct = 0;
      for (let start = 0; start < test.count; start += MEASURE_SLICE) {
        const end = Math.min(start + MEASURE_SLICE, test.count);
        correct += fast.evaluate(sliceDataset(test, start, end));
        onProgress?.({ phase: 'measure', fraction: end / test.count });
      }
      return { model: parametersOf(net), correct, total: test.count };
    },

    async exportModel(parameters: ModelParameters): Promise<string> {
      return JSON.stringify(toNetwork2Json(parameters));
    },

    async misclassified(set: DataSetName): Promise<Uint32Array> {
      const dataset = datasetOf(set);
      if (!model) return new Uint32Array(0);
      const read = set === 'test' ? readingsOfTest()! : trainerFor(model, 1).classify(dataset);
      const wrong: number[] = [];
      for (let i = 0; i < read.length; i++) if (read[i] !== dataset.labels[i]) wrong.push(i);
      return Uint32Array.from(wrong);
    },
  };
}
