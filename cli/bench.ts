/**
 * npm run bench: seconds per epoch of every path, in one run (this machine's timing is noisy: compare
 * within a run). Node: both WebAssembly builds (relaxed SIMD behind Node's flag), the TypeScript path and
 * the dense network.py translation; numpy peers (cli/bench-peers.ts) when python3 has numpy; the built
 * app's training worker in headless Chromium for each build, Compare, and the cold start
 * (cli/bench-browser.ts). 784-30-10 and 784-100-10, mini-batch 10, η = 3.0, 50,000 examples; medians;
 * writes bench-report.json and prints the tables with the ratios to numpy.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadMnist } from '../src/data/source-node';
import { sliceDataset } from '../src/nn/dataset';
import { oneHot, readInput } from '../src/nn/math';
import { Network } from '../src/nn/network';
import { referenceUpdateMiniBatch, toReference } from '../src/nn/reference';
import { kernelName, type KernelChoice } from '../src/nn/kernels';
import { runSgd } from '../src/nn/sgd';
import type { Dataset } from '../src/nn/types';
import { browserReport, type BrowserReport } from './bench-browser';
import { numpyPeers, peersUnavailable } from './bench-peers';

const { values: flags } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    'no-browser': { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
    'node-case': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(
    'Usage: npm run bench -- [--epochs N (default 3)] [--no-browser] [--no-python]\n' +
      'Needs `npm run build` first (the browser half times dist/). Writes bench-report.json and prints the tables.',
  );
  process.exit(0);
}
const EPOCHS = Number(flags.epochs);
if (!Number.isInteger(EPOCHS) || EPOCHS < 1) {
  console.error('bench: --epochs must be a whole number ≥ 1');
  process.exit(2);
}
const HIDDEN = [30, 100];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  where: string;
  path: string;
  network: string;
  secondsPerEpoch: number;
  evalSeconds: number | null;
  examplesPerSecond: number;
  multiplyAddsPerSecond: number;
  accuracyAfterLastEpoch: number | null;
}

/** Multiply-adds of one epoch of the sparse algorithm: the first layer over non-zero pixels, dense layers after. */
function multiplyAddsPerEpoch(data: Dataset, sizes: number[]): number {
  const nonZero = data.offsets[data.count] - data.offsets[0];
  let dense = 0;
  for (let l = 2; l < sizes.length; l++) dense += 3 * sizes[l] * sizes[l - 1];
  return 2 * nonZero * sizes[1] + data.count * dense;
}

/** One Node measurement, in this process: `hidden:kernel`. */
function nodeCase(hidden: number, kernel: KernelChoice): Row {
  const data = loadMnist();
  const sizes = [784, hidden, 10];
  const seconds: number[] = [];
  const evals: number[] = [];
  let correct = 0;
  runSgd(new Network(sizes, { seed: 1 }), data.training, EPOCHS, 10, 3.0, {
    test: data.test,
    kernel,
    onEvent: (e) => {
      if (e.kind !== 'epoch') return;
      seconds.push(e.seconds);
      evals.push(e.evalSeconds);
      correct = e.correct ?? 0;
    },
  });
  console.error(`  Node ${kernel} ${sizes.join('-')}: ${seconds.map((x) => x.toFixed(3)).join(', ')} s`);
  const s = median(seconds);
  return {
    where: kernel === 'relaxed' ? 'Node (--experimental-wasm-relaxed-simd)' : 'Node',
    path: kernelName(kernel),
    network: sizes.join('-'),
    secondsPerEpoch: s,
    evalSeconds: median(evals),
    examplesPerSecond: data.training.count / s,
    multiplyAddsPerSecond: multiplyAddsPerEpoch(data.training, sizes) / s,
    accuracyAfterLastEpoch: correct / 100,
  };
}

/** The dense line-by-line translation of network.py is far slower: time 1,000 examples and scale up. */
function referenceCase(hidden: number): Row {
  const data = loadMnist();
  const sizes = [784, hidden, 10];
  const sample = sliceDataset(data.training, 0, 1000);
  const ref = toReference(new Network(sizes, { seed: 1 }));
  const batches = Array.from({ length: 100 }, (_, b) =>
    Array.from({ length: 10 }, (_, k) => ({
      x: Array.from(readInput(sample, b * 10 + k, new Float32Array(784))),
      y: Array.from(oneHot(sample.labels[b * 10 + k], 10)),
    })),
  );
  const start = performance.now();
  for (const batch of batches) referenceUpdateMiniBatch(ref, batch, 3.0);
  const s = ((performance.now() - start) / 1000) * (data.training.count / 1000);
  return {
    where: 'Node',
    path: 'dense reference (network.py translation), from 1,000 examples',
    network: sizes.join('-'),
    secondsPerEpoch: s,
    evalSeconds: null,
    examplesPerSecond: data.training.count / s,
    multiplyAddsPerSecond: (data.training.count * 3 * (784 * hidden + hidden * 10)) / s,
    accuracyAfterLastEpoch: null,
  };
}

