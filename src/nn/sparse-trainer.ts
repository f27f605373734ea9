/**
 * The TypeScript fast path of network.py's update_mini_batch: the same algorithm and the same update as
 * the book, laid out for speed. The first layer skips zero inputs and keeps its weights transposed, so
 * that one non-zero pixel touches one contiguous column, and a mini-batch needs no gradient buffers.
 * Pure: no DOM, no worker, no I/O; nothing is allocated per example.
 */
import type { Network } from './network';
import type { Dataset, Trainer } from './types';
import { exampleCost } from './cost';
import { argmax, sigmoid } from './math';
import { EXAMPLE_MASK, SHIFT_SHIFT, shiftPixel } from './dataset';

/**
 * Trains a Network in place. It owns a transposed copy of the first layer's weights, `w1T` (sizes[0] ×
 * sizes[1], row p = the weights leaving input p); every other parameter is the Network's own array.
 * Call {@link syncToNetwork} to write the first layer back into `network.weights[0]`.
 */
export class SparseTrainer implements Trainer {
  readonly network: Network;
  private readonly sizes: readonly number[];
  private readonly layers: number;
  private readonly w1T: Float32Array;
  /** activations[l]: the activations of layer l for each example slot of a batch (l ≥ 1). */
  private readonly activations: Float32Array[];
  /** deltas[l]: δ of layer l for each example slot (l ≥ 1). */
  private readonly deltas: Float32Array[];
  private readonly sums: Float64Array;
  private readonly maxBatch: number;
  /** The side of a square input (28 for MNIST), for the shifted examples of an expanded order; 0 if not square. */
  private readonly side: number;

  constructor(network: Network, maxBatch: number) {
    this.network = network;
    this.sizes = network.sizes;
    this.layers = network.numLayers - 1;
    this.maxBatch = Math.max(1, maxBatch);
    const [n0, n1] = this.sizes;
    this.w1T = new Float32Array(n0 * n1);
    this.syncFromNetwork();
    this.activations = this.sizes.map((n, l) => new Float32Array(l === 0 ? 0 : n * this.maxBatch));
    this.deltas = this.sizes.map((n, l) => new Float32Array(l === 0 ? 0 : n * this.maxBatch));
    this.sums = new Float64Array(Math.max(...this.sizes));
    const side = Math.round(Math.sqrt(n0));
    this.side = side * side === n0 ? side : 0;
  }

  /** Input position `p` of an order entry's example, moved by the entry's shift (−1: moved off the image). */
  private position(p: number, entry: number): number {
    const shift = entry >>> SHIFT_SHIFT;
    if (shift === 0) return p;
    if (!this.side) throw new RangeError('shifted examples need square inputs');
    return shiftPixel(p, this.side, shift);
  }

  /** Take the Network's first layer again (every other parameter is the Network's own array). */
  syncFromNetwork(): void {
    const [n0, n1] = this.sizes;
    const w1 = this.network.weights[0];
    for (let j = 0; j < n1; j++) for (let p = 0; p < n0; p++) this.w1T[p * n1 + j] = w1[j * n0 + p];
  }

  /** Write the trained first layer back into the Network's row-major `weights[0]`. */
  syncToNetwork(): void {
    const [n0, n1] = this.sizes;
    const w1 = this.network.weights[0];
    for (let j = 0; j < n1; j++) for (let p = 0; p < n0; p++) w1[j * n0 + p] = this.w1T[p * n1 + j];
  }

  /**
   * One step on the examples order[start .. end): w ← decay·w − (η/m) Σ_x ∇w C_x, b ← b − (η/m) Σ_x ∇b C_x,
   * with decay = 1 − ηλ/n (1 without regularisation). Every example's δ is computed from the batch's
   * starting weights before any weight changes, so the step is the book's exactly, without summing
   * gradients into separate buffers.
   */
  updateMiniBatch(data: Dataset, order: Uint32Array, start: number, end: number, eta: number, decay = 1): void {
    const m = end - start;
    if (m < 1 || m > this.maxBatch) throw new RangeError(`mini-batch of ${m} examples, expected 1..${this.maxBatch}`);
    for (let slot = 0; slot < m; slot++) {
      const entry = order[start + slot];
      this.feedforwardSparse(data, entry, slot);
      this.backpropDeltas(data.labels[entry & EXAMPLE_MASK], slot);
    }
    if (decay !== 1) this.decayWeights(decay);
    this.applyUpdates(data, order, start, m, eta / m);
  }

  /** Chapter 3's weight decay, w ← (1 − ηλ/n) w, on every weight (biases are not regularised). */
  private decayWeights(decay: number): void {
    const scale = (w: Float32Array) => {
      for (let i = 0; i < w.length; i++) w[i] *= decay;
    };
    scale(this.w1T);
    for (let l = 1; l < this.layers; l++) scale(this.network.weights[l]);
  }

  /** Mini-batches of `miniBatchSize` over order[start .. end), one step each; the last may be smaller. */
  trainBatches(data: Dataset, order: Uint32Array, start: number, end: number, miniBatchSize: number, eta: number, decay = 1): void {
    for (let k = start; k < end; k += miniBatchSize) this.updateMiniBatch(data, order, k, Math.min(k + miniBatchSize, end), eta, decay);
  }

  /** Correct classifications on `data`: argmax of the output against the label. */
  evaluate(data: Dataset): number {
    return this.pass(data, false, null).correct;
  }

  biasesAreFinite(): boolean {
    return this.network.biases.every((b) => b.every(Number.isFinite));
  }

  classify(data: Dataset): Uint8Array {
    const readings = new Uint8Array(data.count);
    this.pass(data, false, readings);
    return readings;
  }

  measure(data: Dataset, readings?: Uint8Array): { correct: number; costSum: number } {
    return this.pass(data, true, readings ?? null);
  }

