/**
 * An inspecting worker's job: one network to look at (the selected run's) over MNIST — a digit of any
 * set with its reading, a drawing or photo read, the test set's confusion matrix and misread digits — and
 * model files read in and written out. A plain object with its data source injected, so Node tests call
 * it directly; inspecting.worker.ts exposes it with Comlink.
 */
import { sliceDataset } from '../nn/dataset';
import { DIGITS, INPUTS, PIXEL_SCALE } from '../nn/mnist-shape';
import { argmax, readInput } from '../nn/math';
import { Network } from '../nn/network';
import { trainerFor } from '../nn/kernels';
import type { Dataset, Trainer } from '../nn/types';
import type { WeightInit } from '../nn/config';
import { centreLikeMnist, inkFromDrawing, inkFromPhoto } from '../data/preprocess';
import { parseNetwork2Json, toNetwork2Json } from '../nn/model-io';
import { holdMnist, type MnistSource } from './mnist-holder';
import { isConvolutional, type AnyModel } from '../nn/any-model';
import { Network3 } from '../nn/network3/network3';
import type { Network3Wasm } from '../nn/network3/network3-wasm';
import { sameLayers } from '../nn/network3/layers';
import { network3Trainer, type Network3Trainer } from '../nn/network3/sgd3';
import { parseNetwork3Json, toNetwork3Json, NETWORK3_FORMAT } from '../nn/network3/model-io3';
import { ensembleCorrect } from '../nn/network3/ensemble';
import type {
  DataSetName,
  Digit,
  EnsembleResult,
  ImportedModel,
  ImagePixels,
  ImportProgress,
  InspectingApi,
  Prediction,
  Reading,
} from './protocol';

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

/**
 * A model file's text as a network, its numbers checked, measured on the `test` digits with the fast path
 * a slice at a time (a network of 5 × 2,000 hidden neurons takes a while, and the page shows how far it is).
 */
function checkAndMeasure(text: string, test: Dataset, onProgress?: (p: ImportProgress) => void): ImportedModel {
  onProgress?.({ phase: 'check', fraction: 0 });
  const readings = new Uint8Array(test.count);
  let correct = 0;
  let model: AnyModel;
  let measureSlice: (data: Dataset, into: Uint8Array) => number;
  if (isNetwork3Text(text)) {
    const parsed = parseNetwork3Json(text);
    const fast = network3Trainer(new Network3(parsed.layers, { input: parsed.input, parameters: parsed.parameters }), 1);
    model = parsed;
    measureSlice = (data, into) => fast.evaluate(data, into);
  } else {
    const parsed = parseNetwork2Json(text);
    const net = Network.fromParameters(parsed.sizes, parsed.weights, parsed.biases, { cost: parsed.cost });
    const fast = trainerFor(net, 1);
    model = net.parameters();
    measureSlice = (data, into) => fast.measure(data, into).correct;
  }
  for (let start = 0; start < test.count; start += MEASURE_SLICE) {
    const end = Math.min(start + MEASURE_SLICE, test.count);
    correct += measureSlice(sliceDataset(test, start, end), readings.subarray(start, end));
    onProgress?.({ phase: 'measure', fraction: end / test.count });
  }
  return { model, correct, total: test.count, testReadings: readings };
}

/** Whether a model file's text says it is a chapter 6 network (its "format"); a file that is no JSON is left to network2.py's reader to say so. */
function isNetwork3Text(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === NETWORK3_FORMAT;
  } catch {
    return false;
  }
}

/** One digit's ten outputs from `model`, on its kind's fast path for one digit at a time. */
function outputsReader(model: AnyModel): (x: Float32Array) => Float32Array {
  if (isConvolutional(model)) {
    const fast = network3Trainer(new Network3(model.layers, { input: model.input, parameters: model.parameters }), 1);
    return (x) => fast.feedforward(x);
  }
  const net = Network.fromParameters(model.sizes, model.weights, model.biases, { cost: model.cost });
  return (x) => net.feedforward(x);
}

