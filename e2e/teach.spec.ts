import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { drawnInput, STYLES } from '../fixtures/strokes';
import { readmeShot } from './support/readme-shots';

/** A 7 crossed low on its stem, moved by (dx, dy) and slanted by `lean`, in pad units (0–280). */
const crossedSeven = (dx: number, dy: number, lean: number): [number, number][][] => {
  const at = (x: number, y: number): [number, number] => [x + dx + lean * (140 - y), y + dy];
  return [
    [at(75, 50), at(205, 50), at(125, 240)],
    [at(100, 185), at(190, 185)],
  ];
};
const TAUGHT = [
  crossedSeven(0, 0, 0),
  crossedSeven(-12, 6, 0.1),
  crossedSeven(10, -4, -0.1),
  crossedSeven(4, 8, 0.2),
  crossedSeven(-6, -8, -0.15),
];
const UNSEEN = [crossedSeven(8, 4, 0.05), crossedSeven(-10, -2, -0.2), crossedSeven(2, 10, 0.15)];

test('teach it my hand: crossed 7s labelled on the pad and fine-tuned read right, MNIST holds, and My digits survive a reload', async ({
  app,
  page,
}, testInfo) => {
  test.slow();
  await app.mnistLoaded();
  await app.set({ Seed: '3' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 120_000 });
  const fineTune = page.getByRole('button', { name: 'Fine-tune on my digits' });
  await expect(fineTune).toBeDisabled();

  const readAll = async (drawings: [number, number][][][]) => {
    const reads: string[] = [];
    for (const strokes of drawings) {
      await app.clearButton.click();
      await app.draw(strokes);
      await expect(app.prediction).toHaveText(/^\d$/);
      reads.push((await app.prediction.textContent())!);
    }
    return reads;
  };
  const unseenBefore = await readAll(UNSEEN);
  const taughtBefore: string[] = [];
  for (const strokes of TAUGHT) {
    taughtBefore.push(...(await readAll([strokes])));
    await page.getByRole('button', { name: "It's a 7" }).click();
  }
  console.log(
    `before teaching, Run 1 reads the crossed 7s to teach as ${taughtBefore.join(' ')}, the unseen ones as ${unseenBefore.join(' ')}`,
  );
  // Seed 3's 784-30-10 misreads some of them (2 and 3 for 7, as it did here: 7 7 2 7 3 and 7 3 7); else there is nothing to teach.
  expect([...taughtBefore, ...unseenBefore].filter((digit) => digit !== '7').length).toBeGreaterThan(0);
  const mine = page.getByRole('list', { name: 'My digits' });
  await expect(mine.getByRole('listitem')).toHaveCount(5);
  await expect(mine.getByRole('img', { name: 'My digit 5: a 7' })).toBeVisible();

  await expect(fineTune).toBeEnabled();
  await fineTune.click();
  await expect(app.run('Run 2')).toContainText('tuned from Run 1 on 5 of your digits');
  const tuned = app.log.getByText(
    /^Fine-tuned Run 2 on 5 of your digits: (\d+) \/ 10000 \(Run 1: (\d+)\); your digits read right: (\d) of 5/,
  );
  await expect(tuned).toBeVisible({ timeout: 120_000 });
  const [, after, before, mineRight] = /: (\d+) \/ 10000 \(Run 1: (\d+)\); your digits read right: (\d)/.exec(
    (await tuned.textContent())!,
  )!;
  console.log((await tuned.textContent())!);
  expect(Number(mineRight)).toBe(5);
  expect(Number(after)).toBeGreaterThanOrEqual(Number(before) - 50);
  await expect(app.run('Run 2')).toContainText('finished');
  await expect(page.getByText('Read by Run 2.')).toBeVisible();
  // The pad reads with the tuned network: the taught 7s and ones it never saw.
  expect(await readAll([...TAUGHT, ...UNSEEN])).toEqual(Array(TAUGHT.length + UNSEEN.length).fill('7'));
  await readmeShot(page.locator('#drawing-pad'), 'teach.png', testInfo);
  // Run 1 is still there, as it was.
  await expect(app.run('Run 1')).toContainText('finished');

  // The set downloads as the documented JSON, and survives a reload; a digit removed stays removed.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my digits' }).click();
  const file = JSON.parse(readFileSync(await (await downloading).path(), 'utf8'));
  expect(file.format).toBe('mnist-live/my-digits');
  expect(file.digits.map((d: { label: number }) => d.label)).toEqual([7, 7, 7, 7, 7]);
  expect(Buffer.from(file.digits[0].pixels, 'base64')).toHaveLength(784);
  await page.reload();
  await expect(mine.getByRole('listitem')).toHaveCount(5);
  await page.getByRole('button', { name: 'Remove my digit 2 (a 7)' }).click();
  await expect(mine.getByRole('listitem')).toHaveCount(4);
  await page.reload();
  await expect(mine.getByRole('listitem')).toHaveCount(4);
  // Loading the downloaded file adds its five again; a broken file says why and changes nothing.
  await page
    .getByLabel('Load my digits')
    .setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(mine.getByRole('listitem')).toHaveCount(9);
  await page
    .getByLabel('Load my digits')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"digits": 3') });
  await expect(page.getByRole('alert').filter({ hasText: '“broken.json” could not be loaded: it is not JSON' })).toBeVisible();
  await expect(mine.getByRole('listitem')).toHaveCount(9);
});

