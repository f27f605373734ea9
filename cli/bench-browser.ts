/**
 * The browser half of `npm run bench`: the built app (dist/, served by vite preview) in headless Chromium.
 * Seconds per epoch as the page's training worker reports them, for each kernel build (`?kernel=`);
 * Compare's two runs side by side against each alone; and the cold start, page open → MNIST ready →
 * first epoch line, with an empty browser profile and again with the app and data kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { median } from '../src/nn/comparison';

export interface BrowserEpochs {
  kernel: string;
  /** What the page said it trains on (each line's hover text: "trained in … s on <kernel>"). */
  kernelName: string;
  network: string;
  seconds: number[];
  correctAfterLast: number;
}

export interface ColdStart {
  cache: 'cold' | 'warm';
  /** Seconds from the start of navigation until the viewer shows test #0 (MNIST downloaded and decoded). */
  dataReady: number;
  /** Seconds from the start of navigation until the log's first epoch line (Train clicked as soon as it could be). */
  firstEpoch: number;
}

export interface BrowserReport {
  compare: Record<string, { alone: number; together: number; ratio: number }>;
}

const PORT = 4175;
const BASE = `http://127.0.0.1:${PORT}/`;
const LINE = /Run (\d+) \((784-\d+-10)\) · Epoch (\d+): (\d+) \/ 10000, took ([\d.]+) seconds/;
/** The line's exact time, from its hover text (the book's line rounds to hundredths). */
const DETAIL = /trained in ([\d.]+) s(?: \([^)]*\))?(?: on ([^;]+))?/;

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

/** The log's epoch lines so far, parsed, with their exact training time. */
async function epochLines(page: Page) {
  const items = await page
    .getByRole('log', { name: 'Training log' })
    .getByRole('listitem')
    .evaluateAll((lis) => lis.map((li) => ({ text: li.textContent ?? '', detail: li.getAttribute('title') ?? '' })));
  return items.flatMap(({ text, detail }) => {
    const m = LINE.exec(text);
    if (!m) return [];
    const exact = DETAIL.exec(detail);
    const seconds = Number(exact ? exact[1] : m[5]);
    return [{ run: Number(m[1]), network: m[2], epoch: Number(m[3]), correct: Number(m[4]), seconds, kernel: exact?.[2] ?? '?' }];
  });
}

async function waitForLines(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    ({ count, source }) => {
      const re = new RegExp(source);
      return [...document.querySelectorAll('[role="log"] li')].filter((li) => re.test(li.textContent ?? '')).length >= count;
    },
    { count, source: LINE.source },
    { timeout: 600_000, polling: 100 },
  );
}

/** Train each network alone, `epochs` epochs, on the page `page` (opened with its `?kernel=`). */
async function kernelRows(page: Page, kernel: string, hiddens: number[], epochs: number): Promise<BrowserEpochs[]> {
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  const rows: BrowserEpochs[] = [];
  for (const hidden of hiddens) {
    await page.getByLabel('Hidden layers', { exact: true }).fill(String(hidden));
    const before = (await epochLines(page)).length;
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForLines(page, before + epochs);
    const lines = (await epochLines(page)).slice(before);
    const kernelName = lines[0].kernel;
    const network = `784-${hidden}-10`;
    console.error(`  Chromium ${kernel} ${network} (${kernelName}): ${lines.map((l) => l.seconds.toFixed(3)).join(', ')} s`);
    rows.push({ kernel, kernelName, network, seconds: lines.map((l) => l.seconds), correctAfterLast: lines.at(-1)!.correct });
  }
  return rows;
}

