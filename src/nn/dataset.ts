/** Building and slicing sparse datasets (see {@link Dataset}). Pure. */
import type { Dataset } from './types';

/**
 * A Dataset from dense byte inputs: `bytes` holds `count` inputs of `inputSize` bytes each, back to
 * back (as in an idx file); only the non-zero bytes are kept.
 */
export function sparseFromBytes(bytes: Uint8Array, labels: Uint8Array, inputSize: number, scale: number): Dataset {
  if (bytes.length !== labels.length * inputSize) {
    throw new RangeError(`${bytes.length} input bytes do not make ${labels.length} inputs of ${inputSize}`);
  }
  const builder = new SparseBuilder(inputSize, scale, labels.length);
  builder.push(bytes);
  return builder.finish(labels);
}

/**
 * A sparse Dataset built from dense byte inputs that arrive in pieces of any size (a file as it is
 * decompressed): each input is reduced to its non-zero bytes as soon as it is whole, so no dense copy of
 * the whole set is ever made.
 */
export class SparseBuilder {
  private offsets: Uint32Array;
  private indices: Uint16Array;
  private values: Uint8Array;
  private count = 0;
  private nonZero = 0;
  /** The start of an input that a piece ended in the middle of. */
  private readonly staged: Uint8Array;
  private stagedLength = 0;

  /** `expectedCount` sizes the first allocation (about a quarter of MNIST's pixels are not 0); more grows it. */
  constructor(
    readonly inputSize: number,
    readonly scale: number,
    expectedCount = 1024,
  ) {
    this.offsets = new Uint32Array(expectedCount + 1);
    const capacity = Math.max(inputSize, Math.ceil((expectedCount * inputSize) / 4));
    this.indices = new Uint16Array(capacity);
    this.values = new Uint8Array(capacity);
    this.staged = new Uint8Array(inputSize);
  }

  /** How many whole inputs have come. */
  get inputs(): number {
    return this.count;
  }

  /** The next bytes of the inputs, in order. */
  push(bytes: Uint8Array): void {
    const size = this.inputSize;
    let at = 0;
    if (this.stagedLength) {
      at = Math.min(size - this.stagedLength, bytes.length);
      this.staged.set(bytes.subarray(0, at), this.stagedLength);
      this.stagedLength += at;
      if (this.stagedLength < size) return;
      this.add(this.staged, null, 0);
      this.stagedLength = 0;
    }
    // Four bytes at a time where they are 4-aligned: about 80% of MNIST's pixels are 0, and most groups
    // of four are all 0, so one comparison skips them.
    const words = bytes.byteOffset % 4 === 0 && size % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : null;
    for (; at + size <= bytes.length; at += size) this.add(bytes, at % 4 === 0 ? words : null, at);
    this.staged.set(bytes.subarray(at));
    this.stagedLength = bytes.length - at;
  }

  /** The dataset, with one label per input. */
  finish(labels: Uint8Array): Dataset {
    if (this.stagedLength) throw new RangeError(`the inputs end ${this.stagedLength} bytes into an input of ${this.inputSize}`);
    if (labels.length !== this.count) throw new RangeError(`${labels.length} labels for ${this.count} inputs`);
    const { count, nonZero, inputSize, scale } = this;
    this.offsets[count] = nonZero;
    return {
      count,
      inputSize,
      scale,
      offsets: this.offsets.slice(0, count + 1),
      indices: this.indices.slice(0, nonZero),
      values: this.values.slice(0, nonZero),
      labels,
    };
  }