test('Distort the training data trains on redrawn digits: the card says so, and the strength is checked as typed', async ({
  app,
  page,
}) => {
  await app.mnistLoaded();
  await page.getByText('Chapter 3: cost, regularisation, initialisation').click();
  await page.getByLabel('Distort the training data').check();
  const strength = page.getByLabel('Distortion strength', { exact: true });
  await strength.fill('5');
  await expect(strength).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('the strength must be at most 2')).toBeVisible();
  await expect(app.trainButton).toBeDisabled();
  await strength.fill('1.5');
  await app.set({ Epochs: '2', 'Training examples': '5000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await expect(app.run('Run 1')).toContainText('distorted data (1.5)');
  const lines = await app.epochLines();
  expect(lines).toHaveLength(2);
  // Harder digits learn more slowly: 63% after two epochs of 5,000 here (undistorted, about 88%); chance is 10%.
  expect(lines[1].correct).toBeGreaterThan(5000);
  expect(new URL(page.url()).searchParams.get('distort')).toBe('true');
});

/**
 * Mean |a − b| per pixel (0–255) of two 28 × 28 digits, at the best of the nine one-pixel shifts of `b`: the
 * pointer's whole-pixel positions can tip the centre of mass to the next pixel.
 */
function leastDifference(a: number[], b: Float32Array): number {
  let least = Infinity;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      let sum = 0;
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const [sx, sy] = [x - dx, y - dy];
          const v = sx < 0 || sy < 0 || sx > 27 || sy > 27 ? 0 : Math.round(b[sy * 28 + sx] * 256);
          sum += Math.abs(a[y * 28 + x] - v);
        }
      }
      least = Math.min(least, sum / 784);
    }
  }
  return least;
}

test('the outside-MNIST styles drawn with the mouse on the real pad give the inputs their Node rendering gives', async ({ app, page }) => {
  // Once loaded: the loading card above the pad goes away then, and the page moving mid-stroke would bend the strokes.
  await app.mnistLoaded();
  const sees = page.getByRole('img', { name: 'What the network sees (28 × 28)' });
  const differences: string[] = [];
  for (const [style, { strokes }] of Object.entries(STYLES)) {
    await app.clearButton.click();
    await app.draw(strokes());
    // The 28 × 28 the page made (ink dark on light, as DigitCanvas draws it), once the last stroke has been read.
    const expected = drawnInput(strokes(), 280 / 12);
    let mean = Infinity;
    await expect
      .poll(async () => {
        const seen = await sees.evaluate((canvas: HTMLCanvasElement) =>
          Array.from(
            canvas
              .getContext('2d')!
              .getImageData(0, 0, 28, 28)
              .data.filter((_, i) => i % 4 === 0),
            (v) => 255 - v,
          ),
        );
        mean = leastDifference(seen, expected);
        return mean;
      }, style)
      .toBeLessThan(3);
    differences.push(`${style} ${mean.toFixed(1)}`);
  }
  console.log(`mean |page − Node| per pixel (0–255, best one-pixel shift): ${differences.join(', ')}`);
});
