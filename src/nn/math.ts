/** Small numeric helpers shared by the reference and the fast path. Pure. */

/** σ(z) = 1 / (1 + e^−z), the book's sigmoid. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** σ'(z) = σ(z)(1 − σ(z)), the book's sigmoid_prime. */
export function sigmoidPrime(z: number): number {
  const s = sigmoid(z);
  return s * (1 - s);
}

/** Index of the largest entry of `v[offset .. offset + length)`, relative to offset (numpy's argmax: first wins). */
export function argmax(v: ArrayLike<number>, offset = 0, length = v.length - offset): number {
  let best = 0;
  let bestValue = v[offset];
  for (let i = 1; i < length; i++) {
    if (v[offset + i] > bestValue) {
      bestValue = v[offset + i];
      best = i;
    }
  }
  return best;
}

/** Fill `out` with example `i` of `data` as a dense input vector. */
export function readInput(
  data: { offsets: Uint32Array; indices: Uint16Array; values: Uint8Array; scale: number },
  i: number,
  out: Float32Array,
): Float32Array {
  out.fill(0);
  for (let k = data.offsets[i]; k < data.offsets[i + 1]; k++) out[data.indices[k]] = data.values[k] * data.scale;
  return out;
}

/** The book's vectorized_result: a one-hot vector with a 1 at `label`. */
export function oneHot(label: number, size: number, out = new Float32Array(size)): Float32Array {
  out.fill(0);
  out[label] = 1;
  return out;
}