/** Compare 30 vs 100 hidden with one seed per network: both train at once, each on a core. */
async function compareRows(browser: Browser, epochs: number, alone: BrowserEpochs[]): Promise<BrowserReport['compare']> {
  const page = await browser.newPage();
  await page.goto(BASE);
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  await page.getByLabel('Seeds per network', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Compare 30 vs 100 hidden' }).click();
  await waitForLines(page, 2 * epochs);
  const together = await epochLines(page);
  await page.close();
  return Object.fromEntries(
    alone.map((row) => {
      const soloSeconds = median(row.seconds);
      const t = median(together.filter((l) => l.network === row.network).map((l) => l.seconds));
      return [row.network, { alone: soloSeconds, together: t, ratio: t / soloSeconds }];
    }),
  );
}

/** Open the page, click Train as soon as it is there, and time MNIST's arrival and the first epoch line. */
async function timeStart(page: Page, cache: ColdStart['cache']): Promise<ColdStart> {
  const start = performance.now();
  await page.goto(BASE, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const viewer = page.getByRole('region', { name: 'Digit viewer' });
  await viewer.getByText('test #0').waitFor({ timeout: 120_000 });
  const dataReady = (performance.now() - start) / 1000;
  await waitForLines(page, 1);
  const firstEpoch = (performance.now() - start) / 1000;
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  // Removed, so that the next visit's log starts empty (a kept run's lines come back with it).
  await page.getByRole('button', { name: /^Remove Run/ }).click();
  await page.getByRole('button', { name: /^Remove Run/ }).waitFor({ state: 'detached' });
  console.error(`  ${cache} start: MNIST ready ${dataReady.toFixed(2)} s, first epoch line ${firstEpoch.toFixed(2)} s`);
  return { cache, dataReady, firstEpoch };
}

/**
 * `times` times: a fresh profile (nothing cached, no service worker), then a second visit once the app
 * and MNIST are kept. One sample says little on a machine whose speed drifts; the report takes medians.
 */
async function coldStarts(browser: Browser, times = 3): Promise<ColdStart[]> {
  const samples: ColdStart[] = [];
  for (let i = 0; i < times; i++) {
    const context = await browser.newContext();
    const first = await context.newPage();
    samples.push(await timeStart(first, 'cold'));
    // The offline note: the service worker has taken the app and MNIST into Cache Storage.
    await first.getByText('works offline').waitFor({ timeout: 60_000 });
    await first.close();
    samples.push(await timeStart(await context.newPage(), 'warm'));
    await context.close();
  }
  return samples;
}

/** The built app in one headless Chromium, served by `vite preview`: measurements to take between others. */
export interface BrowserBench {
  /** Each network trained alone with each kernel (`relaxed`, `simd`: the page's `?kernel=`), `epochs` epochs. */
  epochs(kernels: string[], hiddens: number[], epochs: number): Promise<BrowserEpochs[]>;
  /** Compare 30 vs 100 hidden, one seed each, against the runs alone on the page's own choice of kernel. */
  compare(epochs: number, alone: BrowserEpochs[]): Promise<BrowserReport['compare']>;
  coldStarts(): Promise<ColdStart[]>;
  close(): Promise<void>;
}

/** dist/ served by `vite preview`, and a headless Chromium. */
async function startPreview(): Promise<{ browser: Browser; server: ChildProcess }> {
  // Loaded only here: importing Playwright slows the TypeScript path of the Node cases by about 40%.
  const { chromium } = await import('@playwright/test');
  const { chromiumArgs, executablePath } = await import('../playwright.config');
  if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
  await waitForServer(BASE, server);
  return { browser: await chromium.launch({ executablePath, args: chromiumArgs }), server };
}

/** A chapter 6 run's epoch line and its exact training time, from its hover text. */
const CONVOLUTIONAL_LINE = /Run (\d+) \(([^)]+)\) · Epoch (\d+): (\d+) \/ 10000, took ([\d.]+) seconds/;

/** Chapter 6 in the page's training worker: one epoch of `examples` digits of a ladder network, per kernel build. */
export interface ConvolutionalBench {
  /**
   * Seconds the page's worker took to train one epoch with `settings` (the page's link: `kind`, `chapter6`,
   * `eta`, …, `epochs=1`) on `kernel` (`?kernel=`); and the path's name.
   */
  epoch(kernel: string, settings: Record<string, string>): Promise<{ seconds: number; kernelName: string }>;
  close(): Promise<void>;
}

export async function openConvolutionalBench(): Promise<ConvolutionalBench> {
  const { browser, server } = await startPreview();
  return {
    async epoch(kernel, settings) {
      const page = await browser.newPage();
      await page.goto(`${BASE}?${new URLSearchParams({ ...settings, kernel })}`);
      await page.getByRole('region', { name: 'Digit viewer' }).getByText('test #0').waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await page.waitForFunction(
        (source) => [...document.querySelectorAll('[role="log"] li')].some((li) => new RegExp(source).test(li.textContent ?? '')),
        CONVOLUTIONAL_LINE.source,
        { timeout: 600_000, polling: 100 },
      );
      const detail = await page
        .getByRole('log', { name: 'Training log' })
        .getByRole('listitem')
        .filter({ hasText: CONVOLUTIONAL_LINE })
        .first()
        .getAttribute('title');
      await page.close();
      const exact = DETAIL.exec(detail ?? '');
      if (!exact) throw new Error(`no training time in “${detail}”`);
      return { seconds: Number(exact[1]), kernelName: exact[2] ?? kernel };
    },
    async close() {
      await browser.close();
      server.kill();
    },
  };
}

export async function openBrowserBench(): Promise<BrowserBench> {
  const { browser, server } = await startPreview();
  const pages = new Map<string, Page>();
  const pageFor = async (kernel: string) => {
    if (!pages.has(kernel)) {
      const page = await browser.newPage();
      await page.goto(`${BASE}?kernel=${kernel}`);
      pages.set(kernel, page);
    }
    return pages.get(kernel)!;
  };
  return {
    async epochs(kernels, hiddens, epochs) {
      const rows: BrowserEpochs[] = [];
      for (const kernel of kernels) rows.push(...(await kernelRows(await pageFor(kernel), kernel, hiddens, epochs)));
      return rows;
    },
    compare: (epochs, alone) => compareRows(browser, epochs, alone),
    coldStarts: () => coldStarts(browser),
    async close() {
      await browser.close();
      server.kill();
    },
  };
}