/** Indices where `readings` and `labels` disagree. */
function misread(readings: Uint8Array, labels: Uint8Array): Uint32Array {
  const wrong: number[] = [];
  for (let i = 0; i < readings.length; i++) if (readings[i] !== labels[i]) wrong.push(i);
  return Uint32Array.from(wrong);
}

/**
 * The network an inspecting worker looks with. Models of the shape it holds (every epoch of the selected
 * run) are copied into place, so its fast path — one WebAssembly instance with the test set in its memory —
 * is built once per shape, on first need, and never for a model whose test readings came with it. A chapter 6
 * network is held as a Network3 with its own fast path (nn/network3).
 */
class Lens {
  private network: Network | null = null;
  private fast: Trainer | null = null;
  private convolutional: Network3 | null = null;
  private convolutionalFast: Network3Trainer | null = null;
  private readings: Uint8Array | null = null;

  take(parameters: AnyModel | null, testReadings: Uint8Array | null): void {
    this.readings = testReadings;
    const net = this.network;
    if (parameters && isConvolutional(parameters)) {
      this.network = this.fast = null;
      const held = this.convolutional;
      if (held && sameLayers(held.layers, parameters.layers)) {
        parameters.parameters.forEach(({ w, b }, i) => (held.parameters[i].w.set(w), held.parameters[i].b.set(b)));
        (this.convolutionalFast as Network3Wasm | null)?.syncFromNetwork?.();
      } else {
        this.convolutional = new Network3(parameters.layers, { input: parameters.input, parameters: parameters.parameters });
        this.convolutionalFast = null;
      }
      return;
    }
    this.convolutional = this.convolutionalFast = null;
    if (!parameters) {
      this.network = this.fast = null;
    } else if (net && net.cost === parameters.cost && net.sizes.join('-') === parameters.sizes.join('-')) {
      net.weights.forEach((w, l) => w.set(parameters.weights[l]));
      net.biases.forEach((b, l) => b.set(parameters.biases[l]));
      this.fast?.syncFromNetwork();
    } else {
      this.network = Network.fromParameters(parameters.sizes, parameters.weights, parameters.biases, { cost: parameters.cost });
      this.fast = null;
    }
  }

  /** The chapter 6 network's fast path, built on first need. */
  private convolutionalPath(): Network3Trainer | null {
    if (!this.convolutional) return null;
    this.convolutionalFast ??= network3Trainer(this.convolutional, 1);
    return this.convolutionalFast;
  }

  /** The network's reading of one 784-value input; null without a network. */
  predict(x: Float32Array): Prediction | null {
    const convolutional = this.convolutionalPath();
    const activations = convolutional ? convolutional.feedforward(x).slice() : this.network?.feedforward(x);
    return activations ? { activations, digit: argmax(activations) } : null;
  }

  /** What the network reads for every example of `data`; null without a network. */
  classify(data: Dataset): Uint8Array | null {
    const convolutional = this.convolutionalPath();
    if (convolutional) {
      const readings = new Uint8Array(data.count);
      convolutional.evaluate(data, readings);
      return readings;
    }
    if (!this.network) return null;
    this.fast ??= trainerFor(this.network, 1);
    return this.fast.classify(data);
  }

  /** What the network reads for every test digit: as sent, or read once. */
  testReadings(test: Dataset): Uint8Array | null {
    this.readings ??= this.classify(test);
    return this.readings;
  }
}

