/**
 * Weight pictures: a hidden neuron's 784 input weights as a 28 × 28 image (red positive, blue negative,
 * white near zero), as they are now, as they started, or what training changed; and how far training
 * has moved them. Pure, so Node tests it; the canvases are WeightMaps.tsx's.
 */
import { INPUTS } from '../../nn/mnist-shape';

/** What a picture shows: the weights now, where they started, or what training changed (now − start). */
export type WeightView = 'now' | 'start' | 'change';

export const WEIGHT_VIEWS: { view: WeightView; label: string }[] = [
  { view: 'now', label: 'Now' },
  { view: 'start', label: 'At the start' },
  { view: 'change', label: 'What training changed' },
];

const rowOf = (weights: Float32Array, neuron: number): Float32Array => weights.subarray(neuron * INPUTS, (neuron + 1) * INPUTS);

/** Hidden neuron `neuron`'s 784 input weights in `view` (without a start, always as they are now). */
export function neuronWeights(now: Float32Array, start: Float32Array | null, neuron: number, view: WeightView): Float32Array {
  if (view === 'now' || !start) return rowOf(now, neuron);
  if (view === 'start') return rowOf(start, neuron);
  const after = rowOf(now, neuron);
  const before = rowOf(start, neuron);
  const change = new Float32Array(INPUTS);
  for (let p = 0; p < INPUTS; p++) change[p] = after[p] - before[p];
  return change;
}

/**
 * RGBA for `row`, each value scaled by the row's largest |w| (so every picture uses its whole range): red
 * for positive, blue for negative, fading to white at zero.
 */
export function weightColours(row: Float32Array): Uint8ClampedArray {
  let largest = 1e-9;
  for (let p = 0; p < row.length; p++) largest = Math.max(largest, Math.abs(row[p]));
  const rgba = new Uint8ClampedArray(row.length * 4);
  for (let p = 0; p < row.length; p++) {
    const v = row[p] / largest;
    const fade = Math.round(255 * (1 - Math.abs(v)));
    rgba.set(v >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255], p * 4);
  }
  return rgba;
}

/**
 * How far training has moved weights from where they started: ‖w − w₀‖ / ‖w₀‖ (0.12: by 12% of their
 * starting size), over every first-layer weight, or over hidden neuron `neuron`'s.
 */
export function movedShare(now: Float32Array, start: Float32Array, neuron?: number): number {
  const after = neuron === undefined ? now : rowOf(now, neuron);
  const before = neuron === undefined ? start : rowOf(start, neuron);
  let moved = 0;
  let size = 0;
  for (let i = 0; i < after.length; i++) {
    moved += (after[i] - before[i]) ** 2;
    size += before[i] ** 2;
  }
  return size > 0 ? Math.sqrt(moved / size) : 0;
}

/**
 * How far training has moved a typical hidden neuron's weights (the median over the first `neurons`): a few
 * neurons whose weights grew large would dominate one share over all of them.
 */
export function typicalMovedShare(now: Float32Array, start: Float32Array, neurons: number): number {
  const shares = Array.from({ length: neurons }, (_, j) => movedShare(now, start, j)).sort((a, b) => a - b);
  const middle = Math.floor(neurons / 2);
  return neurons % 2 ? shares[middle] : (shares[middle - 1] + shares[middle]) / 2;
}

/** The smallest and largest of `row`. */
export function rangeOf(row: Float32Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < row.length; i++) {
    low = Math.min(low, row[i]);
    high = Math.max(high, row[i]);
  }
  return [low, high];
}
