/** Building and slicing sparse datasets (see {@link Dataset}). Pure. */
import type { Dataset } from './types';

/**
 * A Dataset from dense byte inputs: `bytes` holds `count` inputs of `inputSize` bytes each, back to
 * back (as in an idx file); only the non-zero bytes are kept.
 */
export function sparseFromBytes(bytes: Uint8Array, labels: Uint8Array, inputSize: number, scale: number): Dataset {
  const count = labels.length;
  if (bytes.length !== count * inputSize) {
    throw new RangeError(`${bytes.length} input bytes do not make ${count} inputs of ${inputSize}`);
  }
  // Four pixels at a time where the bytes are 4-aligned: about 80% of MNIST's pixels are 0, and most
  // groups of four are all 0, so one comparison skips them.
  const words =
    bytes.byteOffset % 4 === 0 && inputSize % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : null;
  let nonZero = 0;
  if (words) {
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      const p = w << 2;
      nonZero += (bytes[p] !== 0 ? 1 : 0) + (bytes[p + 1] !== 0 ? 1 : 0) + (bytes[p + 2] !== 0 ? 1 : 0) + (bytes[p + 3] !== 0 ? 1 : 0);
    }
  } else for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) nonZero++;
  const offsets = new Uint32Array(count + 1);
  const indices = new Uint16Array(nonZero);
  const values = new Uint8Array(nonZero);
  let q = 0;
  for (let i = 0; i < count; i++) {
    offsets[i] = q;
    const base = i * inputSize;
    for (let p = 0; p < inputSize; p++) {
      // A whole group of four zeros is skipped with one look.
      if (words && (p & 3) === 0 && words[(base + p) >> 2] === 0) {
        p += 3;
        continue;
      }
      const v = bytes[base + p];
      if (v !== 0) {
        indices[q] = p;
        values[q++] = v;
      }
    }
  }
  offsets[count] = q;
  return { count, inputSize, scale, offsets, indices, values, labels };
}

/** Examples [start, end) of `data`, sharing its arrays (no copy). */
export function sliceDataset(data: Dataset, start: number, end: number): Dataset {
  if (start < 0 || end > data.count || start > end) throw new RangeError(`slice ${start}..${end} of ${data.count} examples`);
  const offsets = data.offsets.subarray(start, end + 1);
  return { ...data, count: end - start, offsets, labels: data.labels.subarray(start, end) };
}
