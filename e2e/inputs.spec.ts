/**
 * Nothing a person does is dropped: every control acts on what it is given as soon as it is enabled, or
 * says what it waits for. MNIST's download is held by the test (its four files do not arrive until the
 * test lets them), so "while it loads" is certain on a fast machine as on a slow one.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DIGIT_STROKES, EPOCH_LINE, TrainerPage } from './pages/trainer-page';

const photo = (name: string) => fileURLToPath(new URL(`./photos/${name}`, import.meta.url));

// The files must come from the network, where the test holds them, not from the service worker's copy.
test.use({ serviceWorkers: 'block' });

/** Hold MNIST's four files until `release()`; `asked` tells once the page has asked for them. */
async function holdMnist(page: Page) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  await page.route(/-ubyte\.gz$/, async (route) => {
    asked++;
    await held;
    await route.continue().catch(() => {});
  });
  return { release, asked: () => asked };
}

/** Open the app with MNIST held back; the page is up, its download under way and stuck. */
async function openWithMnistHeld(page: Page, path = '/') {
  const hold = await holdMnist(page);
  const app = new TrainerPage(page);
  await page.goto(path);
  await expect.poll(hold.asked).toBeGreaterThan(0);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  return { app, release: hold.release };
}

/** The sum of the ink in the canvas labelled `label` (0: blank). */
const inkOf = (page: Page, label: string) =>
  page.getByRole('img', { name: label }).evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) ink += 255 - data[i];
    return ink;
  });

test('Train pressed while MNIST downloads: the run says it waits for the data, then trains', async ({ page }) => {
  const { app, release } = await openWithMnistHeld(page, '/?epochs=1&trainingExamples=2000');
  await app.trainButton.click();
  await expect(page.getByText(/^Run 1: (downloading|decompressing) MNIST… \d+%$|^Run 1: starting the worker…$/)).toBeVisible();
  await expect(app.log.getByRole('listitem')).toHaveText(['Press Train: each epoch prints a line here, as network.py does.']);
  release();
  await expect(app.log).toContainText(EPOCH_LINE);
  await expect(app.run('Run 1')).toContainText('finished');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a digit drawn while MNIST downloads is read as soon as it has loaded, and the pad says it waits', async ({ page }) => {
  const { app, release } = await openWithMnistHeld(page);
  await app.draw(DIGIT_STROKES['7']);
  const waiting = page.getByText('MNIST is still loading: your digit is read as soon as it has.');
  await expect(waiting).toBeVisible();
  expect(await inkOf(page, 'What the network sees (28 × 28)')).toBe(0);
  release();
  await expect(waiting).toHaveCount(0);
  await expect.poll(() => inkOf(page, 'What the network sees (28 × 28)')).toBeGreaterThan(0);
});

test('a photo chosen while MNIST downloads waits too, and is read after', async ({ page }) => {
  const { app, release } = await openWithMnistHeld(page);
  await app.imageFile.setInputFiles(photo('test-2-label-1-dark-on-light.png'));
  const waiting = page.getByText('MNIST is still loading: your digit is read as soon as it has.');
  await expect(waiting).toBeVisible();
  await expect(page.getByText('Showing test-2-label-1-dark-on-light.png.', { exact: false })).toBeVisible();
  release();
  await expect(waiting).toHaveCount(0);
  await expect.poll(() => inkOf(page, 'What the network sees (28 × 28)')).toBeGreaterThan(0);
});

test('My digits loaded from a file while MNIST downloads are added and kept', async ({ page }) => {
  const { app, release } = await openWithMnistHeld(page);
  const seven = Buffer.alloc(784);
  for (let row = 6; row < 22; row++) seven[row * 28 + 14] = 255;
  const file = { format: 'mnist-live/my-digits', version: 1, digits: [{ label: 1, pixels: seven.toString('base64') }] };
  await page
    .getByLabel('Load my digits')
    .setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByText('Loaded 1 digit from “mine.json”.')).toBeVisible();
  release();
  await app.mnistLoaded();
  await expect(page.getByRole('list', { name: 'My digits' }).getByRole('listitem')).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole('list', { name: 'My digits' }).getByRole('listitem')).toHaveCount(1);
});

test('a model file chosen the moment Load model is enabled is loaded, with its progress shown', async ({ page }) => {
  const { app, release } = await openWithMnistHeld(page);
  const input = page.getByLabel('Load model');
  await expect(input).toBeDisabled();
  release();
  await expect(input).toBeEnabled();
  const sizes = [784, 30, 10];
  const rows = (n: number, m: number) =>
    Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, k) => (((j * 31 + k * 17) % 41) - 20) / 100));
  const model = { sizes, weights: [rows(30, 784), rows(10, 30)], biases: [rows(30, 1), rows(10, 1)], cost: 'QuadraticCost' };
  await input.setInputFiles({ name: 'early.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
  await expect(app.log).toContainText(/Run 1 · Loaded model 784-30-10: \d+ \/ 10000/);
  await expect(app.run('Run 1')).toContainText('loaded from early.json');
});

test('a run whose worker never starts says so, with what to do, instead of waiting for ever', async ({ page }) => {
  // A training worker script that loads but never answers (as a blocked or broken script would).
  await page.route(/training\.worker-[^/]*\.js$/, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: 'self.onmessage = () => {};' }),
  );
  const app = new TrainerPage(page);
  await app.open('/?epochs=1&trainingExamples=2000');
  await app.mnistLoaded();
  await app.trainButton.click();
  await expect(page.getByRole('alert')).toContainText('its worker did not start within 15 s', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('Reload the page and train again');
  await expect(app.run('Run 1')).toContainText('failed');
  // The rest of the page keeps working.
  await app.viewer.getByRole('button', { name: 'Next →' }).click();
  await expect(app.viewer.getByText('test #1')).toBeVisible();
});

test('a browser without OffscreenCanvas (Safari before 16.4) still reads a photo', async ({ page }) => {
  await page.addInitScript(() => delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas);
  const app = new TrainerPage(page);
  await app.open();
  await app.mnistLoaded();
  expect(await page.evaluate(() => typeof OffscreenCanvas)).toBe('undefined');
  await app.imageFile.setInputFiles(photo('test-2-label-1-dark-on-light.png'));
  await expect(page.getByText('Showing test-2-label-1-dark-on-light.png.', { exact: false })).toBeVisible();
  await expect.poll(() => inkOf(page, 'What the network sees (28 × 28)')).toBeGreaterThan(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
