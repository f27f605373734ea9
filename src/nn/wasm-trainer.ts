/**
 * The WebAssembly SIMD fast path (kernel in wasm/kernel.as.ts): the same steps as SparseTrainer, four
 * float32 lanes at a time. This file lays out the network, the batch buffers and the data in the
 * kernel's memory and copies the parameters back into the Network. Pure: no DOM, no worker, no I/O;
 * it needs only the WebAssembly global that Node and every current browser have.
 */
import type { Network } from './network';
import type { Dataset, Trainer } from './types';
import { KERNEL_RELAXED_WASM_BASE64, KERNEL_WASM_BASE64 } from './wasm/build/kernel-bytes';
import { SHIFT_SHIFT } from './dataset';
import { compiledModule, PAGE, webAssembly } from './wasm-module';

/** The kernel's leading arguments: the layer table and its length, and a labelled dataset placed in its memory. */
type PlacedData = [table: number, L: number, offsets: number, indices: number, values: number, labels: number, scale: number];

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  pairsBytes(inputs: number): number;
  groupSize(): number;
  trainBatches(
    ...args: [
      ...PlacedData,
      order: number,
      start: number,
      end: number,
      miniBatchSize: number,
      eta: number,
      scratch: number,
      pairs: number,
      crossEntropy: number,
      decay: number,
      side: number,
    ]
  ): void;
  evaluate(
    ...args: [...PlacedData, count: number, scratch: number, pairs: number, crossEntropy: number, costOut: number, readingsOut: number]
  ): number;
}

const ENTRY_BYTES = 28;
const ENTRY_INTS = ENTRY_BYTES / 4;
/** The two builds of the kernel: with relaxed SIMD's fused multiply-add, and plain 128-bit SIMD. */
export type WasmBuild = 'relaxed' | 'simd';

const BUILDS: Record<WasmBuild, string> = { relaxed: KERNEL_RELAXED_WASM_BASE64, simd: KERNEL_WASM_BASE64 };
/** The compiled build, or null where this host does not validate it (no WebAssembly, no SIMD, no relaxed SIMD). */
const compiledKernel = (build: WasmBuild): object | null => compiledModule(BUILDS[build]);

/** The fastest build this host runs: relaxed SIMD where it validates, else SIMD, else null (use TypeScript). */
export function bestWasmBuild(): WasmBuild | null {
  if (compiledKernel('relaxed')) return 'relaxed';
  return compiledKernel('simd') ? 'simd' : null;
}

/** True when this host runs a WebAssembly SIMD kernel (either build). */
export function wasmKernelAvailable(build?: WasmBuild): boolean {
  return build ? compiledKernel(build) !== null : bestWasmBuild() !== null;
}

const roundUp4 = (n: number): number => (n + 3) & ~3;

/**
 * How the kernel stores the first layer (kernel.as.ts, PANEL_BYTES): its p (padded) neurons in blocks of 28
 * while they fit, then of 16, then of 4 (seven, four and one float32x4 columns); a block holds its neurons'
 * weights for input 0, then input 1, and so on. `first`: the block's first neuron; `width`: its neurons; `start`: its first float.
 */
function firstLayerBlocks(p: number, inputs: number): { first: number; width: number; start: number }[] {
  const blocks = [];
  let first = 0;
  for (const width of [28, 16, 4]) {
    for (; first + width <= p; first += width) blocks.push({ first, width, start: first * inputs });
  }
  return blocks;
}

interface DataInMemory {
  offsets: number;
  indices: number;
  values: number;
  labels: number;
  count: number;
}

/** Trains a Network with the WebAssembly kernel; see SparseTrainer for the algorithm. */
export class WasmTrainer implements Trainer {
  readonly network: Network;
  private readonly kernel: KernelExports;
  private readonly sizes: readonly number[];
  private readonly padded: number[];
  private readonly layers: number;
  private readonly table: number;
  private readonly scratch: number;
  /** Room for a group of examples' non-zero inputs as (value, pixel offset) pairs, 8 bytes each, and their ends (kernel.as.ts). */
  private readonly pairs: number;
  /** Which build of the kernel this trainer runs. */
  readonly build: WasmBuild;
  /** Byte offsets of each layer's weights and biases (index l − 1 for layer l). */
  private readonly weightPtr: number[] = [];
  private readonly biasPtr: number[] = [];
  private readonly maxBatch: number;
  private readonly costOut: number;
  private readonly crossEntropy: number;
  /** The side of a square input (28 for MNIST), for the shifted examples of an expanded order; 0 if not square. */
  private readonly side: number;
  private top: number;
  private orderPtr = 0;
  private orderCapacity = 0;
  private readonly data = new WeakMap<Dataset, DataInMemory>();
  /** The place transient datasets are copied to, one after another (each replaces the last). */
  private transientPlace: { at: number; bytes: number; holds: Dataset | null } | null = null;

