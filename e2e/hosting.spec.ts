/**
 * The built app as teachers publish it: dist/ copied under a nested path of a plain static server (no
 * Vite), like GitHub Pages under /repository-name/. It must ask for nothing outside that path, download
 * MNIST once per page however many workers need it, keep working with the server gone, and take a new
 * version only when the person says so and no run is training.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { EPOCH_LINE, TrainerPage } from './pages/trainer-page';
import { serveStatic, type StaticServer } from './support/static-server';
import { MNIST_FILES as MNIST_FILE_NAMES } from '../src/data/mnist';

const MOUNT = '/a/b/c/';
const MNIST_FILES = Object.values(MNIST_FILE_NAMES);

let root: string;
let server: StaticServer;
test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mnist-live-host-'));
  cpSync('dist', root, { recursive: true });
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));
test.beforeEach(async () => {
  server = await serveStatic(root, null, MOUNT);
});
test.afterEach(async () => {
  await server.close();
});

/** Open the app under the mount and wait until MNIST is loaded. */
async function openApp(app: TrainerPage): Promise<void> {
  await app.open(server.url);
  await app.mnistLoaded(60_000);
}

test(`under ${MOUNT} of a plain static server it trains, and asks for nothing outside that path`, async ({ page }) => {
  const app = new TrainerPage(page);
  await openApp(app);
  await app.set({ Epochs: '1', 'Training examples': '5000' });
  await app.trainButton.click();
  await expect(app.log).toContainText(EPOCH_LINE);
  await app.draw([
    [
      [140, 60],
      [140, 230],
    ],
  ]);
  await expect(app.prediction).toHaveText(/^\d$/);
  expect(server.requests.filter((path) => !path.startsWith(MOUNT))).toEqual([]);
  expect(server.served.filter((s) => s.status !== 200)).toEqual([]);
  // Scripts, styles, both workers, the manifest, icons and the four MNIST files all came from under the path.
  const paths = server.served.map((s) => s.path.slice(MOUNT.length));
  expect(paths).toEqual(expect.arrayContaining(['', 'manifest.webmanifest', 'sw.js', 'icons/favicon-32.png', ...MNIST_FILES]));
  for (const job of ['training', 'inspecting']) expect(paths.filter((p) => p.startsWith(`assets/${job}.worker-`))).not.toEqual([]);
});

test('a server that sends the .gz files with Content-Encoding: gzip (inflated by the browser) works as well', async ({ page }) => {
  server.setFault((path, _req, res) => {
    const file = MNIST_FILES.find((name) => path === MOUNT + name);
    if (!file) return false;
    const bytes = readFileSync(join(root, file));
    res
      .writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': bytes.length })
      .end(bytes);
    return true;
  });
  const app = new TrainerPage(page);
  await openApp(app);
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.log).toContainText(EPOCH_LINE);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a page downloads MNIST once (about 11 MB to the first epoch line), however many workers need it: Compare, the viewer, a model import', async ({
  page,
}) => {
  const app = new TrainerPage(page);
  await openApp(app);
  await app.set({ Epochs: '1', 'Training examples': '2000', 'Seeds per network': '1' });
  await app.compareButton.click();
  await expect(app.log).toContainText(EPOCH_LINE);
  const bytesToFirstEpoch = server.served.reduce((sum, s) => sum + s.bytes, 0);
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 90_000 });
  // A model file is read and measured on the test digits in a worker of its own: it too gets the data from
  // the keeper. All weights 0: every output is σ(0), argmax picks 0, so it reads the 980 zeros right.
  const zeros = `{"sizes":[784,10],"weights":[[${Array(10)
    .fill(`[${Array(784).fill(0).join(',')}]`)
    .join(',')}]],"biases":[[${Array(10).fill('[0]').join(',')}]],"cost":"QuadraticCost"}`;
  await page.getByLabel('Load model').setInputFiles({ name: 'zeros.json', mimeType: 'application/json', buffer: Buffer.from(zeros) });
  await expect(app.log).toContainText('Run 3 · Loaded model 784-10: 980 / 10000');
  // Two inspecting workers, two training workers and an importing one had the data; each file was asked for once.
  for (const file of MNIST_FILES) expect(server.requests.filter((path) => path === MOUNT + file)).toHaveLength(1);
  const mnistBytes = server.served.filter((s) => MNIST_FILES.some((file) => s.path.endsWith(file))).reduce((sum, s) => sum + s.bytes, 0);
  expect(mnistBytes).toBeGreaterThan(11e6);
  // The app itself (scripts, styles, icons, and the service worker's copy of them: each script twice) adds
  // 1.75 MB uncompressed as measured with chapter 6 (1.53 MB before it: its kernel and layers added 88 KB of
  // scripts, 31 KB to each worker and 25 KB to the page, each fetched twice); 1.8 MB at most.
  expect(bytesToFirstEpoch - mnistBytes).toBeLessThan(1.8e6);
  console.log(`bytes to the first epoch line: ${bytesToFirstEpoch} (MNIST ${mnistBytes})`);
});

