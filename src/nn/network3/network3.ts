/**
 * Chapter 6's network (network3.py's `Network`): conv-pool, fully connected and softmax layers trained by
 * mini-batch SGD on the log-likelihood cost with L2 and dropout, on Float32Arrays with every buffer made
 * once. Held to the oracle (reference.ts) in tests.
 *
 * Where it saves work over the definition: a convolution reads each receptive field as one contiguous
 * patch (im2col), so each output is one dot product; and backprop through a max-pool reaches only the
 * pools' maxima, so the backward pass touches a quarter of the convolved positions (2 × 2 pools) and
 * needs no patches.
 */
import { Rng } from '../rng';
import { argmax, readInput } from '../math';
import type { Dataset } from '../types';
import {
  activate,
  derivativeFromOutput,
  initialParameters,
  parameterLengths,
  MNIST_SHAPE,
  shapesOf,
  sizeOf,
  type LayerParameters,
  type LayerSpec,
  type Network3Parameters,
  type Shape,
} from './layers';
import type { DropoutMasks } from './reference';

/** One layer's buffers for one example of a mini-batch. */
interface ExampleBuffers {
  /** The layer's output a. */
  a: Float32Array;
  /** Conv-pool: the receptive fields as rows (position-major patches of C·k² values). */
  patches: Float32Array;
  /** Conv-pool: the convolved values (before the pool). */
  convolved: Float32Array;
  /** Conv-pool: per pooled output, the index of its maximum in `convolved`. */
  maxAt: Int32Array;
  /** Fully connected and softmax: the input as the layer saw it (masked, or scaled by 1 − p). */
  seen: Float32Array;
  /** Fully connected and softmax: which inputs were kept (1) in this example. */
  mask: Uint8Array;
}

export class Network3 {
  readonly input: Shape;
  readonly layers: LayerSpec[];
  /** The shape of each layer's output, the input's first. */
  readonly shapes: Shape[];
  readonly parameters: LayerParameters[];
  readonly rng: Rng;
  /** Per example of the largest mini-batch so far, per layer: its buffers. */
  private buffers: ExampleBuffers[][] = [];
  private readonly nablaW: Float32Array[];
  private readonly nablaB: Float32Array[];
  /** ∂C/∂z and ∂C/∂a scratch, as long as the largest layer. */
  private readonly delta: Float32Array;
  private readonly below: Float32Array;

  constructor(layers: LayerSpec[], options: { seed?: number; input?: Shape; parameters?: LayerParameters[] } = {}) {
    this.input = options.input ?? MNIST_SHAPE;
    this.layers = layers.map((layer) => ({ ...layer }));
    this.shapes = shapesOf(this.input, this.layers);
    this.rng = new Rng(options.seed ?? 0);
    // Given parameters and no seed (a network to read with), no starting weights are drawn: the generator
    // is not used, and drawing a large network's (1.6 million weights) would cost a tenth of a second.
    const start = options.parameters && options.seed === undefined ? null : initialParameters(this.input, this.layers, this.rng);
    const lengths = start?.map(({ w, b }) => ({ w: w.length, b: b.length })) ?? parameterLengths(this.input, this.layers);
    this.parameters = options.parameters
      ? options.parameters.map(({ w, b }, i) => {
          if (w.length !== lengths[i].w || b.length !== lengths[i].b) {
            throw new RangeError(
              `layer ${i + 1} has ${w.length} weights and ${b.length} biases; its shape needs ${lengths[i].w} and ${lengths[i].b}`,
            );
          }
          return { w: Float32Array.from(w), b: Float32Array.from(b) };
        })
      : start!;
    this.nablaW = this.parameters.map(({ w }) => new Float32Array(w.length));
    this.nablaB = this.parameters.map(({ b }) => new Float32Array(b.length));
    const largest = Math.max(...this.shapes.map(sizeOf));
    this.delta = new Float32Array(largest);
    this.below = new Float32Array(largest);
  }

  /** The network as plain data (copies). */
  toParameters(): Network3Parameters {
    return {
      input: { ...this.input },
      layers: this.layers.map((layer) => ({ ...layer })),
      parameters: this.parameters.map(({ w, b }) => ({ w: w.slice(), b: b.slice() })),
    };
  }

