/**
 * npm run bench: seconds per epoch of the fast paths, in Node and in the built app's worker in headless
 * Chromium, for 784-30-10 and 784-100-10 (mini-batch 10, η = 3.0, 50,000 examples). Medians of several
 * epochs, ratios within one run (this machine's timing is noisy); writes bench-report.json and a table.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadMnist } from '../src/data/source-node';
import { sliceDataset } from '../src/nn/dataset';
import { oneHot, readInput } from '../src/nn/math';
import { Network } from '../src/nn/network';
import { referenceUpdateMiniBatch, toReference } from '../src/nn/reference';
import type { KernelChoice } from '../src/nn/kernels';
import { runSgd } from '../src/nn/sgd';
import type { Dataset } from '../src/nn/types';

const { values: flags } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    'no-browser': { type: 'boolean', default: false },
    'node-case': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log('Usage: npm run bench -- [--epochs N (default 3)] [--no-browser]\nWrites bench-report.json and prints a table.');
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
    where: 'Node',
    path: kernel === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript (sparse)',
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
    for (const kase of ['wasm', 'js', 'reference']) {
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'cli/bench.ts', '--epochs', String(EPOCHS), '--node-case', `${hidden}:${kase}`],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      if (child.status !== 0) throw new Error(`bench case ${hidden}:${kase} failed`);
      rows.push(JSON.parse(child.stdout) as Row);
    }
  }
  return rows;
}

async function waitForServer(url: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error('vite preview exited');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no server at ${url}`);
}

/** The built app in headless Chromium: train each network alone, then both at once (Compare). */
async function browserRows(): Promise<{ rows: Row[]; compare: Record<string, { alone: number; together: number; ratio: number }> }> {
  // Loaded only here: importing Playwright slows the TypeScript path of the Node cases by about 40%.
  const { chromium } = await import('@playwright/test');
  const { chromiumArgs, executablePath } = await import('../playwright.config');
  if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
  const port = 4175;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  try {
    await waitForServer(`http://127.0.0.1:${port}/`, server);
    const browser = await chromium.launch({ executablePath, args: chromiumArgs });
    const page = await browser.newPage();
    const lineRe = /Run (\d+) \((784-\d+-10)\) · Epoch (\d+): (\d+) \/ 10000, took ([\d.]+) seconds/;
    const readLines = async () =>
      (await page.getByRole('log', { name: 'Training log' }).getByRole('listitem').allTextContents()).flatMap((t) => {
        const m = lineRe.exec(t);
        return m ? [{ run: Number(m[1]), network: m[2], epoch: Number(m[3]), correct: Number(m[4]), seconds: Number(m[5]) }] : [];
      });
    const waitForLines = async (count: number) => {
      for (let i = 0; i < 3000 && (await readLines()).length < count; i++) await page.waitForTimeout(100);
    };
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByLabel('Epochs', { exact: true }).fill(String(EPOCHS));
    const rows: Row[] = [];
    const alone: Record<string, number> = {};
    const data = loadMnist();
    for (const hidden of HIDDEN) {
      await page.getByLabel('Hidden layers', { exact: true }).fill(String(hidden));
      const before = (await readLines()).length;
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await waitForLines(before + EPOCHS);
      const lines = (await readLines()).slice(before);
      const s = median(lines.map((l) => l.seconds));
      const network = `784-${hidden}-10`;
      alone[network] = s;
      rows.push({
        where: 'Chromium worker',
        path: 'WebAssembly SIMD',
        network,
        secondsPerEpoch: s,
        evalSeconds: null,
        examplesPerSecond: 50_000 / s,
        multiplyAddsPerSecond: multiplyAddsPerEpoch(data.training, [784, hidden, 10]) / s,
        accuracyAfterLastEpoch: lines.at(-1)!.correct / 100,
      });
      console.error(`  Chromium ${network}: ${lines.map((l) => l.seconds.toFixed(2)).join(', ')} s`);
    }
    // One seed per network: the two runs train together, as the Compare this figure has always measured.
    await page.getByLabel('Seeds per network', { exact: true }).fill('1');
    const before = (await readLines()).length;
    await page.getByRole('button', { name: 'Compare 30 vs 100 hidden' }).click();
    await waitForLines(before + 2 * EPOCHS);
    const together = (await readLines()).slice(before);
    const compare = Object.fromEntries(
      Object.keys(alone).map((network) => {
        const t = median(together.filter((l) => l.network === network).map((l) => l.seconds));
        return [network, { alone: alone[network], together: t, ratio: t / alone[network] }];
      }),
    );
    await browser.close();
    return { rows, compare };
  } finally {
    server.kill();
  }
}

if (flags['node-case']) {
  const [hidden, kase] = flags['node-case'].split(':');
  const row = kase === 'reference' ? referenceCase(Number(hidden)) : nodeCase(Number(hidden), kase as KernelChoice);
  process.stdout.write(JSON.stringify(row));
  process.exit(0);
}

const rows = nodeRows();
let compare: Record<string, { alone: number; together: number; ratio: number }> | null = null;
if (!flags['no-browser']) {
  const browser = await browserRows();
  rows.push(...browser.rows);
  compare = browser.compare;
}
const fast = (where: string, network: string) =>
  rows.find((r) => r.where === where && r.network === network && r.path === 'WebAssembly SIMD');
const ts = (network: string) => rows.find((r) => r.where === 'Node' && r.network === network && r.path === 'TypeScript (sparse)');
const report = {
  date: new Date().toISOString(),
  node: process.version,
  epochsPerMeasurement: EPOCHS,
  rows,
  speedupOverTypeScript: Object.fromEntries(
    HIDDEN.map((h) => `784-${h}-10`).map((n) => [n, ts(n)!.secondsPerEpoch / fast('Node', n)!.secondsPerEpoch]),
  ),
  compare,
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
console.log('');
for (const [n, ratio] of Object.entries(report.speedupOverTypeScript))
  console.log(`${n}: WebAssembly is ${ratio.toFixed(1)}× the TypeScript path in Node`);
if (compare)
  for (const [n, c] of Object.entries(compare))
    console.log(`${n} in Compare: ${fmt(c.together)} s/epoch together vs ${fmt(c.alone)} s alone (${((c.ratio - 1) * 100).toFixed(0)}%)`);
