/**
 * Chapter 6's fast path on the WebAssembly kernel (../wasm/network3.as.ts): the steps of network3.ts, with
 * the convolutions, pools, dense layers and updates four float32 lanes at a time. It trains a copy of a
 * Network3's parameters in the kernel's memory (rows padded to multiples of four) and copies them back on
 * syncToNetwork(). Dropout's masks come from the network's generator, drawn as network3.ts draws them.
 */
import type { Dataset } from '../types';
import { NETWORK3_RELAXED_WASM_BASE64, NETWORK3_WASM_BASE64 } from '../wasm/build/kernel-bytes';
import { compiledModule, PAGE, webAssembly } from '../wasm-module';
import { sizeOf, type Activation, type LayerSpec, type Shape } from './layers';
import { countRight, softmaxInPlace, type Network3 } from './network3';
import type { DropoutMasks } from './reference';

interface Network3Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  patches(aIn: number, channels: number, height: number, width: number, k: number, out: number, q4: number): void;
  convolve(w: number, filters: number, q4: number, patches: number, positions: number, out: number): void;
  poolActivate(
    conv: number,
    filters: number,
    ch: number,
    cw: number,
    pool: number,
    b: number,
    fn: number,
    out: number,
    maxAt: number,
  ): void;
  activateInPlace(z: number, n: number, fn: number): void;
  throughActivation(dA: number, a: number, n: number, fn: number): void;
  convBackward(
    delta: number,
    count: number,
    perFilter: number,
    positions: number,
    maxAt: number,
    patches: number,
    q4: number,
    w: number,
    nablaW: number,
    nablaB: number,
    dPatches: number,
  ): void;
  unpatch(dPatches: number, channels: number, height: number, width: number, k: number, q4: number, below: number): void;
  dense(w: number, b: number, neurons: number, n4: number, x: number, z: number): void;
  denseBackward(delta: number, neurons: number, n4: number, x: number, w: number, nablaW: number, nablaB: number, below: number): void;
  update(w: number, nablaW: number, n: number, decay: number, scale: number): void;
}

export type Network3Build = 'relaxed' | 'simd';
const BUILDS: Record<Network3Build, string> = { relaxed: NETWORK3_RELAXED_WASM_BASE64, simd: NETWORK3_WASM_BASE64 };

/** The fastest build of chapter 6's kernel this host runs, or null (then network3.ts's TypeScript path). */
export function bestNetwork3Build(): Network3Build | null {
  if (compiledModule(BUILDS.relaxed)) return 'relaxed';
  return compiledModule(BUILDS.simd) ? 'simd' : null;
}

const ACTIVATION_CODES: Record<Activation, number> = { sigmoid: 0, tanh: 1, relu: 2, linear: 3 };
const roundUp4 = (n: number): number => (n + 3) & ~3;

/** Where one layer lives in the kernel's memory, and its sizes. */
interface PlacedLayer {
  spec: LayerSpec;
  before: Shape;
  after: Shape;
  /** Floats per weight row: Q4 (a filter) or N4 (a dense neuron's inputs). */
  row: number;
  rows: number;
  w: number;
  b: number;
  nablaW: number;
  nablaB: number;
  /** Biases rounded up to four (the update runs on whole lanes). */
  biasCount: number;
  /** Conv-pool: convolved positions. */
  positions: number;
}

/** One layer's buffers for one example. */
interface PlacedExample {
  a: number;
  patches: number;
  convolved: number;
  maxAt: number;
  seen: number;
  mask: Uint8Array;
}

export class Network3Wasm {
  readonly network: Network3;
  readonly build: Network3Build;
  private readonly kernel: Network3Kernel;
  private top: number;
  private readonly layers: PlacedLayer[];
  private readonly examples: { x: number; layers: PlacedExample[] }[] = [];
  /** Two scratch rows for δ and ∂C/∂a, and the patches' ∂C/∂a. */
  private readonly scratchA: number;
  private readonly scratchB: number;
  private readonly dPatches: number;
  private readonly dPatchesFloats: number;
  private readonly largest: number;

  constructor(network: Network3, maxBatch: number, build: Network3Build | null = bestNetwork3Build()) {
    const module = build && compiledModule(BUILDS[build]);
    const wasm = webAssembly();
    if (!build || !module || !wasm) throw new Error('WebAssembly SIMD is not available here');
    this.build = build;
    this.network = network;
    this.kernel = new wasm.Instance(module, {}).exports as Network3Kernel;
    this.top = (this.kernel.heapBase() + 15) & ~15;
    this.layers = network.layers.map((spec, i) => {
      const before = network.shapes[i];
      const after = network.shapes[i + 1];
      const conv = spec.kind === 'conv-pool';
      const row = roundUp4(conv ? before.channels * spec.filterSize ** 2 : sizeOf(before));
      const rows = conv ? spec.filters : spec.neurons;
      const biasCount = roundUp4(rows);
      const positions = conv ? (before.height - spec.filterSize + 1) * (before.width - spec.filterSize + 1) : 0;
      return {
        spec,
        before,
        after,
        row,
        rows,
        biasCount,
        positions,
        w: this.alloc(rows * row * 4),
        b: this.alloc(biasCount * 4),
        nablaW: this.alloc(rows * row * 4),
        nablaB: this.alloc(biasCount * 4),
      };
    });
    this.largest = Math.max(...this.layers.map((l) => Math.max(roundUp4(sizeOf(l.before)), roundUp4(sizeOf(l.after)))));
    this.scratchA = this.alloc(this.largest * 4);
    this.scratchB = this.alloc(this.largest * 4);
    this.dPatchesFloats = Math.max(0, ...this.layers.map((l) => l.positions * l.row));
    this.dPatches = this.alloc(this.dPatchesFloats * 4);
    for (let e = 0; e < Math.max(1, maxBatch); e++) this.placeExample();
    this.syncFromNetwork();
  }

