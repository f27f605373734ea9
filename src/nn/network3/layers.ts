/**
 * Chapter 6's networks (the book's network3.py): a stack of `ConvPoolLayer`, `FullyConnectedLayer` and a
 * final `SoftmaxLayer`, described here as plain data, with their shapes and network3.py's starting weights.
 * Beside the book's Network of chapters 1–3, never inside it. Pure.
 *
 * Layouts (row-major Float32Arrays):
 * - a conv-pool layer's weights are [filter][input channel][row][column] (Theano's filter_shape), its biases one per filter;
 * - a fully connected or softmax layer's weights are [output][input] (network.py's w_jk; network3.py stores the transpose),
 *   its biases one per output neuron.
 */
import type { Rng } from '../rng';

export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['sigmoid', 'tanh', 'relu', 'linear'];

/** ConvPoolLayer: `filters` local receptive fields of filterSize × filterSize, then max-pooling poolSize × poolSize. */
export interface ConvPoolSpec {
  kind: 'conv-pool';
  filters: number;
  filterSize: number;
  poolSize: number;
  activation: Activation;
}

/** FullyConnectedLayer: every input to each of `neurons`, with dropout of its inputs while training. */
export interface FullyConnectedSpec {
  kind: 'fully-connected';
  neurons: number;
  activation: Activation;
  /** The share of its inputs dropped in each training example (network3.py's p_dropout). */
  dropout: number;
}

/** SoftmaxLayer: the output, read with the log-likelihood cost. */
export interface SoftmaxSpec {
  kind: 'softmax';
  neurons: number;
  dropout: number;
}

export type LayerSpec = ConvPoolSpec | FullyConnectedSpec | SoftmaxSpec;

/** What flows between layers: channels of height × width (a fully connected layer's output is n × 1 × 1). */
export interface Shape {
  channels: number;
  height: number;
  width: number;
}

export const MNIST_SHAPE: Shape = { channels: 1, height: 28, width: 28 };

export const sizeOf = (shape: Shape): number => shape.channels * shape.height * shape.width;

/** One layer's parameters (layouts above). */
export interface LayerParameters {
  w: Float32Array;
  b: Float32Array;
}

/** A chapter 6 network: its input's shape, its layers and their parameters. */
export interface Network3Parameters {
  input: Shape;
  layers: LayerSpec[];
  parameters: LayerParameters[];
}

/** The same in any precision: the oracle also runs on float64 copies (finite differences need them). */
export interface Network3Like {
  input: Shape;
  layers: readonly LayerSpec[];
  parameters: { w: Float32Array | Float64Array; b: Float32Array | Float64Array }[];
}

/**
 * The shape each layer gives (the input's first): a conv-pool layer's valid convolution leaves
 * (n − filterSize + 1), which the pool divides (network3.py's ignore_border: a remainder is dropped).
 * Throws when the layers do not fit together.
 */
export function shapesOf(input: Shape, layers: readonly LayerSpec[]): Shape[] {
  const shapes = [input];
  layers.forEach((layer, i) => {
    const before = shapes[i];
    const at = `layer ${i + 1} (${layer.kind})`;
    if (layer.kind === 'conv-pool') {
      if (before.height === 1 && before.width === 1 && i > 0 && layers[i - 1].kind !== 'conv-pool') {
        throw new RangeError(`${at} follows a fully connected layer: convolutions need an image`);
      }
      const convolved = [before.height, before.width].map((n) => n - layer.filterSize + 1);
      if (layer.filterSize < 1 || layer.poolSize < 1 || convolved.some((n) => n < layer.poolSize)) {
        throw new RangeError(
          `${at}: ${layer.filterSize} × ${layer.filterSize} filters and ${layer.poolSize} × ${layer.poolSize} pools do not fit a ${before.height} × ${before.width} input`,
        );
      }
      shapes.push({
        channels: layer.filters,
        height: Math.floor(convolved[0] / layer.poolSize),
        width: Math.floor(convolved[1] / layer.poolSize),
      });
    } else {
      if (layer.neurons < 1) throw new RangeError(`${at} has no neurons`);
      if (!(layer.dropout >= 0 && layer.dropout < 1)) throw new RangeError(`${at}: dropout ${layer.dropout} is not in [0, 1)`);
      shapes.push({ channels: layer.neurons, height: 1, width: 1 });
    }
  });
  const last = layers.at(-1);
  if (!last || last.kind !== 'softmax') throw new RangeError('a chapter 6 network ends in a softmax layer');
  if (layers.slice(0, -1).some((layer) => layer.kind === 'softmax')) throw new RangeError('only the last layer is a softmax layer');
  return shapes;
}

/** How many weights layer `layer` has, from the shape before it. */
export function weightCount(layer: LayerSpec, before: Shape): number {
  return layer.kind === 'conv-pool' ? layer.filters * before.channels * layer.filterSize ** 2 : layer.neurons * sizeOf(before);
}

/** How many weights and biases each layer has (throws, as shapesOf does, when the layers do not fit together). */
export function parameterLengths(input: Shape, layers: readonly LayerSpec[]): { w: number; b: number }[] {
  const shapes = shapesOf(input, layers);
  return layers.map((layer, i) => ({ w: weightCount(layer, shapes[i]), b: layer.kind === 'conv-pool' ? layer.filters : layer.neurons }));
}

/** Whether two lists of layers are the same network (kinds, sizes, activations and dropout). */
export function sameLayers(a: readonly LayerSpec[], b: readonly LayerSpec[]): boolean {
  const key = (layers: readonly LayerSpec[]) => JSON.stringify(layers.map((layer) => Object.entries(layer).sort()));
  return a.length === b.length && key(a) === key(b);
}

/**
 * network3.py's starting parameters, drawn from `rng` layer by layer (weights, then biases):
 * - ConvPoolLayer: w ~ N(0, 1/n_out) with n_out = filters × filterSize² / poolSize², b ~ N(0, 1);
 * - FullyConnectedLayer: w ~ N(0, 1/neurons), b ~ N(0, 1);
 * - SoftmaxLayer: all zero.
 */
export function initialParameters(input: Shape, layers: readonly LayerSpec[], rng: Rng): LayerParameters[] {
  const shapes = shapesOf(input, layers);
  return layers.map((layer, i) => {
    const w = new Float32Array(weightCount(layer, shapes[i]));
    const b = new Float32Array(layer.kind === 'conv-pool' ? layer.filters : layer.neurons);
    if (layer.kind === 'softmax') return { w, b };
    const nOut = layer.kind === 'conv-pool' ? (layer.filters * layer.filterSize ** 2) / layer.poolSize ** 2 : layer.neurons;
    const sd = Math.sqrt(1 / nOut);
    for (let k = 0; k < w.length; k++) w[k] = rng.gaussian() * sd;
    for (let k = 0; k < b.length; k++) b[k] = rng.gaussian();
    return { w, b };
  });
}

/** σ, tanh, ReLU (max(0, z)) or z, and the derivative of each as a function of its output a (all four allow it). */
export function activate(fn: Activation, z: number): number {
  switch (fn) {
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'linear':
      return z;
  }
}

/** da/dz from a = f(z): σ′ = a(1 − a), tanh′ = 1 − a², ReLU′ = 1 where a > 0 and 0 where z ≤ 0. */
export function derivativeFromOutput(fn: Activation, a: number): number {
  switch (fn) {
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'relu':
      return a > 0 ? 1 : 0;
    case 'linear':
      return 1;
  }
}