  private buffersFor(example: number): ExampleBuffers[] {
    while (this.buffers.length <= example) {
      this.buffers.push(
        this.layers.map((layer, i) => {
          const before = this.shapes[i];
          const after = this.shapes[i + 1];
          const conv = layer.kind === 'conv-pool';
          const positions = conv ? (before.height - layer.filterSize + 1) * (before.width - layer.filterSize + 1) : 0;
          return {
            a: new Float32Array(sizeOf(after)),
            patches: new Float32Array(conv ? positions * before.channels * layer.filterSize ** 2 : 0),
            convolved: new Float32Array(conv ? positions * layer.filters : 0),
            maxAt: new Int32Array(conv ? sizeOf(after) : 0),
            seen: new Float32Array(conv ? 0 : sizeOf(before)),
            mask: new Uint8Array(conv ? 0 : sizeOf(before)),
          };
        }),
      );
    }
    return this.buffers[example];
  }

  /**
   * One example through the network into buffers `example`: with dropout masks drawn (`training`, from
   * `masks` when given, else from the network's generator) or scaled by 1 − p (evaluating). Returns the output.
   */
  private forward(x: Float32Array, example: number, training: boolean, masks?: DropoutMasks): Float32Array {
    const buffers = this.buffersFor(example);
    let aIn = x;
    this.layers.forEach((layer, i) => {
      const buf = buffers[i];
      const { w, b } = this.parameters[i];
      const before = this.shapes[i];
      const after = this.shapes[i + 1];
      if (layer.kind === 'conv-pool') {
        convolvePool(aIn, before, after, layer.filterSize, layer.poolSize, w, b, buf);
        const out = buf.a;
        for (let o = 0; o < out.length; o++) out[o] = activate(layer.activation, out[o]);
      } else {
        const n = aIn.length;
        const seen = buf.seen;
        if (layer.dropout === 0) seen.set(aIn);
        else if (training) {
          const given = masks?.[i];
          for (let k = 0; k < n; k++) {
            buf.mask[k] = given ? given[k] : this.rng.random() < layer.dropout ? 0 : 1;
            seen[k] = buf.mask[k] ? aIn[k] : 0;
          }
        } else for (let k = 0; k < n; k++) seen[k] = aIn[k] * (1 - layer.dropout);
        const out = buf.a;
        for (let j = 0; j < layer.neurons; j++) {
          let z = b[j];
          const row = j * n;
          for (let k = 0; k < n; k++) z += w[row + k] * seen[k];
          out[j] = z;
        }
        if (layer.kind === 'softmax') softmaxInPlace(out);
        else for (let j = 0; j < out.length; j++) out[j] = activate(layer.activation, out[j]);
      }
      aIn = buf.a;
    });
    return aIn;
  }

  /** Backprop of example `example` (after its forward pass), adding its ∂C/∂w and ∂C/∂b to the sums. */
  private backward(x: Float32Array, label: number, example: number): void {
    const buffers = this.buffers[example];
    const L = this.layers.length;
    const delta = this.delta;
    const below = this.below;
    // The softmax layer with the log-likelihood cost: δ = a − y.
    const out = buffers[L - 1].a;
    for (let j = 0; j < out.length; j++) delta[j] = out[j] - (j === label ? 1 : 0);
    for (let i = L - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const buf = buffers[i];
      const { w } = this.parameters[i];
      const nablaW = this.nablaW[i];
      const nablaB = this.nablaB[i];
      const before = this.shapes[i];
      const aIn = i === 0 ? x : buffers[i - 1].a;
      const wantBelow = i > 0;
      const inputs = sizeOf(before);
      if (wantBelow) below.fill(0, 0, inputs);
      if (layer.kind === 'conv-pool') {
        backwardConvPool(delta, aIn, before, this.shapes[i + 1], layer.filterSize, w, buf.maxAt, nablaW, nablaB, wantBelow ? below : null);
      } else {
        const seen = buf.seen;
        for (let j = 0; j < layer.neurons; j++) {
          const d = delta[j];
          nablaB[j] += d;
          if (d === 0) continue;
          const row = j * inputs;
          for (let k = 0; k < inputs; k++) nablaW[row + k] += d * seen[k];
          if (wantBelow) for (let k = 0; k < inputs; k++) below[k] += w[row + k] * d;
        }
        // What each input was multiplied by on the way in.
        if (wantBelow && layer.dropout > 0) {
          const mask = buf.mask;
          for (let k = 0; k < inputs; k++) below[k] *= this.trainingPass ? mask[k] : 1 - layer.dropout;
        }
      }
      if (!wantBelow) break;
      // Through the activation of the layer below: δ = ∂C/∂a ⊙ f′(z), from its output a.
      const fn = this.layers[i - 1];
      const activation = fn.kind === 'softmax' ? 'linear' : fn.activation;
      const aBelow = buffers[i - 1].a;
      for (let k = 0; k < inputs; k++) delta[k] = below[k] * derivativeFromOutput(activation, aBelow[k]);
    }
  }

