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

/** A network as a step's report reads it: its outputs for one input, and the cost of them for a label. */
export interface StepReader {
  outputs(input: Float32Array): Float32Array;
  cost(outputs: Float32Array, label: number): number;
}

/**
 * Each digit of `batch` (inputs of `size` values) read by the network before the step and after it, with
 * its cost, and the batch's mean cost before and after; no neurons (a chapter 6 network's report, which has filters instead).
 */
export function steppedDigits(before: StepReader, after: StepReader, batch: Examples, size: number): StepReport {
  const digits: SteppedDigit[] = [];
  for (let e = 0; e < batch.labels.length; e++) {
    const input = batch.inputs.subarray(e * size, (e + 1) * size);
    const [a, b] = [before.outputs(input), after.outputs(input)];
    const label = batch.labels[e];
    digits.push({
      pixels: Uint8Array.from(input, (v) => Math.min(255, Math.round(v * 256))),
      label,
      before: argmax(a),
      after: argmax(b),
      costBefore: before.cost(a, label),
      costAfter: after.cost(b, label),
    });
  }
  const mean = (key: 'costBefore' | 'costAfter') => digits.reduce((sum, d) => sum + d[key], 0) / Math.max(1, digits.length);
  return { digits, costBefore: mean('costBefore'), costAfter: mean('costAfter'), changed: [] };
}

/** The step from `before` to `after` on `batch` (the examples it trained on). */
export function stepReport(before: Network, after: Network, batch: Examples, neurons = 3): StepReport {
  const size = before.sizes[0];
  const reader = (net: Network): StepReader => ({
    outputs: (x) => net.feedforward(x),
    cost: (a, label) => exampleCost(net.cost, a, label),
  });
  const read = steppedDigits(reader(before), reader(after), batch, size);
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
  return { ...read, changed: moved.slice(0, neurons) };
}
