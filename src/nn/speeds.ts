/**
 * Chapter 5's speed of learning: how fast each hidden layer learns, measured as the book measures it, by
 * the length of the gradient of the cost with respect to the layer's biases, ‖∂C/∂bˡ‖ = ‖δˡ‖, with C the
 * mean cost over the first training images. In a deep sigmoid network the early layers' gradients are far
 * shorter: the vanishing gradient problem.
 */
import { readInput, sigmoid } from './math';
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
  const x = new Float32Array(p.sizes[0]);
  const as = p.sizes.map((size) => new Float64Array(size));
  const deltas = p.sizes.map((size) => new Float64Array(size));
  for (let i = 0; i < n; i++) {
    readInput(data, i, x);
    as[0].set(x);
    for (let l = 0; l < L; l++) {
      const inputs = p.sizes[l];
      const w = p.weights[l];
      for (let j = 0; j < p.sizes[l + 1]; j++) {
        let z = p.biases[l][j];
        for (let k = 0; k < inputs; k++) z += w[j * inputs + k] * as[l][k];
        as[l + 1][j] = sigmoid(z);
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
      for (let k = 0; k < size; k++) {
        let s = 0;
        for (let j = 0; j < p.sizes[l + 1]; j++) s += w[j * size + k] * deltas[l + 1][j];
        deltas[l][k] = s * as[l][k] * (1 - as[l][k]);
      }
    }
    // BP3: ∂C_x/∂bˡ = δˡ; summed here, averaged below.
    for (let l = 1; l <= L; l++) for (let j = 0; j < p.sizes[l]; j++) sums[l - 1][j] += deltas[l][j];
  }
  return sums.slice(0, -1).map((sum) => Math.sqrt(sum.reduce((s, v) => s + (v / n) ** 2, 0)));
}
