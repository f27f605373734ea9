/**
 * Chapter 5's speed of learning: how fast each hidden layer learns, measured as the book measures it, by
 * the length of the gradient of the cost with respect to the layer's biases, ‖∂C/∂bˡ‖ = ‖δˡ‖, with C the
 * mean cost over the first training images. In a deep sigmoid network the early layers' gradients are far
 * shorter: the vanishing gradient problem.
 */
import { sigmoid } from './math';
import type { Dataset, ModelParameters } from './types';

/** Training images the book averages the gradient over. */
export const SPEED_IMAGES = 1000;

/**
 * ‖∂C/∂bˡ‖ for each hidden layer l (first to last) of network `p`, C the mean C_x over the first `count`
 * examples of `data` (the quadratic or cross-entropy cost, as the network's).
 */
export function layerSpeeds(p: ModelParameters, data: Dataset, count = SPEED_IMAGES): number[] {
  const L = p.weights.length;
  const n = Math.min(count, data.count);
  const sums = p.biases.map((b) => new Float64Array(b.length));
  const as = p.sizes.map((size) => new Float64Array(size));
  const deltas = p.sizes.map((size) => new Float64Array(size));
  const { offsets, indices, values, scale } = data;
  const w0 = p.weights[0];
  const b0 = p.biases[0];
  const inputs = p.sizes[0];
  for (let i = 0; i < n; i++) {
    // The first layer reads only the image's inked pixels (about a fifth of them): the rest add nothing.
    const from = offsets[i];
    const to = offsets[i + 1];
    const a1 = as[1];
    for (let j = 0; j < a1.length; j++) {
      let z = b0[j];
      const row = j * inputs;
      for (let k = from; k < to; k++) z += w0[row + indices[k]] * values[k] * scale;
      a1[j] = sigmoid(z);
    }
    for (let l = 1; l < L; l++) {
      const size = p.sizes[l];
      const w = p.weights[l];
      const b = p.biases[l];
      const a = as[l];
      const next = as[l + 1];
      for (let j = 0; j < next.length; j++) {
        let z = b[j];
        const row = j * size;
        for (let k = 0; k < size; k++) z += w[row + k] * a[k];
        next[j] = sigmoid(z);
      }
    }
    // BP1 (δᴸ = (a − y) σ′ for the quadratic cost, a − y for the cross-entropy), then BP2 down the layers.
    const out = as[L];
    const label = data.labels[i];
    for (let j = 0; j < out.length; j++) {
      const error = out[j] - (j === label ? 1 : 0);
      deltas[L][j] = p.cost === 'quadratic' ? error * out[j] * (1 - out[j]) : error;
    }
    for (let l = L - 1; l >= 1; l--) {
      const size = p.sizes[l];
      const w = p.weights[l];
      const a = as[l];
      const above = deltas[l + 1];
      const delta = deltas[l];
      for (let k = 0; k < size; k++) {
        let s = 0;
        for (let j = 0; j < above.length; j++) s += w[j * size + k] * above[j];
        delta[k] = s * a[k] * (1 - a[k]);
      }
    }
    // BP3: ∂C_x/∂bˡ = δˡ; summed here, averaged below.
    for (let l = 1; l <= L; l++) for (let j = 0; j < p.sizes[l]; j++) sums[l - 1][j] += deltas[l][j];
  }
  return sums.slice(0, -1).map((sum) => Math.sqrt(sum.reduce((s, v) => s + (v / n) ** 2, 0)));
}

/**
 * Where chapter 5's speeds are measured within a deep network's first epoch of `batches` mini-batches:
 * after 1, 2, 5, 10, 20, 50, … mini-batches (before the epoch's end, which is measured anyway). The early
 * layers' gradients change most at the start, so the marks thin out on a log scale.
 */
export function firstEpochSpeedMarks(batches: number): number[] {
  const marks: number[] = [];
  for (let decade = 1; decade < batches; decade *= 10) {
    for (const step of [1, 2, 5]) if (decade * step < batches) marks.push(decade * step);
  }
  return marks;
}