  /** Whether the passes under way are training passes (dropout masked) or evaluating ones (scaled). */
  private trainingPass = true;

  /** ∂C/∂w and ∂C/∂b of one example as the sums hold them after it alone (for tests against the oracle). */
  gradientOf(x: Float32Array, label: number, masks?: DropoutMasks): { nablaW: Float32Array[]; nablaB: Float32Array[] } {
    this.nablaW.forEach((g) => g.fill(0));
    this.nablaB.forEach((g) => g.fill(0));
    this.trainingPass = masks !== undefined;
    this.forward(x, 0, this.trainingPass, masks);
    this.backward(x, label, 0);
    this.trainingPass = true;
    return { nablaW: this.nablaW.map((g) => g.slice()), nablaB: this.nablaB.map((g) => g.slice()) };
  }

  /**
   * network3.py's step for one mini-batch of `inputs` (m × inputSize) and `labels`: w ← w − η (mean ∂C/∂w
   * + λ w / numTrainingBatches), b ← b − η mean ∂C/∂b. Dropout masks from `masks` (tests) or the generator.
   */
  updateMiniBatch(
    inputs: Float32Array,
    labels: ArrayLike<number>,
    eta: number,
    lambda: number,
    numTrainingBatches: number,
    masks?: DropoutMasks[],
  ): void {
    const m = labels.length;
    const size = sizeOf(this.input);
    this.nablaW.forEach((g) => g.fill(0));
    this.nablaB.forEach((g) => g.fill(0));
    this.trainingPass = true;
    for (let e = 0; e < m; e++) {
      const x = inputs.subarray(e * size, (e + 1) * size);
      this.forward(x, e, true, masks?.[e]);
      this.backward(x, labels[e], e);
    }
    const decay = 1 - (eta * lambda) / numTrainingBatches;
    this.parameters.forEach(({ w, b }, i) => {
      const nablaW = this.nablaW[i];
      const nablaB = this.nablaB[i];
      for (let k = 0; k < w.length; k++) w[k] = decay * w[k] - (eta / m) * nablaW[k];
      for (let k = 0; k < b.length; k++) b[k] -= (eta / m) * nablaB[k];
    });
  }

  /**
   * What every layer gives for one input, evaluating (copies): the input's shape first, then each layer's
   * output in its shape (a conv-pool layer's feature maps, [channel][row][column]), the ten outputs last.
   */
  layerOutputs(x: Float32Array): Float32Array[] {
    this.forward(x, 0, false);
    return [x.slice(), ...this.buffers[0].map((buf) => buf.a.slice())];
  }

  /** The ten outputs for one input (evaluating: dropout layers scaled by 1 − p). */
  feedforward(x: Float32Array): Float32Array {
    return this.forward(x, 0, false).slice();
  }

  /** How many of `data`'s examples the network reads right (network3.py's accuracy, as a count). */
  evaluate(data: Dataset, readings?: Uint8Array): number {
    return countRight(data, (x) => this.forward(x, 0, false), readings);
  }
}

/**
 * How many of `data`'s digits are read right, reading each input with `outputsOf` (the digit read is the
 * largest output, numpy's argmax); each reading into `readings` when given. Both fast paths count so.
 */
export function countRight(data: Dataset, outputsOf: (x: Float32Array) => Float32Array, readings?: Uint8Array): number {
  const x = new Float32Array(data.inputSize);
  let correct = 0;
  for (let i = 0; i < data.count; i++) {
    const best = argmax(outputsOf(readInput(data, i, x)));
    if (readings) readings[i] = best;
    if (best === data.labels[i]) correct++;
  }
  return correct;
}