test('after one visit it opens, trains, shows digits and reads a drawing with the server gone', async ({ page }) => {
  const app = new TrainerPage(page);
  await openApp(app);
  await expect(page.getByText('works offline')).toBeVisible();
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 90_000 });

  await server.close();
  await page.reload();
  await app.mnistLoaded(60_000);
  await expect(app.run('Run 1')).toContainText('finished');
  await app.viewer.getByRole('button', { name: 'Next →' }).click();
  await expect(app.viewer.getByText('test #1')).toBeVisible();
  await app.set({ Epochs: '1', 'Training examples': '2000', Seed: '2' });
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 90_000 });
  expect((await app.epochLines()).length).toBe(2);
  await app.draw([
    [
      [140, 60],
      [140, 230],
    ],
  ]);
  await expect(app.prediction).toHaveText(/^\d$/);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the manifest, its icons and the service worker make it installable', async ({ page }) => {
  const app = new TrainerPage(page);
  await openApp(app);
  await expect(page.getByText('works offline')).toBeVisible();
  const cdp = await page.context().newCDPSession(page);
  const { errors } = await cdp.send('Page.getAppManifest');
  expect(errors).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // A test's browser context is an incognito one: the only reason Chromium would not offer to install.
  // (With the icons missing it also says `no-acceptable-icon`.)
  expect(installabilityErrors.map((e) => e.errorId)).toEqual(['in-incognito']);
});

