/**
 * npm run bench: seconds per epoch of every path, in one run (this machine's timing is noisy: compare
 * within a run). Node: both WebAssembly builds (relaxed SIMD behind Node's flag), the TypeScript path and
 * the dense network.py translation; the peers (cli/bench-peers.ts): numpy when python3 has it, PyTorch in
 * two forms when /usr/bin/python3 (or --torch-python) has torch; the built app's training worker in headless
 * Chromium for each build, Compare, and the cold start (cli/bench-browser.ts). 784-30-10 and 784-100-10,
 * mini-batch 10, η = 3.0, 50,000 examples; medians; writes bench-report.json and prints the tables with
 * each path's ratio to the fastest peer of the same round.
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
import { openBrowserBench, type BrowserBench, type BrowserEpochs, type ColdStart } from './bench-browser';
import { networkOf, numpyPeers, peersUnavailable, torchPeers, torchUnavailable, type PeerRow } from './bench-peers';
import { median } from '../src/nn/comparison';

const { values: flags } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    'no-browser': { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
    'torch-python': { type: 'string', default: '/usr/bin/python3' },
    wide: { type: 'boolean', default: false },
    'node-case': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(
    'Usage: npm run bench -- [--epochs N (default 5)] [--rounds R (default 3)] [--no-browser] [--no-python] [--wide]\n' +
      '                        [--torch-python PATH (default /usr/bin/python3: the Python whose torch is the PyTorch peer)]\n' +
      'Each round times every path for N epochs, one after the other, so that each ratio compares paths timed\n' +
      'minutes apart at most; the tables give medians over the rounds. --wide adds 784-300-10 and 784-100-100-10\n' +
      '(in Node and the peers, not the page). Needs `npm run build` first (the\n' +
      'browser half times dist/). Writes bench-report.json and prints the tables.',
  );
  process.exit(0);
}
const EPOCHS = Number(flags.epochs);
const ROUNDS = Number(flags.rounds);
if (!Number.isInteger(EPOCHS) || EPOCHS < 1 || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('bench: --epochs and --rounds must be whole numbers ≥ 1');
  process.exit(2);
}
/** The hidden layers of the networks timed everywhere, and (--wide) of wider ones timed in Node and the peers. */
const HIDDEN = ['30', '100'];
const WIDE = flags.wide ? ['300', '100,100'] : [];
const sizesOf = (hidden: string): number[] => networkOf(hidden).split('-').map(Number);

interface Row {
  where: string;
  path: string;
  network: string;
  /** Every epoch timed (all rounds, once aggregated); secondsPerEpoch is their median. */
  seconds: number[];
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
function nodeCase(hidden: string, kernel: KernelChoice): Row {
  const data = loadMnist();
  const sizes = sizesOf(hidden);
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
    seconds,
    secondsPerEpoch: s,
    evalSeconds: median(evals),
    examplesPerSecond: data.training.count / s,
    multiplyAddsPerSecond: multiplyAddsPerEpoch(data.training, sizes) / s,
    accuracyAfterLastEpoch: correct / 100,
  };
}

/** The dense line-by-line translation of network.py is far slower: time 1,000 examples and scale up. */
function referenceCase(hidden: string): Row {
  const data = loadMnist();
  const sizes = sizesOf(hidden);
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
    seconds: [s],
    secondsPerEpoch: s,
    evalSeconds: null,
    examplesPerSecond: data.training.count / s,
    multiplyAddsPerSecond: (data.training.count * 3 * sizes.slice(1).reduce((sum, n, l) => sum + n * sizes[l], 0)) / s,
    accuracyAfterLastEpoch: null,
  };
}

