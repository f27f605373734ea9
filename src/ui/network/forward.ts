/**
 * One digit through a network, for drawing it: every layer's activations, input to output. The
 * feedforward of the book's network (a = σ(w·a + b), layer by layer) on the page's thread: a single
 * digit costs about 80,000 multiply-adds at 784-100-10, nothing next to a frame. Training and reading the
 * test set stay in the workers; tests hold this to the engine's Network.feedforward.
 */
import type { ModelParameters } from '../../worker/protocol';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The activations of every layer for `input` (784 values, MNIST's scale): [input, hidden…, output]. */
export function activationsOf(parameters: ModelParameters, input: Float32Array): Float32Array[] {
  const layers = [input];
  for (let l = 0; l < parameters.weights.length; l++) {
    const [inputs, outputs] = [parameters.sizes[l], parameters.sizes[l + 1]];
    const w = parameters.weights[l];
    const b = parameters.biases[l];
    const a = layers[l];
    const next = new Float32Array(outputs);
    for (let j = 0; j < outputs; j++) {
      let z = b[j];
      const row = j * inputs;
      for (let k = 0; k < inputs; k++) z += w[row + k] * a[k];
      next[j] = sigmoid(z);
    }
    layers.push(next);
  }
  return layers;
}