/** Each Node measurement in a fresh process, so one path's JIT state does not colour another's. */
function nodeRows(): Row[] {
  const rows: Row[] = [];
  for (const hidden of HIDDEN) {
    // Node 20 validates relaxed SIMD only behind a flag: that row shows what the fused build does in Node's V8.
    for (const kase of ['simd', 'relaxed', 'js', 'reference']) {
      const flagsFor = kase === 'relaxed' ? ['--experimental-wasm-relaxed-simd'] : [];
      const child = spawnSync(
        process.execPath,
        [...flagsFor, '--import', 'tsx', 'cli/bench.ts', '--epochs', String(EPOCHS), '--node-case', `${hidden}:${kase}`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`bench case ${hidden}:${kase} failed`);
      rows.push(JSON.parse(child.stdout) as Row);
    }
  }
  return rows;
}

if (flags['node-case']) {
  const [hidden, kase] = flags['node-case'].split(':');
  const row = kase === 'reference' ? referenceCase(Number(hidden)) : nodeCase(Number(hidden), kase as KernelChoice);
  process.stdout.write(JSON.stringify(row));
  process.exit(0);
}

const rows = nodeRows();
const peersMissing = flags['no-python'] ? 'skipped (--no-python)' : peersUnavailable();
const peers = peersMissing ? [] : numpyPeers(HIDDEN, EPOCHS);
let browser: BrowserReport | null = null;
if (!flags['no-browser']) {
  browser = await browserReport(HIDDEN, EPOCHS);
  for (const r of browser.epochs) {
    const s = median(r.seconds);
    rows.push({
      where: 'Chromium worker',
      path: r.kernelName,
      network: r.network,
      secondsPerEpoch: s,
      evalSeconds: null,
      examplesPerSecond: 50_000 / s,
      multiplyAddsPerSecond: multiplyAddsPerEpoch(loadMnist().training, r.network.split('-').map(Number)) / s,
      accuracyAfterLastEpoch: r.correctAfterLast / 100,
    });
  }
}

/** The fastest numpy matrix step for `network` (float32 or float64): the peer the targets are set against. */
const matrixPeer = (network: string) =>
  peers.filter((p) => p.form === 'matrix' && p.network === network).sort((a, b) => a.secondsPerEpoch - b.secondsPerEpoch)[0];
const bookPeer = (network: string) => peers.find((p) => p.form === 'book' && p.network === network);
const ratios = rows.flatMap((r) => {
  const matrix = matrixPeer(r.network);
  const book = bookPeer(r.network);
  if (!matrix || r.path.startsWith('dense')) return [];
  return [
    {
      where: r.where,
      path: r.path,
      network: r.network,
      overMatrixNumpy: matrix.secondsPerEpoch / r.secondsPerEpoch,
      overBookNumpy: book ? book.secondsPerEpoch / r.secondsPerEpoch : null,
    },
  ];
});
const report = {
  date: new Date().toISOString(),
  node: process.version,
  epochsPerMeasurement: EPOCHS,
  rows,
  peers,
  peersMissing,
  ratios,
  compare: browser?.compare ?? null,
  coldStart: browser?.coldStart ?? null,
};
writeFileSync('bench-report.json', `${JSON.stringify(report, null, 2)}\n`);

const fmt = (x: number, digits = 3) => x.toFixed(digits);
console.log(`\nmedian of ${EPOCHS} epochs, mini-batch 10, η = 3.0, 50,000 examples (${process.version})\n`);
console.log('| where | path | network | s / epoch | + eval 10,000 | examples/s | multiply-adds/s | accuracy |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const cells = [
    r.where,
    r.path,
    r.network,
    fmt(r.secondsPerEpoch),
    r.evalSeconds === null ? '—' : fmt(r.secondsPerEpoch + r.evalSeconds),
    Math.round(r.examplesPerSecond).toLocaleString('en-US'),
    `${(r.multiplyAddsPerSecond / 1e9).toFixed(2)} G`,
    r.accuracyAfterLastEpoch === null ? '—' : `${r.accuracyAfterLastEpoch.toFixed(2)}%`,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
if (peers.length) {
  console.log('\nnumpy peers (one BLAS thread, same run):\n');
  console.log('| form | dtype | network | s / epoch |');
  console.log('| --- | --- | --- | ---: |');
  for (const p of peers) {
    const form = p.form === 'book' ? `book, per example (from ${p.examplesTimed.toLocaleString('en-US')})` : 'matrix mini-batch';
    console.log(`| ${form} | ${p.dtype} | ${p.network} | ${fmt(p.secondsPerEpoch)} |`);
  }
  console.log('\nSpeed-up over the fastest numpy matrix step (and over the book’s per-example numpy):\n');
  console.log('| where | path | network | × matrix numpy | × book numpy |');
  console.log('| --- | --- | --- | ---: | ---: |');
  for (const r of ratios) {
    console.log(
      `| ${r.where} | ${r.path} | ${r.network} | ${fmt(r.overMatrixNumpy, 2)}× | ${r.overBookNumpy ? `${fmt(r.overBookNumpy, 1)}×` : '—'} |`,
    );
  }
} else console.log(`\nnumpy peers: ${peersMissing}`);
if (browser) {
  console.log('');
  for (const [n, c] of Object.entries(browser.compare))
    console.log(`${n} in Compare: ${fmt(c.together)} s/epoch together vs ${fmt(c.alone)} s alone (${((c.ratio - 1) * 100).toFixed(0)}%)`);
  for (const c of browser.coldStart)
    console.log(`${c.cache} start: MNIST ready after ${fmt(c.dataReady, 2)} s, first epoch line after ${fmt(c.firstEpoch, 2)} s`);
}