/** Each Node measurement in a fresh process, so one path's JIT state does not colour another's. */
/** One Node measurement in a fresh process, so that one path's JIT state does not colour another's. */
function nodeRow(hidden: string, kase: string): Row {
  // Node 20 validates relaxed SIMD only behind a flag: that row shows what the fused build does in Node's V8.
  const flagsFor = kase === 'relaxed' ? ['--experimental-wasm-relaxed-simd'] : [];
  const child = spawnSync(
    process.execPath,
    [...flagsFor, '--import', 'tsx', 'cli/bench.ts', '--epochs', String(EPOCHS), '--node-case', `${hidden}:${kase}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`bench case ${hidden}:${kase} failed`);
  return JSON.parse(child.stdout) as Row;
}

if (flags['node-case']) {
  const [hidden, kase] = flags['node-case'].split(':');
  const row = kase === 'reference' ? referenceCase(hidden) : nodeCase(hidden, kase as KernelChoice);
  process.stdout.write(JSON.stringify(row));
  process.exit(0);
}

/** What one round timed: every path, one after the other. */
interface Round {
  rows: Row[];
  peers: PeerRow[];
  /** Compare's two runs side by side against each alone, timed just before it on the same kernel. */
  compare: Record<string, { alone: number; together: number; ratio: number }> | null;
}

function chromiumRow(r: BrowserEpochs): Row {
  const s = median(r.seconds);
  return {
    where: 'Chromium worker',
    path: r.kernelName,
    network: r.network,
    seconds: r.seconds,
    secondsPerEpoch: s,
    evalSeconds: null,
    examplesPerSecond: 50_000 / s,
    multiplyAddsPerSecond: multiplyAddsPerEpoch(loadMnist().training, r.network.split('-').map(Number)) / s,
    accuracyAfterLastEpoch: r.correctAfterLast / 100,
  };
}

const peersMissing = flags['no-python'] ? 'skipped (--no-python)' : peersUnavailable();
const torchPython = flags['torch-python']!;
const torchMissing = flags['no-python'] ? 'skipped (--no-python)' : torchUnavailable(torchPython);
const browser: BrowserBench | null = flags['no-browser'] ? null : await openBrowserBench();
// First, while nothing else has run: the cold start, then the same page again with the app and MNIST kept.
const coldStart: ColdStart[] = browser ? await browser.coldStarts() : [];
const rounds: Round[] = [];
for (let r = 0; r < ROUNDS; r++) {
  console.error(`round ${r + 1} of ${ROUNDS}`);
  // The slow paths (TypeScript, the dense translation, the book's numpy) only in the first round: they are
  // there for scale, not for the targets.
  const kases = r === 0 ? ['simd', 'relaxed', 'js', 'reference'] : ['simd', 'relaxed'];
  const rows = [
    ...HIDDEN.flatMap((hidden) => kases.map((kase) => nodeRow(hidden, kase))),
    ...WIDE.flatMap((hidden) => ['simd', 'relaxed'].map((kase) => nodeRow(hidden, kase))),
  ];
  const peers = [
    ...(peersMissing ? [] : numpyPeers([...HIDDEN, ...WIDE], EPOCHS, r === 0)),
    ...(torchMissing ? [] : torchPeers(torchPython, [...HIDDEN, ...WIDE], EPOCHS)),
  ];
  let compare: Round['compare'] = null;
  if (browser) {
    const epochs = await browser.epochs(['simd', 'relaxed'], HIDDEN.map(Number), EPOCHS);
    rows.push(...epochs.map(chromiumRow));
    // Compare runs on the page's own choice, the relaxed build here, timed alone just above.
    compare = await browser.compare(
      EPOCHS,
      epochs.filter((e) => e.kernel === 'relaxed'),
    );
  }
  rounds.push({ rows, peers, compare });
}
await browser?.close();
/** Each network's cost in Compare: the median over the rounds of together / alone. */
const compare = browser
  ? Object.fromEntries(
      HIDDEN.map(networkOf).map((network) => {
        const perRound = rounds.flatMap((round) => (round.compare?.[network] ? [round.compare[network]] : []));
        return [
          network,
          {
            alone: median(perRound.map((c) => c.alone)),
            together: median(perRound.map((c) => c.together)),
            ratio: median(perRound.map((c) => c.ratio)),
            perRound: perRound.map((c) => c.ratio),
          },
        ];
      }),
    )
  : null;

const keyOf = (r: { where?: string; path?: string; form?: string; dtype?: string; network: string }) =>
  `${r.where ?? r.form}|${r.path ?? r.dtype}|${r.network}`;
/** Each path's epochs from every round, pooled: the median of all of them. */
const rows: Row[] = [];
for (const row of rounds.flatMap((round) => round.rows)) {
  const pooled = rows.find((r) => keyOf(r) === keyOf(row));
  if (!pooled) rows.push({ ...row, seconds: [...row.seconds] });
  else pooled.seconds.push(...row.seconds);
}
for (const row of rows) {
  row.secondsPerEpoch = median(row.seconds);
  row.examplesPerSecond = 50_000 / row.secondsPerEpoch;
}
const peers: (PeerRow & { rounds: number[] })[] = [];
for (const peer of rounds.flatMap((round) => round.peers)) {
  const pooled = peers.find((p) => keyOf(p) === keyOf(peer));
  if (!pooled) peers.push({ ...peer, rounds: [peer.secondsPerEpoch] });
  else pooled.rounds.push(peer.secondsPerEpoch);
}
for (const peer of peers) peer.secondsPerEpoch = median(peer.rounds);

/**
 * The fastest peer of a round for a network (numpy's matrix step in either dtype, or PyTorch in either form;
 * the book's per-example numpy is there for scale): the peer the targets are set against.
 */
const fastestPeer = (round: Round, network: string): PeerRow =>
  round.peers
    .filter((p) => p.form !== 'book' && p.network === network)
    .reduce((best, p) => (p.secondsPerEpoch < best.secondsPerEpoch ? p : best));
const bookPeer = (network: string) => peers.find((p) => p.form === 'book' && p.network === network)?.secondsPerEpoch;
/** Speed-ups over the fastest peer, one per round (each path against the peers timed minutes before it). */
const ratios = peers.length
  ? rows
      .filter((r) => !r.path.startsWith('dense'))
      .map((r) => {
        const against = rounds.flatMap((round) => {
          const mine = round.rows.find((x) => keyOf(x) === keyOf(r));
          const fastest = fastestPeer(round, r.network);
          return mine ? [{ ratio: fastest.secondsPerEpoch / mine.secondsPerEpoch, peer: `${fastest.form} ${fastest.dtype}` }] : [];
        });
        const perRound = against.map((a) => a.ratio);
        const book = bookPeer(r.network);
        return {
          where: r.where,
          path: r.path,
          network: r.network,
          overFastestPeer: median(perRound),
          perRound,
          fastestPeers: [...new Set(against.map((a) => a.peer))],
          overBookNumpy: book ? book / r.secondsPerEpoch : null,
        };
      })
  : [];

const report = {
  date: new Date().toISOString(),
  node: process.version,
  epochsPerMeasurement: EPOCHS,
  rounds: ROUNDS,
  rows,
  peers,
  peersMissing,
  torchMissing,
  ratios,
  compare,
  coldStart,
};
writeFileSync('bench-report.json', `${JSON.stringify(report, null, 2)}\n`);

const fmt = (x: number, digits = 3) => x.toFixed(digits);
const table = (header: string[], body: string[][]) => {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`);
  for (const cells of body) console.log(`| ${cells.join(' | ')} |`);
};
console.log(`\nmedians of ${EPOCHS} epochs × ${ROUNDS} rounds, mini-batch 10, η = 3.0, 50,000 examples (${process.version})\n`);
table(
  ['where', 'path', 'network', 's / epoch', '+ eval 10,000', 'examples/s', 'multiply-adds/s', 'accuracy'],
  rows.map((r) => [
    r.where,
    r.path,
    r.network,
    fmt(r.secondsPerEpoch),
    r.evalSeconds === null ? '—' : fmt(r.secondsPerEpoch + r.evalSeconds),
    Math.round(r.examplesPerSecond).toLocaleString('en-US'),
    `${(r.multiplyAddsPerSecond / 1e9).toFixed(2)} G`,
    r.accuracyAfterLastEpoch === null ? '—' : `${r.accuracyAfterLastEpoch.toFixed(2)}%`,
  ]),
);
if (peers.length) {
  const formName = (p: PeerRow) =>
    p.form === 'book'
      ? `numpy, book, per example (from ${p.examplesTimed.toLocaleString('en-US')})`
      : p.form === 'matrix'
        ? 'numpy, matrix mini-batch'
        : p.form === 'torch autograd'
          ? 'PyTorch, nn.Linear + autograd + optim.SGD'
          : 'PyTorch, the step in place (addmm_)';
  console.log('\npeers (one thread; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for them; in the same rounds):\n');
  table(
    ['peer', 'dtype', 'network', 's / epoch', 'library'],
    peers.map((p) => [formName(p), p.dtype, p.network, fmt(p.secondsPerEpoch), p.library]),
  );
  console.log('\nSpeed-up over the fastest peer of the same round (median, each round, and which peer), and over the book’s numpy:\n');
  table(
    ['where', 'path', 'network', '× fastest peer', 'rounds', 'fastest peer', '× book numpy'],
    ratios.map((r) => [
      r.where,
      r.path,
      r.network,
      `${fmt(r.overFastestPeer, 2)}×`,
      r.perRound.map((x) => fmt(x, 2)).join(', '),
      r.fastestPeers.join('; '),
      r.overBookNumpy ? `${fmt(r.overBookNumpy, 1)}×` : '—',
    ]),
  );
}
if (peersMissing) console.log(`\nnumpy peers: ${peersMissing}`);
if (torchMissing) console.log(`PyTorch peers: ${torchMissing}`);
console.log('');
if (compare)
  for (const [n, c] of Object.entries(compare))
    console.log(
      `${n} in Compare: ${fmt(c.together)} s/epoch together vs ${fmt(c.alone)} s alone: ${((c.ratio - 1) * 100).toFixed(0)}% ` +
        `(median of the rounds: ${c.perRound.map((x) => `${((x - 1) * 100).toFixed(0)}%`).join(', ')})`,
    );
for (const cache of ['cold', 'warm'] as const) {
  const samples = coldStart.filter((c) => c.cache === cache);
  if (!samples.length) continue;
  const list = (pick: (c: ColdStart) => number) => samples.map((c) => fmt(pick(c), 2)).join(', ');
  console.log(
    `${cache} start (median of ${samples.length}): MNIST ready after ${fmt(median(samples.map((c) => c.dataReady)), 2)} s ` +
      `(${list((c) => c.dataReady)}), first epoch line after ${fmt(median(samples.map((c) => c.firstEpoch)), 2)} s (${list((c) => c.firstEpoch)})`,
  );
}