  private alloc(bytes: number): number {
    const at = this.top;
    this.top = (at + bytes + 15) & ~15;
    const have = this.kernel.memory.buffer.byteLength;
    if (this.top > have) this.kernel.memory.grow(Math.ceil((this.top - have) / PAGE));
    return at;
  }

  private floats(at: number, count: number): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, at, count);
  }

  private placeExample(): void {
    const x = this.alloc(roundUp4(sizeOf(this.network.input)) * 4);
    const layers = this.layers.map((layer) => {
      const conv = layer.spec.kind === 'conv-pool';
      return {
        a: this.alloc(roundUp4(sizeOf(layer.after)) * 4),
        patches: this.alloc(conv ? layer.positions * layer.row * 4 : 0),
        convolved: this.alloc(conv ? layer.positions * layer.rows * 4 : 0),
        maxAt: this.alloc(conv ? sizeOf(layer.after) * 4 : 0),
        seen: this.alloc(conv ? 0 : layer.row * 4),
        mask: new Uint8Array(conv ? 0 : sizeOf(layer.before)),
      };
    });
    this.examples.push({ x, layers });
  }

  /** The network's parameters into the kernel's memory (rows padded with zeros). */
  syncFromNetwork(): void {
    this.layers.forEach((layer, i) => {
      const { w, b } = this.network.parameters[i];
      const width = w.length / layer.rows;
      const placed = this.floats(layer.w, layer.rows * layer.row);
      placed.fill(0);
      for (let r = 0; r < layer.rows; r++) placed.set(w.subarray(r * width, (r + 1) * width), r * layer.row);
      const bias = this.floats(layer.b, layer.biasCount);
      bias.fill(0);
      bias.set(b);
    });
  }

  /** The kernel's parameters back into the network. */
  syncToNetwork(): void {
    this.layers.forEach((layer, i) => {
      const { w, b } = this.network.parameters[i];
      const width = w.length / layer.rows;
      const placed = this.floats(layer.w, layer.rows * layer.row);
      for (let r = 0; r < layer.rows; r++) w.set(placed.subarray(r * layer.row, r * layer.row + width), r * width);
      b.set(this.floats(layer.b, b.length));
    });
  }

  /** One example (already at its x) through the layers: masks drawn when training (given, or from the generator). */
  private forward(e: number, training: boolean, masks?: DropoutMasks): Float32Array {
    const k = this.kernel;
    const { x, layers: placed } = this.examples[e];
    let aIn = x;
    this.layers.forEach((layer, i) => {
      const buf = placed[i];
      const spec = layer.spec;
      if (spec.kind === 'conv-pool') {
        const { channels, height, width } = layer.before;
        k.patches(aIn, channels, height, width, spec.filterSize, buf.patches, layer.row);
        k.convolve(layer.w, spec.filters, layer.row, buf.patches, layer.positions, buf.convolved);
        const ch = height - spec.filterSize + 1;
        const cw = width - spec.filterSize + 1;
        k.poolActivate(buf.convolved, spec.filters, ch, cw, spec.poolSize, layer.b, ACTIVATION_CODES[spec.activation], buf.a, buf.maxAt);
      } else {
        let input = aIn;
        if (spec.dropout > 0) {
          const n = sizeOf(layer.before);
          const from = this.floats(aIn, n);
          const seen = this.floats(buf.seen, n);
          if (training) {
            const given = masks?.[i];
            for (let kk = 0; kk < n; kk++) {
              buf.mask[kk] = given ? given[kk] : this.network.rng.random() < spec.dropout ? 0 : 1;
              seen[kk] = buf.mask[kk] ? from[kk] : 0;
            }
          } else for (let kk = 0; kk < n; kk++) seen[kk] = from[kk] * (1 - spec.dropout);
          input = buf.seen;
        }
        k.dense(layer.w, layer.b, spec.neurons, layer.row, input, buf.a);
        if (spec.kind === 'softmax') softmaxInPlace(this.floats(buf.a, spec.neurons));
        else k.activateInPlace(buf.a, spec.neurons, ACTIVATION_CODES[spec.activation]);
      }
      aIn = buf.a;
    });
    return this.floats(aIn, sizeOf(this.layers.at(-1)!.after));
  }

  /** Backprop of example e after its forward pass, adding to the sums. */
  private backward(e: number, label: number, training: boolean): void {
    const k = this.kernel;
    const { x, layers: placed } = this.examples[e];
    const L = this.layers.length;
    let delta = this.scratchA;
    let below = this.scratchB;
    const out = this.floats(placed[L - 1].a, this.layers[L - 1].rows);
    const d = this.floats(delta, out.length);
    for (let j = 0; j < out.length; j++) d[j] = out[j] - (j === label ? 1 : 0);
    for (let i = L - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const spec = layer.spec;
      const buf = placed[i];
      const wantBelow = i > 0;
      const inputs = sizeOf(layer.before);
      if (wantBelow) this.floats(below, roundUp4(inputs)).fill(0);
      if (spec.kind === 'conv-pool') {
        if (wantBelow) this.floats(this.dPatches, layer.positions * layer.row).fill(0);
        const perFilter = layer.after.height * layer.after.width;
        k.convBackward(
          delta,
          sizeOf(layer.after),
          perFilter,
          layer.positions,
          buf.maxAt,
          buf.patches,
          layer.row,
          layer.w,
          layer.nablaW,
          layer.nablaB,
          wantBelow ? this.dPatches : 0,
        );
        const { channels, height, width } = layer.before;
        if (wantBelow) k.unpatch(this.dPatches, channels, height, width, spec.filterSize, layer.row, below);
      } else {
        const input = spec.dropout > 0 ? buf.seen : i === 0 ? x : placed[i - 1].a;
        k.denseBackward(delta, spec.neurons, layer.row, input, layer.w, layer.nablaW, layer.nablaB, wantBelow ? below : 0);
        if (wantBelow && spec.dropout > 0) {
          const dIn = this.floats(below, inputs);
          for (let kk = 0; kk < inputs; kk++) dIn[kk] *= training ? buf.mask[kk] : 1 - spec.dropout;
        }
      }
      if (!wantBelow) break;
      const lower = this.layers[i - 1].spec;
      k.throughActivation(below, placed[i - 1].a, inputs, ACTIVATION_CODES[lower.kind === 'softmax' ? 'linear' : lower.activation]);
      [delta, below] = [below, delta];
    }
  }

  private clearSums(): void {
    for (const layer of this.layers) {
      this.floats(layer.nablaW, layer.rows * layer.row).fill(0);
      this.floats(layer.nablaB, layer.biasCount).fill(0);
    }
  }

  private placeInput(e: number, x: ArrayLike<number>): void {
    while (this.examples.length <= e) this.placeExample();
    this.floats(this.examples[e].x, x.length).set(x);
  }

  /** ∂C/∂w and ∂C/∂b of one example, unpadded (for tests against the oracle). */
  gradientOf(x: Float32Array, label: number, masks?: DropoutMasks): { nablaW: Float32Array[]; nablaB: Float32Array[] } {
    this.clearSums();
    this.placeInput(0, x);
    this.forward(0, masks !== undefined, masks);
    this.backward(0, label, masks !== undefined);
    return {
      nablaW: this.layers.map((layer, i) => {
        const width = this.network.parameters[i].w.length / layer.rows;
        const placed = this.floats(layer.nablaW, layer.rows * layer.row);
        const out = new Float32Array(layer.rows * width);
        for (let r = 0; r < layer.rows; r++) out.set(placed.subarray(r * layer.row, r * layer.row + width), r * width);
        return out;
      }),
      nablaB: this.layers.map((layer) => this.floats(layer.nablaB, layer.rows).slice()),
    };
  }

  /** As Network3.updateMiniBatch, in the kernel's memory (syncToNetwork() brings the parameters back). */
  updateMiniBatch(
    inputs: Float32Array,
    labels: ArrayLike<number>,
    eta: number,
    lambda: number,
    numTrainingBatches: number,
    masks?: DropoutMasks[],
  ): void {
    const m = labels.length;
    const size = sizeOf(this.network.input);
    this.clearSums();
    for (let e = 0; e < m; e++) {
      this.placeInput(e, inputs.subarray(e * size, (e + 1) * size));
      this.forward(e, true, masks?.[e]);
      this.backward(e, labels[e], true);
    }
    const decay = 1 - (eta * lambda) / numTrainingBatches;
    for (const layer of this.layers) {
      this.kernel.update(layer.w, layer.nablaW, layer.rows * layer.row, decay, eta / m);
      this.kernel.update(layer.b, layer.nablaB, layer.biasCount, 1, eta / m);
    }
  }

  /** The outputs for one input (evaluating). */
  feedforward(x: Float32Array): Float32Array {
    this.placeInput(0, x);
    return this.forward(0, false).slice();
  }

  /** How many of `data`'s examples the kernel's network reads right; each reading into `readings` when given. */
  evaluate(data: Dataset, readings?: Uint8Array): number {
    return countRight(
      data,
      (x) => {
        this.placeInput(0, x);
        return this.forward(0, false);
      },
      readings,
    );
  }
}