  /** `build`: which kernel to run (default: the fastest this host validates). */
  constructor(network: Network, maxBatch: number, build: WasmBuild | null = bestWasmBuild()) {
    const module = build && compiledKernel(build);
    const wasm = webAssembly();
    if (!build || !module || !wasm) throw new Error(`WebAssembly ${build === 'relaxed' ? 'relaxed SIMD' : 'SIMD'} is not available here`);
    this.build = build;
    this.kernel = new wasm.Instance(module, {}).exports as KernelExports;
    this.network = network;
    this.sizes = network.sizes;
    this.layers = network.numLayers - 1;
    this.maxBatch = Math.max(1, maxBatch);
    this.padded = this.sizes.map(roundUp4);
    this.top = (this.kernel.heapBase() + 15) & ~15;
    this.table = this.alloc(this.layers * ENTRY_BYTES);
    this.scratch = this.alloc(4 * Math.max(...this.padded));
    this.pairs = this.alloc(this.kernel.pairsBytes(this.sizes[0]));
    this.costOut = this.alloc(8);
    this.crossEntropy = network.cost === 'cross-entropy' ? 1 : 0;
    const side = Math.round(Math.sqrt(this.sizes[0]));
    this.side = side * side === this.sizes[0] ? side : 0;
    const entries = new Int32Array(this.layers * ENTRY_INTS);
    for (let l = 1; l <= this.layers; l++) {
      const p = this.padded[l];
      // Dense layers get p rows, so that the kernel can sum four rows at a time; rows from sizes[l] on stay 0.
      const rows = l === 1 ? this.sizes[0] : p;
      const rowLength = l === 1 ? p : this.padded[l - 1];
      this.weightPtr.push(this.alloc(4 * rows * rowLength));
      this.biasPtr.push(this.alloc(4 * p));
      // Room for a mini-batch, and for a group of examples read together (kernel.as.ts, GROUP).
      const slots = Math.max(this.maxBatch, this.kernel.groupSize());
      const activations = this.alloc(4 * p * slots);
      const deltas = this.alloc(4 * p * slots);
      entries.set(
        [this.sizes[l], p, this.weightPtr[l - 1], this.biasPtr[l - 1], activations, deltas, rows * rowLength],
        (l - 1) * ENTRY_INTS,
      );
    }
    new Int32Array(this.kernel.memory.buffer, this.table, entries.length).set(entries);
    this.syncFromNetwork();
  }

  /** Mini-batches of `miniBatchSize` over order[start .. end), one step each (see SparseTrainer.updateMiniBatch). */
  trainBatches(data: Dataset, order: Uint32Array, start: number, end: number, miniBatchSize: number, eta: number, decay = 1): void {
    if (miniBatchSize > this.maxBatch) throw new RangeError(`mini-batch of ${miniBatchSize} examples, expected at most ${this.maxBatch}`);
    const d = this.place(data);
    const count = end - start;
    // The kernel would divide by a side of 0: shifted examples need square inputs.
    if (!this.side && order.subarray(start, end).some((entry) => entry >>> SHIFT_SHIFT))
      throw new RangeError('shifted examples need square inputs');
    if (count > this.orderCapacity) {
      this.orderCapacity = Math.max(count, 4096);
      this.orderPtr = this.alloc(4 * this.orderCapacity);
    }
    new Uint32Array(this.kernel.memory.buffer, this.orderPtr, count).set(order.subarray(start, end));
    this.kernel.trainBatches(
      this.table,
      this.layers,
      d.offsets,
      d.indices,
      d.values,
      d.labels,
      data.scale,
      this.orderPtr,
      0,
      count,
      miniBatchSize,
      eta,
      this.scratch,
      this.pairs,
      this.crossEntropy,
      decay,
      this.side,
    );
  }

  /** Correct classifications on `data` with the kernel's current parameters. */
  evaluate(data: Dataset): number {
    return this.pass(data, 0, null);
  }

  /** Correct classifications and the sum of C_x over `data`; each example's reading into `readings` when given. */
  measure(data: Dataset, readings?: Uint8Array): { correct: number; costSum: number } {
    const correct = this.pass(data, this.costOut, readings ?? null);
    return { correct, costSum: new Float64Array(this.kernel.memory.buffer, this.costOut, 1)[0] };
  }

  /** The digit the network reads for every example of `data`. */
  classify(data: Dataset): Uint8Array {
    const readings = new Uint8Array(data.count);
    this.pass(data, 0, readings);
    return readings;
  }

  /**
   * The kernel's evaluate: correct classifications, the cost sum written at `costOut` unless it is 0, and
   * the readings copied into `readings` when given (through scratch memory that is given back after).
   */
  private pass(data: Dataset, costOut: number, readings: Uint8Array | null): number {
    const d = this.place(data);
    const { table, layers, scratch, pairs, crossEntropy } = this;
    const top = this.top;
    const readingsOut = readings ? this.alloc(data.count) : 0;
    const correct = this.kernel.evaluate(
      table,
      layers,
      d.offsets,
      d.indices,
      d.values,
      d.labels,
      data.scale,
      d.count,
      scratch,
      pairs,
      crossEntropy,
      costOut,
      readingsOut,
    );
    if (readings) readings.set(new Uint8Array(this.kernel.memory.buffer, readingsOut, data.count));
    this.top = top;
    return correct;
  }

