/**
 * The one place that picks a fast path for a Network: the WebAssembly SIMD kernel where this host runs
 * it (or when asked), else the TypeScript one. Both implement {@link Trainer} (types.ts) and are checked
 * against the dense translation of network.py (reference.ts).
 */
import type { Network } from './network';
import type { Trainer } from './types';
import { SparseTrainer } from './sparse-trainer';
import { WasmTrainer, bestWasmBuild } from './wasm-trainer';

/**
 * 'auto': the fastest this host runs; 'wasm': the fastest WebAssembly build (an error where there is none);
 * 'relaxed' or 'simd': that WebAssembly build; 'js': the TypeScript path.
 */
export type KernelChoice = 'auto' | 'wasm' | 'relaxed' | 'simd' | 'js';

export const KERNEL_CHOICES: readonly KernelChoice[] = ['auto', 'wasm', 'relaxed', 'simd', 'js'];

/** The fast path for `network` with room for mini-batches of `maxBatch` examples. */
export function trainerFor(network: Network, maxBatch: number, kernel: KernelChoice = 'auto'): Trainer {
  if (kernel === 'js' || (kernel === 'auto' && !bestWasmBuild())) return new SparseTrainer(network, maxBatch);
  return new WasmTrainer(network, maxBatch, kernel === 'relaxed' || kernel === 'simd' ? kernel : bestWasmBuild());
}

/** A name for the path `trainerFor` takes with `kernel` here, for logs and benchmarks. */
export function kernelName(kernel: KernelChoice = 'auto'): string {
  const build = kernel === 'relaxed' || kernel === 'simd' ? kernel : kernel === 'js' ? null : bestWasmBuild();
  if (build === 'relaxed') return 'WebAssembly relaxed SIMD';
  if (build === 'simd') return 'WebAssembly SIMD';
  return 'TypeScript (sparse)';
}

/** `raw` as a kernel choice (null or '' is 'auto'); an unknown name is an error that lists the choices. */
export function parseKernelChoice(raw: string | null | undefined): KernelChoice {
  if (raw === null || raw === undefined || raw === '') return 'auto';
  const choice = KERNEL_CHOICES.find((k) => k === raw);
  if (!choice) throw new Error(`unknown kernel "${raw}": expected ${KERNEL_CHOICES.join(', ')}`);
  return choice;
}
