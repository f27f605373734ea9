/**
 * npm run bench:floor: the floor on paper of an epoch, for each network the bench times. It times the
 * kernel's own two inner loops of the first layer (kernel.as.ts: sumPanel and updatePanel, exported as
 * floorSums and floorUpdate) on weights that stay in the L1 cache, giving the time of one float32x4
 * multiply-add as V8 runs those loops at best, then counts the multiply-adds of an epoch: the first
 * layer's, forward and in the update, over MNIST's non-zero pixels, and the dense layers', forward, in BP2
 * and in the update. The floor is their product: the epoch if every multiply-add ran as fast as in that
 * loop, with no cache misses, no sigmoid, no gathering and no call overhead. Node, the SIMD build.
 */
import { parseArgs } from 'node:util';
import { loadMnist } from '../src/data/source-node';
import { KERNEL_WASM_BASE64 } from '../src/nn/wasm/build/kernel-bytes';
import { compiledModule } from '../src/nn/wasm-module';
import { median } from '../src/nn/comparison';

const { values: flags } = parseArgs({
  options: {
    networks: { type: 'string', default: '784-30-10,784-100-10,784-300-10,784-100-100-10' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log('Usage: npm run bench:floor -- [--networks 784-30-10,784-100-10 (the default adds 784-300-10 and 784-100-100-10)]');
  process.exit(0);
}
const networks = flags.networks!.split(',').map((name) => name.split('-').map(Number));
if (networks.some((sizes) => sizes.length < 3 || sizes.some((n) => !Number.isInteger(n) || n < 1))) {
  console.error('bench:floor: --networks takes names such as 784-30-10, separated by commas');
  process.exit(2);
}

interface FloorExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  floorSums(w: number, b: number, pairs: number, pairsEnd: number, z: number): void;
  floorUpdate(w: number, d: number, step: number, pairs: number, pairsEnd: number): void;
}

const module = compiledModule(KERNEL_WASM_BASE64);
if (!module) throw new Error('bench:floor: this Node does not run the WebAssembly SIMD kernel');
const kernel = new WebAssembly.Instance(module as WebAssembly.Module, {}).exports as unknown as FloorExports;
kernel.memory.grow(64);
// A block of 28 pixels' rows of 7 column vectors (3 KB), 4,096 pairs over them, a panel of b (or δ) and z.
const PAIRS = 4096;
const [pairs, w, b, z] = [1 << 16, 1 << 18, 1 << 19, (1 << 19) + 256];
const view = new DataView(kernel.memory.buffer);
for (let k = 0; k < PAIRS; k++) {
  view.setFloat32(pairs + 8 * k, 0.5, true);
  view.setUint32(pairs + 8 * k + 4, ((k * 5) % 28) * 16, true);
}
new Float32Array(kernel.memory.buffer, w, 28 * 28).fill(0.01);
new Float32Array(kernel.memory.buffer, b, 28).fill(1e-6);

/** Nanoseconds per float32x4 multiply-add of `loop` over the pairs: the median of 15 timings of 400 calls, after a warm-up. */
function nanosecondsPerMultiplyAdd(loop: () => void): number {
  for (let i = 0; i < 2000; i++) loop();
  const times: number[] = [];
  for (let t = 0; t < 15; t++) {
    const start = performance.now();
    for (let i = 0; i < 400; i++) loop();
    times.push(((performance.now() - start) * 1e6) / (400 * PAIRS * 7));
  }
  return median(times);
}

const sum = nanosecondsPerMultiplyAdd(() => kernel.floorSums(w, b, pairs, pairs + 8 * PAIRS, z));
const update = nanosecondsPerMultiplyAdd(() => kernel.floorUpdate(w, b, 1e-9, pairs, pairs + 8 * PAIRS));
console.log(`The kernel's inner loops with their weights in L1 (Node ${process.version}, WebAssembly SIMD):`);
console.log(
  `  forward sums: ${sum.toFixed(3)} ns per float32x4 multiply-add; update: ${update.toFixed(3)} ns (a load, a multiply-add and a store)\n`,
);

const training = loadMnist().training;
const pixels = (training.offsets[training.count] - training.offsets[0]) / training.count;
const vectors = (n: number): number => Math.ceil(n / 4);
console.log(`An epoch: 50,000 examples of ${pixels.toFixed(2)} non-zero pixels on average.\n`);
console.log('| network | first layer, forward | first layer, update | dense layers (×3) | floor, s / epoch |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const sizes of networks) {
  // Multiply-adds of four lanes per epoch: the first layer over the non-zero pixels, each dense layer's
  // padded rows forward, in BP2 and in the update.
  const first = 50_000 * pixels * vectors(sizes[1]);
  let dense = 0;
  for (let l = 2; l < sizes.length; l++) dense += 3 * 50_000 * sizes[l] * vectors(sizes[l - 1]);
  const floor = (first * sum + first * update + dense * sum) / 1e9;
  const millions = (n: number): string => `${(n / 1e6).toFixed(0)} M`;
  console.log(`| ${sizes.join('-')} | ${millions(first)} | ${millions(first)} | ${millions(dense)} | ${floor.toFixed(3)} |`);
}
