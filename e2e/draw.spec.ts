import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { DIGIT_STROKES, type TrainerPage } from './pages/trainer-page';
import { describeTasks, mainThreadTasks } from './support/main-thread';
import { greyPng } from './support/png';

const photo = (name: string) => fileURLToPath(new URL(`./photos/${name}`, import.meta.url));

test('before any run the pad says so and offers to train one', async ({ app }) => {
  await expect(app.page.getByText('No trained network yet')).toBeVisible();
  await app.draw([
    [
      [140, 50],
      [140, 230],
    ],
  ]);
  await expect(app.prediction).toHaveText('');
  await app.page.getByRole('button', { name: 'Train a network' }).click();
  await expect(app.run('Run 1')).toBeVisible();
  await expect(app.prediction).toHaveText(/^\d$/, { timeout: 90_000 });
});

test('digits drawn with the mouse are read by the trained network, and reading never blocks the page', async ({ app, browser }) => {
  await app.trainBriefly();
  await expect(app.prediction).toHaveText('');
  const tasks = await mainThreadTasks(browser, app.page, () => drawThreeDigits(app));
  console.log(`longest main-thread tasks while drawing (of ${tasks.length}): ${describeTasks(tasks)}`);
  expect(tasks[0].cpuMs).toBeLessThan(50);
});

async function drawThreeDigits(app: TrainerPage): Promise<void> {
  await app.draw(DIGIT_STROKES['1']);
  await expect(app.prediction).toHaveText('1');
  await expect(app.page.getByRole('img', { name: 'What the network sees (28 × 28)' })).toBeVisible();

  await app.clearButton.click();
  await expect(app.prediction).toHaveText('');
  await app.draw(DIGIT_STROKES['7']);
  await expect(app.prediction).toHaveText('7');

  await app.clearButton.click();
  await app.draw(DIGIT_STROKES['0']);
  await expect(app.prediction).toHaveText('0');
}

test('image files of digits are read, dark on light and light on dark; a file that is not an image is refused', async ({ app }) => {
  await app.trainBriefly();
  for (const [file, digit] of [
    ['test-0-label-7-dark-on-light.png', '7'],
    ['test-1-label-2-dark-on-light.png', '2'],
    ['test-2-label-1-dark-on-light.png', '1'],
    ['test-3-label-0-light-on-dark.png', '0'],
  ]) {
    await app.imageFile.setInputFiles(photo(file));
    await expect(app.prediction, file).toHaveText(digit);
    await expect(app.page.getByText(`Showing ${file}.`)).toBeVisible();
  }
  await app.imageFile.setInputFiles(photo('not-an-image.png'));
  await expect(app.page.getByRole('alert')).toContainText('“not-an-image.png” is not an image this page can read');
  await expect(app.prediction).toHaveText('0');
});

test('a photo dropped onto the pad is read like a chosen file', async ({ app, page }) => {
  await app.trainBriefly();
  const bytes = readFileSync(photo('test-1-label-2-dark-on-light.png')).toString('base64');
  const dataTransfer = await page.evaluateHandle((base64) => {
    const transfer = new DataTransfer();
    const binary = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([binary], 'dropped-2.png', { type: 'image/png' }));
    return transfer;
  }, bytes);
  await app.pad.scrollIntoViewIfNeeded();
  await app.pad.dispatchEvent('dragover', { dataTransfer });
  await app.pad.dispatchEvent('drop', { dataTransfer });
  await expect(app.prediction).toHaveText('2');
  await expect(page.getByText('Showing dropped-2.png.')).toBeVisible();
});

test('an image of one tone, black or white, is refused as holding no digit', async ({ app, page }) => {
  await app.trainBriefly(1);
  for (const colour of ['#000000', '#ffffff', '#3a3a3a']) {
    const base64 = await page.evaluate((fill) => {
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 240;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = fill;
      ctx.fillRect(0, 0, 320, 240);
      return canvas.toDataURL('image/png').split(',')[1];
    }, colour);
    await app.imageFile.setInputFiles({
      name: `solid-${colour.slice(1)}.png`,
      mimeType: 'image/png',
      buffer: Buffer.from(base64, 'base64'),
    });
    await expect(page.getByRole('alert').filter({ hasText: 'No digit found' }), colour).toHaveText(
      `No digit found in “solid-${colour.slice(1)}.png”: it is blank, or all one tone.`,
    );
    await expect(app.prediction, colour).toHaveText('');
  }
});

test('a photo of 46 megapixels is read without holding the page, and one of 400 megapixels is refused by its header at once', async ({
  app,
  browser,
}) => {
  test.slow();
  await app.trainBriefly();
  // A thick dark 1 on white, 7,200 × 6,400: a phone photo's size.
  const [width, height] = [7200, 6400];
  const white = new Uint8Array(width).fill(255);
  const bar = new Uint8Array(width).fill(255).fill(20, 3300, 3900);
  const big = greyPng(width, height, (y) => (y > 900 && y < 5500 ? bar : white));
  const huge = greyPng(20_000, 20_000, () => new Uint8Array(20_000).fill(255));
  const tasks = await mainThreadTasks(browser, app.page, async () => {
    await app.imageFile.setInputFiles({ name: 'phone-1.png', mimeType: 'image/png', buffer: big });
    await expect(app.page.getByText('Showing phone-1.png.')).toBeVisible({ timeout: 30_000 });
    await expect(app.prediction).toHaveText('1');
    await app.imageFile.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await expect(app.page.getByRole('alert')).toContainText(
      '“huge.png” is 20,000 × 20,000 pixels (400 megapixels); photos up to 100 megapixels are read. Crop or shrink it first.',
    );
  });
  console.log(`longest main-thread tasks while reading the photos (of ${tasks.length}): ${describeTasks(tasks)}`);
  expect(tasks[0].cpuMs).toBeLessThan(50);
});