/** softmax(z) in place, from z − max z so no exponential overflows. */
export function softmaxInPlace(z: Float32Array): void {
  let top = -Infinity;
  for (let j = 0; j < z.length; j++) if (z[j] > top) top = z[j];
  let sum = 0;
  for (let j = 0; j < z.length; j++) {
    z[j] = Math.exp(z[j] - top);
    sum += z[j];
  }
  for (let j = 0; j < z.length; j++) z[j] /= sum;
}

/**
 * A conv-pool layer's z for one example into `buf.a` (the activation is applied by the caller): the patches
 * (im2col), each filter's dot product with each patch, then each pool's maximum (where it was kept in
 * `buf.maxAt`) plus the filter's bias.
 */
function convolvePool(
  aIn: Float32Array,
  before: Shape,
  after: Shape,
  k: number,
  pool: number,
  w: Float32Array,
  b: Float32Array,
  buf: ExampleBuffers,
): void {
  const { channels, height, width } = before;
  const ch = height - k + 1;
  const cw = width - k + 1;
  const patchSize = channels * k * k;
  const patches = buf.patches;
  // Patch p = (r, c) holds a[chan][r + l][c + m] at (chan·k + l)·k + m: the filter's own layout.
  for (let r = 0; r < ch; r++) {
    for (let c = 0; c < cw; c++) {
      let at = (r * cw + c) * patchSize;
      for (let chan = 0; chan < channels; chan++) {
        for (let l = 0; l < k; l++) {
          const row = (chan * height + r + l) * width + c;
          for (let m = 0; m < k; m++) patches[at++] = aIn[row + m];
        }
      }
    }
  }
  const filters = after.channels;
  const convolved = buf.convolved;
  const positions = ch * cw;
  for (let f = 0; f < filters; f++) {
    const filter = f * patchSize;
    for (let p = 0; p < positions; p++) {
      const patch = p * patchSize;
      let s = 0;
      for (let q = 0; q < patchSize; q++) s += w[filter + q] * patches[patch + q];
      convolved[f * positions + p] = s;
    }
  }
  const out = buf.a;
  const maxAt = buf.maxAt;
  for (let f = 0; f < filters; f++) {
    for (let r = 0; r < after.height; r++) {
      for (let c = 0; c < after.width; c++) {
        let bestAt = f * positions + r * pool * cw + c * pool;
        for (let l = 0; l < pool; l++) {
          for (let m = 0; m < pool; m++) {
            const at = f * positions + (r * pool + l) * cw + c * pool + m;
            if (convolved[at] > convolved[bestAt]) bestAt = at;
          }
        }
        const o = (f * after.height + r) * after.width + c;
        maxAt[o] = bestAt;
        out[o] = convolved[bestAt] + b[f];
      }
    }
  }
}

/**
 * Backprop through a conv-pool layer for one example, from δ of its pooled z: each pool's δ reaches only
 * its maximum's receptive field, adding δ·a to the filter's weights and (when `below` is asked for) δ·w to
 * ∂C/∂a of the field's inputs.
 */
function backwardConvPool(
  delta: Float32Array,
  aIn: Float32Array,
  before: Shape,
  after: Shape,
  k: number,
  w: Float32Array,
  maxAt: Int32Array,
  nablaW: Float32Array,
  nablaB: Float32Array,
  below: Float32Array | null,
): void {
  const { channels, height, width } = before;
  const ch = height - k + 1;
  const cw = width - k + 1;
  const positions = ch * cw;
  const patchSize = channels * k * k;
  const perFilter = after.height * after.width;
  for (let o = 0; o < maxAt.length; o++) {
    const d = delta[o];
    const f = Math.floor(o / perFilter);
    nablaB[f] += d;
    if (d === 0) continue;
    const p = maxAt[o] - f * positions;
    const r = Math.floor(p / cw);
    const c = p - r * cw;
    let q = f * patchSize;
    for (let chan = 0; chan < channels; chan++) {
      for (let l = 0; l < k; l++) {
        const row = (chan * height + r + l) * width + c;
        for (let m = 0; m < k; m++, q++) {
          nablaW[q] += d * aIn[row + m];
          if (below) below[row + m] += d * w[q];
        }
      }
    }
  }
}