  /** One forward pass over `data`: correct count, the cost sum when asked, each reading when given somewhere to put it. */
  private pass(data: Dataset, withCost: boolean, readings: Uint8Array | null): { correct: number; costSum: number } {
    const nOut = this.sizes[this.layers];
    const out = this.activations[this.layers];
    let correct = 0;
    let costSum = 0;
    for (let i = 0; i < data.count; i++) {
      this.feedforwardSparse(data, i, 0);
      const read = argmax(out, 0, nOut);
      if (readings) readings[i] = read;
      if (read === data.labels[i]) correct++;
      if (withCost) costSum += exampleCost(this.network.cost, out, data.labels[i], 0, nOut);
    }
    return { correct, costSum };
  }

  /**
   * a^l = σ(w^l a^{l−1} + b^l) for the example of order entry `entry` (its index, shifted when the entry
   * says so) into batch slot `slot`; the first layer sums only non-zero inputs.
   */
  private feedforwardSparse(data: Dataset, entry: number, slot: number): void {
    const i = entry & EXAMPLE_MASK;
    const sizes = this.sizes;
    const n1 = sizes[1];
    const z = this.sums;
    const b1 = this.network.biases[0];
    for (let j = 0; j < n1; j++) z[j] = b1[j];
    const w1T = this.w1T;
    const { indices, values, scale } = data;
    for (let q = data.offsets[i], qEnd = data.offsets[i + 1]; q < qEnd; q++) {
      const p = this.position(indices[q], entry);
      if (p < 0) continue;
      const x = values[q] * scale;
      const column = p * n1;
      for (let j = 0; j < n1; j++) z[j] += x * w1T[column + j];
    }
    const a1 = this.activations[1];
    const base1 = slot * n1;
    for (let j = 0; j < n1; j++) a1[base1 + j] = sigmoid(z[j]);

    for (let l = 2; l <= this.layers; l++) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const w = this.network.weights[l - 1];
      const b = this.network.biases[l - 1];
      const aIn = this.activations[l - 1];
      const aOut = this.activations[l];
      const inBase = slot * nIn;
      const outBase = slot * nOut;
      for (let j = 0; j < nOut; j++) {
        let s = b[j];
        const row = j * nIn;
        for (let k = 0; k < nIn; k++) s += w[row + k] * aIn[inBase + k];
        aOut[outBase + j] = sigmoid(s);
      }
    }
  }

  /** δ of every layer for the example in `slot`, from its activations and its label. */
  private backpropDeltas(label: number, slot: number): void {
    const L = this.layers;
    const sizes = this.sizes;
    const nOut = sizes[L];
    const aL = this.activations[L];
    const dL = this.deltas[L];
    const outBase = slot * nOut;
    const quadratic = this.network.cost === 'quadratic';
    for (let j = 0; j < nOut; j++) {
      const a = aL[outBase + j];
      // BP1: δ^L = (a − y) ⊙ σ'(z^L) with σ'(z) = a(1 − a) for the quadratic cost; a − y for cross-entropy.
      const error = a - (j === label ? 1 : 0);
      dL[outBase + j] = quadratic ? error * a * (1 - a) : error;
    }
    const s = this.sums;
    for (let l = L - 1; l >= 1; l--) {
      const n = sizes[l];
      const nNext = sizes[l + 1];
      const w = this.network.weights[l];
      const dNext = this.deltas[l + 1];
      const nextBase = slot * nNext;
      for (let k = 0; k < n; k++) s[k] = 0;
      // BP2: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), walking w's rows so memory is read in order.
      for (let j = 0; j < nNext; j++) {
        const dj = dNext[nextBase + j];
        const row = j * n;
        for (let k = 0; k < n; k++) s[k] += w[row + k] * dj;
      }
      const a = this.activations[l];
      const d = this.deltas[l];
      const base = slot * n;
      for (let k = 0; k < n; k++) {
        const ak = a[base + k];
        d[base + k] = s[k] * ak * (1 - ak);
      }
    }
  }

  /** BP3/BP4 summed over the batch and applied with step η/m. */
  private applyUpdates(data: Dataset, order: Uint32Array, start: number, m: number, step: number): void {
    const sizes = this.sizes;
    for (let l = 1; l <= this.layers; l++) {
      const n = sizes[l];
      const b = this.network.biases[l - 1];
      const d = this.deltas[l];
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let slot = 0; slot < m; slot++) sum += d[slot * n + j];
        b[j] -= step * sum;
      }
      if (l === 1) continue;
      const nIn = sizes[l - 1];
      const w = this.network.weights[l - 1];
      const aIn = this.activations[l - 1];
      for (let j = 0; j < n; j++) {
        const row = j * nIn;
        for (let slot = 0; slot < m; slot++) {
          const c = step * d[slot * n + j];
          const inBase = slot * nIn;
          for (let k = 0; k < nIn; k++) w[row + k] -= c * aIn[inBase + k];
        }
      }
    }
    // First layer: ∂C/∂w_jp = δ_j x_p is zero wherever x_p is, so only non-zero pixels' columns change.
    const n1 = sizes[1];
    const d1 = this.deltas[1];
    const w1T = this.w1T;
    const { indices, values, offsets, scale } = data;
    for (let slot = 0; slot < m; slot++) {
      const entry = order[start + slot];
      const i = entry & EXAMPLE_MASK;
      const base = slot * n1;
      for (let q = offsets[i], qEnd = offsets[i + 1]; q < qEnd; q++) {
        const p = this.position(indices[q], entry);
        if (p < 0) continue;
        const c = step * values[q] * scale;
        const column = p * n1;
        for (let j = 0; j < n1; j++) w1T[column + j] -= c * d1[base + j];
      }
    }
  }
}
