/**
 * What a fresh visitor's browser pays for the page: the bytes downloaded until the first epoch line, and
 * the renderer's memory (RSS and PSS of Chromium's renderer processes, which hold the page and all its
 * workers) when MNIST has loaded, while Compare trains two networks, and after they stop.
 *
 *   npx tsx scripts/measure-page.ts [--dist dist] [--mount /mnist/] [--epochs 30]
 *
 * Serves `dist` with the tests' plain static server under `mount`, in a fresh Chromium profile. Linux
 * only (it reads /proc). Not a test: the figures go in notes and the README.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumArgs, executablePath } from '../playwright.config';
import { serveStatic } from '../e2e/support/static-server';

const { values: options } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    mount: { type: 'string', default: '/mnist/' },
    epochs: { type: 'string', default: '30' },
  },
});

/** kB fields of /proc/PID/smaps_rollup (Rss, Pss), in MB. */
function memoryOf(pid: number): { rss: number; pss: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) / 1024;
  return { rss: field('Rss'), pss: field('Pss') };
}

const server = await serveStatic(options.dist, null, options.mount);
const browser = await chromium.launch({
  executablePath,
  args: [...chromiumArgs, '--js-flags=--expose-gc'],
});
const cdp = await browser.newBrowserCDPSession();
const context = await browser.newContext();
const page = await context.newPage();

async function rendererMemory(): Promise<string> {
  // Collect garbage in the page and every worker first, so what is left is what the page holds.
  await page.evaluate(() => (globalThis as { gc?: () => void }).gc?.());
  await Promise.all(page.workers().map((worker) => worker.evaluate(() => (globalThis as { gc?: () => void }).gc?.()).catch(() => {})));
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  const renderers = processInfo.filter((p) => p.type === 'renderer').map((p) => memoryOf(p.id));
  const sum = (key: 'rss' | 'pss') => renderers.reduce((total, m) => total + m[key], 0).toFixed(0);
  const each = renderers.map((m) => m.pss.toFixed(0)).join(' + ');
  return `${sum('rss')} MB RSS, ${sum('pss')} MB PSS (${each}: ${renderers.length} renderer processes; ${page.workers().length} workers)`;
}

const started = Date.now();
await page.goto(server.url);
await page.getByRole('region', { name: 'Digit viewer' }).getByText('test #0').waitFor({ timeout: 120_000 });
console.log(`MNIST loaded after ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`loaded, idle:      ${await rendererMemory()}`);

await page.getByLabel('Epochs', { exact: true }).fill(options.epochs);
await page.getByRole('button', { name: 'Compare 30 vs 100 hidden' }).click();
const log = page.getByRole('log', { name: 'Training log' });
await log
  .getByText(/Epoch 0: \d+ \/ 10000/)
  .first()
  .waitFor({ timeout: 120_000 });
const bytes = server.served.reduce((sum, s) => sum + s.bytes, 0);
const mnist = server.served.filter((s) => s.path.endsWith('-ubyte.gz'));
console.log(
  `downloaded until the first epoch line: ${(bytes / 1e6).toFixed(2)} MB in ${server.served.length} responses` +
    ` (MNIST: ${mnist.length} responses, ${(mnist.reduce((sum, s) => sum + s.bytes, 0) / 1e6).toFixed(2)} MB)`,
);
await log
  .getByText(/Epoch 1: \d+ \/ 10000/)
  .nth(1)
  .waitFor({ timeout: 120_000 });
console.log(`Compare training:  ${await rendererMemory()}`);
await page.getByRole('button', { name: 'Stop', exact: true }).click();
// The two training workers end; the viewer's and the evaluator's stay.
while (page.workers().length > 2) await new Promise((resolve) => setTimeout(resolve, 100));
console.log(`after Stop:        ${await rendererMemory()}`);

await browser.close();
await server.close();