test('a new version is announced, and its Reload waits until no run is training', async ({ page }) => {
  const app = new TrainerPage(page);
  await openApp(app);
  await expect(page.getByText('works offline')).toBeVisible();
  // Publish a new version: a service worker that differs by a byte.
  server.setFault((path, _req, res) => {
    if (path !== `${MOUNT}sw.js`) return false;
    const sw = readFileSync(join(root, 'sw.js'), 'utf8');
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(`${sw}\n// a new version\n`);
    return true;
  });
  // Training still when Reload is clicked, however long the update takes on a busy machine: after its first
  // epoch (kept, so the run is there after the reload) it goes on at a slow pace; at full speed its 200
  // epochs once ended first (27 s, under load).
  await app.set({ Epochs: '200', 'Training examples': '50000' });
  await app.trainButton.click();
  await expect(app.log).toContainText('Epoch 0:', { timeout: 60_000 });
  await page.getByLabel('Pace').selectOption({ label: '100 mini-batches/s' });
  await expect(app.progress).toHaveAttribute('aria-valuenow', /^[1-9]\d*$/, { timeout: 60_000 });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const banner = page.getByRole('status').filter({ hasText: 'A new version is ready' });
  await expect(banner).toBeVisible();
  await page.evaluate(() => ((window as { beforeReload?: boolean }).beforeReload = true));
  await banner.getByRole('button', { name: 'Reload' }).click();
  await expect(banner).toContainText('reloads as soon as no run is training');
  // Still the same page, still training.
  const progressBefore = Number(await app.progress.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number(await app.progress.getAttribute('aria-valuenow'))).not.toBe(progressBefore);
  expect(await page.evaluate(() => (window as { beforeReload?: boolean }).beforeReload)).toBe(true);

  const reloaded = page.waitForEvent('load');
  await app.stopButton.click();
  await reloaded;
  await app.mnistLoaded(60_000);
  expect(await page.evaluate(() => (window as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
  await expect(page.getByText('A new version is ready')).toHaveCount(0);
  await expect(app.run('Run 1')).toContainText('stopped');
});

/**
 * Publish a second build in `dir`, as a deploy would: the training worker changed, so it has a new hashed
 * name, and so has every file that names it (their contents changed too); the old files are gone.
 */
function deploySecondBuild(dir: string): void {
  const assets = join(dir, 'assets');
  const files = () => ['index.html', 'sw.js', ...readdirSync(assets).map((name) => `assets/${name}`)];
  const rename = (file: string, text: string) => {
    const renamed = file.replace(/-[\w-]+\.js$/, '-build2.js');
    writeFileSync(join(dir, renamed), text);
    rmSync(join(dir, file));
    for (const other of files()) {
      const content = readFileSync(join(dir, other), 'utf8');
      const oldName = file.slice('assets/'.length);
      if (!content.includes(oldName)) continue;
      const changed = content.replaceAll(oldName, renamed.slice('assets/'.length));
      // A hashed file whose content changed gets a new name in turn, as the bundler would give it.
      if (other.startsWith('assets/') && !other.includes('-build2')) rename(other, changed);
      else writeFileSync(join(dir, other), changed);
    }
  };
  const worker = files().find((name) => name.startsWith('assets/training.worker-'))!;
  rename(worker, `${readFileSync(join(dir, worker), 'utf8')}\n// build 2\n`);
  // index.html names the new entry chunk: the service worker's list gives it a new revision.
  const sw = join(dir, 'sw.js');
  writeFileSync(sw, readFileSync(sw, 'utf8').replace(/(url:"index\.html",revision:")\w+"/, '$1build2"'));
}

test('a tab of an older version, taken over by a newer one from another tab, asks for a reload before it trains, then trains', async ({
  page,
  context,
}) => {
  test.slow();
  const dir = mkdtempSync(join(tmpdir(), 'mnist-live-deploy-'));
  cpSync('dist', dir, { recursive: true });
  const own = await serveStatic(dir, null, MOUNT);
  try {
    const app = new TrainerPage(page);
    await app.open(`${own.url}?epochs=1&trainingExamples=2000`);
    await app.mnistLoaded(60_000);
    await expect(page.getByText('works offline')).toBeVisible();
    deploySecondBuild(dir);
    // Another tab finds the new version, and takes it with its Reload.
    const other = new TrainerPage(await context.newPage());
    await other.open(own.url);
    await other.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const otherBanner = other.page.getByRole('status').filter({ hasText: 'A new version is ready' });
    await otherBanner.getByRole('button', { name: 'Reload' }).click();
    await other.mnistLoaded(60_000);
    // The first tab is taken over too; its own training worker's file is gone from the cache and the server.
    const banner = page.getByRole('status').filter({ hasText: 'A new version' });
    await expect(banner).toContainText('A new version is ready');
    await app.trainButton.click();
    await expect(banner).toContainText('this tab’s older files are gone: reload to train (your runs are kept)');
    await expect(app.runs.getByRole('listitem')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await banner.getByRole('button', { name: 'Reload' }).click();
    await app.mnistLoaded(60_000);
    await app.trainButton.click();
    await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
    expect(own.served.some((s) => s.path.endsWith('training.worker-build2.js') && s.status === 200)).toBe(true);
  } finally {
    await own.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with too little storage for MNIST, the page says it is not kept and never claims to work offline', async ({ page }) => {
  const app = new TrainerPage(page);
  const cdp = await page.context().newCDPSession(page);
  // 5 MB for this origin: the app's own files fit, MNIST's 11 MB do not.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: 5_000_000 });
  await openApp(app);
  await expect(page.getByRole('status').filter({ hasText: 'MNIST could not be kept in this browser' })).toContainText(
    'MNIST could not be kept in this browser (the browser’s storage is full): the page works, but needs the network to load it on your next visit.',
  );
  const keptFiles = await page.evaluate(async () => (await (await caches.open('mnist-live-data-v1')).keys()).length);
  expect(keptFiles).toBe(0);
  // The page itself is kept (its service worker controls the next visit), but without MNIST it cannot work
  // offline: once that visit has MNIST (downloaded again, not kept), it does not say it does.
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active !== null)).toBe(true);
  await page.reload();
  await app.mnistLoaded(60_000);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'MNIST could not be kept in this browser' })).toBeVisible();
  await expect(page.getByText('works offline')).toHaveCount(0);
  // It still trains.
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
});
