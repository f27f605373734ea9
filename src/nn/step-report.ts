/**
 * What one step of SGD did to a mini-batch, for a person to see: each digit read before and after the
 * step, with its cost, the batch's mean cost before and after, and the first-layer neurons whose input
 * weights moved most, with the change. Pure.
 */
import { exampleCost } from './cost';
import type { Network } from './network';
import type { Examples } from './types';

export interface SteppedDigit {
  /** Its 784 pixels as bytes (MNIST's scale, ×256), to draw. */
  pixels: Uint8Array;
  label: number;
  /** The digit the network answered before the step, and after it. */
  before: number;
  after: number;
  costBefore: number;
  costAfter: number;
}

export interface StepReport {
  digits: SteppedDigit[];
  /** The batch's mean cost before the step and after it (the run's cost). */
  costBefore: number;
  costAfter: number;
  /** First-layer neurons whose 784 input weights moved most, largest first: how far (‖Δw‖), and the change. */
  changed: { neuron: number; size: number; delta: Float32Array }[];
}

const argmax = (a: Float32Array): number => a.indexOf(Math.max(...a));

/** The step from `before` to `after` on `batch` (the examples it trained on). */
export function stepReport(before: Network, after: Network, batch: Examples, neurons = 3): StepReport {
  const size = before.sizes[0];
  const digits: SteppedDigit[] = [];
  for (let e = 0; e < batch.labels.length; e++) {
    const input = batch.inputs.subarray(e * size, (e + 1) * size);
    const [a, b] = [before.feedforward(input), after.feedforward(input)];
    const label = batch.labels[e];
    digits.push({
      pixels: Uint8Array.from(input, (v) => Math.min(255, Math.round(v * 256))),
      label,
      before: argmax(a),
      after: argmax(b),
      costBefore: exampleCost(before.cost, a, label),
      costAfter: exampleCost(after.cost, b, label),
    });
  }
  const mean = (key: 'costBefore' | 'costAfter') => digits.reduce((sum, d) => sum + d[key], 0) / Math.max(1, digits.length);
  const [w0, w1] = [before.weights[0], after.weights[0]];
  const moved = Array.from({ length: before.sizes[1] }, (_, neuron) => {
    const delta = new Float32Array(size);
    let squares = 0;
    for (let k = 0; k < size; k++) {
      delta[k] = w1[neuron * size + k] - w0[neuron * size + k];
      squares += delta[k] * delta[k];
    }
    return { neuron, size: Math.sqrt(squares), delta };
  });
  moved.sort((x, y) => y.size - x.size);
  return { digits, costBefore: mean('costBefore'), costAfter: mean('costAfter'), changed: moved.slice(0, neurons) };
}