  /** The input at bytes[start .. start + inputSize); `words` views the same bytes four at a time, or is null. */
  private add(bytes: Uint8Array, words: Uint32Array | null, start: number): void {
    const size = this.inputSize;
    if (this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, this.offsets.length * 2);
    if (this.nonZero + size > this.indices.length) {
      const capacity = Math.max(this.indices.length * 2, this.nonZero + size);
      this.indices = grow(this.indices, capacity);
      this.values = grow(this.values, capacity);
    }
    const { indices, values } = this;
    let q = this.nonZero;
    this.offsets[this.count++] = q;
    const wordStart = start >> 2;
    for (let p = 0; p < size; p++) {
      // A whole group of four zeros is passed over with one look.
      if (words && (p & 3) === 0 && words[wordStart + (p >> 2)] === 0) {
        p += 3;
        continue;
      }
      const v = bytes[start + p];
      if (v !== 0) {
        indices[q] = p;
        values[q++] = v;
      }
    }
    this.nonZero = q;
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/** Examples [start, end) of `data`, sharing its arrays (no copy). */
export function sliceDataset(data: Dataset, start: number, end: number): Dataset {
  if (start < 0 || end > data.count || start > end) throw new RangeError(`slice ${start}..${end} of ${data.count} examples`);
  const offsets = data.offsets.subarray(start, end + 1);
  return { ...data, count: end - start, offsets, labels: data.labels.subarray(start, end) };
}

/**
 * The book's expanded training set (chapter 3's expand_mnist.py) without storing it: each example also
 * appears moved by one pixel down, up, right and left, the row or column that comes in blank (np.roll,
 * then zeroed). An entry of a training order carries its shift in its top bits, and the trainers move
 * the example's pixels as they read it, so 250,000 examples cost no memory beyond their order.
 */
export const SHIFT_SHIFT = 29;
export const EXAMPLE_MASK = (1 << SHIFT_SHIFT) - 1;
/** As it is, then down, up, right, left: the order expand_mnist.py writes them in. */
export const SHIFTS = [
  [0, 0],
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/** Pixel `p` of a side × side image moved by `shift` (an index into SHIFTS), or −1 when it leaves the image. */
export function shiftPixel(p: number, side: number, shift: number): number {
  if (shift === 0) return p;
  const [dr, dc] = SHIFTS[shift];
  const r = Math.floor(p / side) + dr;
  const c = (p % side) + dc;
  return r < 0 || r >= side || c < 0 || c >= side ? -1 : r * side + c;
}

/** Example `code` of an epoch's order (an example, moved by its shift when expanded) as the network's input, into `out`. */
export function readOrderedInput(data: Dataset, code: number, out: Float32Array): Float32Array {
  out.fill(0);
  const i = code & EXAMPLE_MASK;
  const shift = code >>> SHIFT_SHIFT;
  const side = Math.round(Math.sqrt(data.inputSize));
  for (let q = data.offsets[i]; q < data.offsets[i + 1]; q++) {
    const p = shiftPixel(data.indices[q], side, shift);
    if (p >= 0) out[p] = data.values[q] * data.scale;
  }
  return out;
}

/** The examples an epoch over `count` trains on: each once, or with `expand` once for each shift. */
export function epochLength(count: number, expand = false): number {
  return count * (expand ? SHIFTS.length : 1);
}

/** The first order of an epoch over `count` examples: 0 … count − 1, and with `expand` each again for each shift. */
export function trainingOrder(count: number, expand = false): Uint32Array {
  const copies = epochLength(1, expand);
  const order = new Uint32Array(count * copies);
  for (let s = 0; s < copies; s++) for (let i = 0; i < count; i++) order[s * count + i] = i | (s << SHIFT_SHIFT);
  return order;
}

/** The examples of `first` followed by those of `second` (same input size and scale), in new arrays. */
export function concatDatasets(first: Dataset, second: Dataset): Dataset {
  if (first.inputSize !== second.inputSize || first.scale !== second.scale) {
    throw new RangeError(`cannot join inputs of ${first.inputSize} (×${first.scale}) and ${second.inputSize} (×${second.scale})`);
  }
  const count = first.count + second.count;
  const [firstStart, firstEnd] = [first.offsets[0], first.offsets[first.count]];
  const [secondStart, secondEnd] = [second.offsets[0], second.offsets[second.count]];
  const firstNonZero = firstEnd - firstStart;
  const nonZero = firstNonZero + secondEnd - secondStart;
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i <= first.count; i++) offsets[i] = first.offsets[i] - firstStart;
  for (let i = 1; i <= second.count; i++) offsets[first.count + i] = firstNonZero + second.offsets[i] - secondStart;
  const indices = new Uint16Array(nonZero);
  indices.set(first.indices.subarray(firstStart, firstEnd));
  indices.set(second.indices.subarray(secondStart, secondEnd), firstNonZero);
  const values = new Uint8Array(nonZero);
  values.set(first.values.subarray(firstStart, firstEnd));
  values.set(second.values.subarray(secondStart, secondEnd), firstNonZero);
  const labels = new Uint8Array(count);
  labels.set(first.labels.subarray(0, first.count));
  labels.set(second.labels.subarray(0, second.count), first.count);
  return { count, inputSize: first.inputSize, scale: first.scale, offsets, indices, values, labels };
}
