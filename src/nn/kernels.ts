/**
 * The one place that picks a fast path for a Network: the WebAssembly SIMD kernel where this host runs
 * it (or when asked), else the TypeScript one. Both implement {@link Trainer} (types.ts) and are checked
 * against the dense translation of network.py (reference.ts).
 */
import type { Network } from './network';
import type { Trainer } from './types';
import { SparseTrainer } from './sparse-trainer';
import { WasmTrainer, wasmKernelAvailable } from './wasm-trainer';

export type KernelChoice = 'auto' | 'wasm' | 'js';

/** The fast path for `network` with room for mini-batches of `maxBatch` examples. */
export function trainerFor(network: Network, maxBatch: number, kernel: KernelChoice = 'auto'): Trainer {
  const useWasm = kernel === 'wasm' || (kernel === 'auto' && wasmKernelAvailable());
  return useWasm ? new WasmTrainer(network, maxBatch) : new SparseTrainer(network, maxBatch);
}