/** An inspecting worker over MNIST from `source`. */
export function createInspecting(source: MnistSource): InspectingApi {
  const mnist = holdMnist(source);
  const lens = new Lens();
  const input = new Float32Array(INPUTS);
  const testReadings = () => lens.testReadings(mnist.dataset('test'));

  return {
    load: mnist.load,
    shareData: mnist.shareData,

    setModel(parameters: AnyModel | null, readings: Uint8Array | null = null): void {
      if (readings && readings.length !== mnist.dataset('test').count) {
        throw new RangeError(`${readings.length} test readings for ${mnist.dataset('test').count} test digits`);
      }
      lens.take(parameters, readings);
    },

    async sample(set: DataSetName, index: number): Promise<Digit> {
      const dataset = mnist.dataset(set);
      if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
        throw new RangeError(`there is no digit ${index} in the ${set} set (0–${dataset.count - 1})`);
      }
      readInput(dataset, index, input);
      const pixels = new Uint8Array(INPUTS);
      for (let p = 0; p < INPUTS; p++) pixels[p] = Math.round(input[p] / PIXEL_SCALE);
      return { set, index, pixels, label: dataset.labels[index], prediction: lens.predict(input) };
    },

    async read(image: ImagePixels, kind: 'drawing' | 'photo'): Promise<Reading | null> {
      const { data: rgba, width, height } = image;
      if (!(width > 0 && height > 0 && rgba.length === width * height * 4))
        throw new RangeError(`an image of ${width} × ${height} needs ${width * height * 4} bytes, got ${rgba.length}`);
      const ink = kind === 'drawing' ? inkFromDrawing(rgba, width, height) : inkFromPhoto(rgba, width, height);
      const centred = centreLikeMnist(ink, width, height);
      return centred && { image: centred, prediction: lens.predict(centred) };
    },

    async confusion(): Promise<Uint32Array> {
      const counts = new Uint32Array(DIGITS * DIGITS);
      const read = testReadings();
      if (!read) return counts;
      const labels = mnist.dataset('test').labels;
      for (let i = 0; i < read.length; i++) counts[labels[i] * DIGITS + read[i]]++;
      return counts;
    },

    async digitsWhere(label: number, predicted: number): Promise<Uint32Array> {
      const read = testReadings();
      if (!read) return new Uint32Array(0);
      const labels = mnist.dataset('test').labels;
      const found: number[] = [];
      for (let i = 0; i < read.length; i++) if (labels[i] === label && read[i] === predicted) found.push(i);
      return Uint32Array.from(found);
    },

    async misclassified(set: DataSetName): Promise<Uint32Array> {
      const dataset = mnist.dataset(set);
      const read = set === 'test' ? testReadings() : lens.classify(dataset);
      return read ? misread(read, dataset.labels) : new Uint32Array(0);
    },

    async importModel(file: Blob | string, onProgress?: (p: ImportProgress) => void): Promise<ImportedModel> {
      const text = typeof file === 'string' ? file : await readText(file, (fraction) => onProgress?.({ phase: 'read', fraction }));
      return checkAndMeasure(text, mnist.dataset('test'), onProgress);
    },

    async exportModel(parameters: AnyModel): Promise<string> {
      return JSON.stringify(isConvolutional(parameters) ? toNetwork3Json(parameters) : toNetwork2Json(parameters));
    },

    async ensemble(models: AnyModel[], onProgress?: (fraction: number) => void): Promise<EnsembleResult> {
      if (models.length < 2) throw new RangeError('an ensemble needs two networks or more');
      const test = mnist.dataset('test');
      const outputs = models.map(() => new Float32Array(test.count * DIGITS));
      const alone = models.map((model, n) => {
        const readOne = outputsReader(model);
        let right = 0;
        for (let i = 0; i < test.count; i++) {
          readInput(test, i, input);
          const out = readOne(input);
          outputs[n].set(out, i * DIGITS);
          if (argmax(out) === test.labels[i]) right++;
          if (i % 1000 === 999) onProgress?.((n + (i + 1) / test.count) / models.length);
        }
        return right;
      });
      const correct = ensembleCorrect(models.length, test.count, test.labels, (n, i) => outputs[n].subarray(i * DIGITS, (i + 1) * DIGITS));
      return { correct, total: test.count, alone };
    },

    async startingWeights(sizes: readonly number[], seed: number, init: WeightInit): Promise<Float32Array> {
      return new Network(sizes, { seed, init }).weights[0];
    },
  };
}
