/** Small builders shared by the engine's tests. */
import { sparseFromBytes } from './dataset';
import { Rng } from './rng';
import type { Dataset } from './types';
import type { Network } from './network';
import type { toReference } from './reference';

/** `count` random byte inputs of `inputSize` values, about `zeroFraction` of them 0, with random labels. */
export function randomDataset(count: number, inputSize: number, classes: number, seed: number, zeroFraction = 0.6): Dataset {
  const rng = new Rng(seed);
  const bytes = new Uint8Array(count * inputSize);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.random() < zeroFraction ? 0 : 1 + rng.int(255);
  const labels = Uint8Array.from({ length: count }, () => rng.int(classes));
  return sparseFromBytes(bytes, labels, inputSize, 1 / 256);
}

/** The largest |difference| between a Network's weights and biases and the reference translation's (reference.ts). */
export function largestDifference(net: Network, ref: ReturnType<typeof toReference>): number {
  let largest = 0;
  net.weights.forEach((w, l) =>
    w.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - ref.weights[l][Math.floor(i / net.sizes[l])][i % net.sizes[l]])))),
  );
  net.biases.forEach((b, l) => b.forEach((v, j) => (largest = Math.max(largest, Math.abs(v - ref.biases[l][j])))));
  return largest;
}