  biasesAreFinite(): boolean {
    return this.biasPtr.every((ptr, l) => new Float32Array(this.kernel.memory.buffer, ptr, this.sizes[l + 1]).every(Number.isFinite));
  }

  /** Copy the kernel's parameters into the Network's arrays. */
  syncToNetwork(): void {
    this.copyParameters('toNetwork');
  }

  /** Take the Network's parameters again (the caller put others of the same shape into it). */
  syncFromNetwork(): void {
    this.copyParameters('toKernel');
  }

  private copyParameters(direction: 'toNetwork' | 'toKernel'): void {
    const buffer = this.kernel.memory.buffer;
    for (let l = 1; l <= this.layers; l++) {
      const n = this.sizes[l];
      const p = this.padded[l];
      const nIn = this.sizes[l - 1];
      const w = this.network.weights[l - 1];
      const b = this.network.biases[l - 1];
      const bias = new Float32Array(buffer, this.biasPtr[l - 1], p);
      if (l === 1) {
        const w1T = new Float32Array(buffer, this.weightPtr[0], nIn * p);
        for (const block of firstLayerBlocks(p, nIn)) {
          for (let j = block.first; j < Math.min(n, block.first + block.width); j++) {
            const at = block.start + j - block.first;
            for (let k = 0; k < nIn; k++) {
              if (direction === 'toKernel') w1T[at + k * block.width] = w[j * nIn + k];
              else w[j * nIn + k] = w1T[at + k * block.width];
            }
          }
        }
      } else {
        const pIn = this.padded[l - 1];
        const kernelW = new Float32Array(buffer, this.weightPtr[l - 1], n * pIn);
        for (let j = 0; j < n; j++) {
          if (direction === 'toKernel') kernelW.set(w.subarray(j * nIn, (j + 1) * nIn), j * pIn);
          else w.set(kernelW.subarray(j * pIn, j * pIn + nIn), j * nIn);
        }
      }
      if (direction === 'toKernel') bias.set(b);
      else b.set(bias.subarray(0, n));
    }
  }

  /** Copy a dataset into the kernel's memory once (offsets rebased to its own slice). */
  private place(data: Dataset): DataInMemory {
    const cached = this.data.get(data);
    if (cached) return cached;
    const first = data.offsets[0];
    const nonZero = data.offsets[data.count] - first;
    const sizes = [4 * (data.count + 1), 2 * nonZero, nonZero, data.count].map((bytes) => (bytes + 15) & ~15);
    const take = data.transient ? this.transientRegion(data, sizes[0] + sizes[1] + sizes[2] + sizes[3]) : null;
    let next = take ?? 0;
    const reserve = (bytes: number): number => {
      if (take === null) return this.alloc(bytes);
      const at = next;
      next += bytes;
      return at;
    };
    const offsets = reserve(sizes[0]);
    const indices = reserve(sizes[1]);
    const values = reserve(sizes[2]);
    const labels = reserve(sizes[3]);
    const buffer = this.kernel.memory.buffer;
    const o = new Uint32Array(buffer, offsets, data.count + 1);
    for (let i = 0; i <= data.count; i++) o[i] = data.offsets[i] - first;
    new Uint16Array(buffer, indices, nonZero).set(data.indices.subarray(first, first + nonZero));
    new Uint8Array(buffer, values, nonZero).set(data.values.subarray(first, first + nonZero));
    new Uint8Array(buffer, labels, data.count).set(data.labels.subarray(0, data.count));
    const placed = { offsets, indices, values, labels, count: data.count };
    this.data.set(data, placed);
    return placed;
  }

  /**
   * Where transient dataset `data` of `bytes` goes: the place the last one had, when it is large enough
   * (that one is forgotten), else a new place a quarter larger than needed, so epochs of distorted data
   * of slightly different sizes do not each take new memory.
   */
  private transientRegion(data: Dataset, bytes: number): number {
    const place = this.transientPlace;
    if (place?.holds) this.data.delete(place.holds);
    if (place && place.bytes >= bytes) {
      place.holds = data;
      return place.at;
    }
    const capacity = (Math.ceil(bytes * 1.25) + 15) & ~15;
    this.transientPlace = { at: this.alloc(capacity), bytes: capacity, holds: data };
    return this.transientPlace.at;
  }

  /** Reserve `bytes` (16-byte aligned, zeroed) in the kernel's memory, growing it when needed. */
  private alloc(bytes: number): number {
    const at = this.top;
    this.top = (at + bytes + 15) & ~15;
    const have = this.kernel.memory.buffer.byteLength;
    if (this.top > have) this.kernel.memory.grow(Math.ceil((this.top - have) / PAGE));
    return at;
  }
}
