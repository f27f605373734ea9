/**
 * The first-layer weight maps: they follow a run as it trains, open large, and say why chapter 1's
 * N(0, 1) start looks like noise, with what training changed underneath and chapter 3's start beside it.
 */
import { expect, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

/** `… training has moved a typical neuron’s by 14% of their starting size …` as a fraction. */
async function moved(text: Promise<string | null>): Promise<number> {
  const m = /moved a typical neuron’s by (\d+(?:\.\d+)?)% of their starting size/.exec((await text) ?? '');
  if (!m) throw new Error(`no share moved in: ${await text}`);
  return Number(m[1]) / 100;
}

test('weight maps follow a slow run, open large, show what training changed, and set chapter 1’s noisy start beside chapter 3’s', async ({
  app,
  page,
}) => {
  test.slow();
  const maps = page.getByRole('figure', { name: 'First-layer weights' });
  // 100 mini-batches an epoch at 100 a second: about two seconds of training to watch.
  await app.set({ Epochs: '2', 'Training examples': '1000', Seed: '4' });
  await page.getByLabel('Pace').selectOption({ label: '100 mini-batches/s' });
  await app.trainButton.click();
  // Mid-epoch the pictures are the network as it is now: they change between two looks.
  const tile = maps.getByRole('button', { name: 'Weights of hidden neuron 0' });
  await expect(tile).toBeVisible({ timeout: 30_000 });
  const picture = () => tile.locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const first = await picture();
  await expect.poll(picture, { timeout: 30_000 }).not.toBe(first);
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });

  // Why noise: N(0, 1), and how little training moved the weights, measured.
  await expect(maps).toContainText('Why they look like noise: chapter 1 draws every weight from N(0, 1)');
  const chapter1 = await moved(maps.textContent());
  expect(chapter1).toBeGreaterThan(0);
  expect(chapter1).toBeLessThan(0.5);
  // What training changed: other pictures than the weights themselves.
  const now = await picture();
  await maps.getByRole('radio', { name: 'What training changed' }).check();
  await expect.poll(picture).not.toBe(now);

  // One neuron, large: now, at the start, and the change, with its bias; next and previous; Escape closes.
  await tile.click();
  const dialog = page.getByRole('dialog', { name: 'Hidden neuron 0 of Run 1' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('img')).toHaveCount(3);
  await expect(dialog).toContainText(/Bias -?\d+\.\d{3}; its 784 weights run from -?\d+\.\d\d to -?\d+\.\d\d; training has moved them by/);
  await expectNoAxeViolations(page, 'the page with a neuron open large');
  await dialog.getByRole('button', { name: 'Next neuron' }).click();
  await expect(page.getByRole('dialog', { name: 'Hidden neuron 1 of Run 1' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Chapter 3's start for contrast: the same network from N(0, 1/√784); training moves it far more, relative to its start.
  await maps.getByRole('button', { name: 'Train Run 1’s network with chapter 3’s start' }).click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
  await page.getByRole('button', { name: 'View Run 2' }).click();
  await expect(maps).toContainText('Chapter 3’s start: every weight drawn from N(0, 1/√784)');
  expect(await moved(maps.textContent())).toBeGreaterThan(3 * chapter1);
});
