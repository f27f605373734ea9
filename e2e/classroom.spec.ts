/** What a teacher and a student lean on: a link that carries the settings, and a pad that says when it guesses. */
import { expect, test } from './fixtures';
import { DIGIT_STROKES } from './pages/trainer-page';

test('Copy link copies the page’s address with the settings, and that link opens with them', async ({ app, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.set({ Epochs: '4', Seed: '17', 'Hidden layers': '40' });
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  await expect(page.getByText('Copied. The link opens this page with these settings')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  const other = await context.newPage();
  await other.goto(copied);
  for (const [field, value] of [
    ['Epochs', '4'],
    ['Seed', '17'],
    ['Hidden layers', '40'],
  ]) {
    await expect(other.getByLabel(field, { exact: true })).toHaveValue(value);
  }
});

test('where the clipboard is refused, Copy link shows the link selected, to copy by hand', async ({ app, page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
  });
  await page.reload();
  await app.set({ Seed: '23' });
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  await expect(page.getByText('The browser would not copy it; copy the link from here:')).toBeVisible();
  const field = page.getByRole('textbox', { name: 'Link to these settings' });
  await expect(field).toHaveValue(page.url());
  expect(await field.evaluate((input: HTMLInputElement) => input.value.slice(input.selectionStart!, input.selectionEnd!))).toBe(page.url());
});

test('the pad says whether the network is sure, as its outputs say: none high or two close is a guess', async ({ app, page }) => {
  await app.trainBriefly(3);
  const certainty = page.locator('#pad-certainty');
  const bars = page.getByRole('figure', { name: 'Output activations for the drawing' });
  /** The sentence the ten outputs call for (the page's rule: the highest below 0.5, or the next within 0.25, is a guess). */
  const expected = async () => {
    const values = (await bars.locator('.number').allTextContents()).map(Number);
    const order = values.map((v, d) => ({ v, d })).sort((a, b) => b.v - a.v);
    if (order[0].v < 0.5) return `Not sure: no output is high (the highest, ${order[0].d}, is only`;
    if (order[0].v - order[1].v < 0.25) return `Not sure: ${order[0].d} (`;
    return `Sure: output ${order[0].d} is`;
  };
  const seen: string[] = [];
  // A clear 1, then a short dash that is no digit at all.
  for (const strokes of [
    DIGIT_STROKES['1'],
    [
      [
        [110, 140],
        [170, 140],
      ],
    ] as [number, number][][],
  ]) {
    await page.getByRole('button', { name: 'Clear' }).click();
    await app.draw(strokes);
    await expect(app.prediction).not.toHaveText('');
    await expect.poll(async () => (await certainty.textContent())!.startsWith(await expected())).toBe(true);
    seen.push((await certainty.textContent())!);
  }
  expect(seen[0]).toMatch(/^Sure: output 1 is/);
  console.log(`the pad on a 1 and on a dash: ${seen.join(' | ')}`);
});

test('a link with the settings fixed opens with them folded away and read-only, trains that run, and can be unfixed', async ({
  app,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.set({ 'Hidden layers': '40', Epochs: '2', Seed: '9', 'Training examples': '3000' });
  await page.getByRole('button', { name: 'Copy link with the settings fixed' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URL(link).searchParams.get('fixed')).toBe('1');

  const pupil = await context.newPage();
  await pupil.goto(link);
  const epochs = pupil.getByLabel('Epochs', { exact: true });
  await expect(pupil.getByText('The settings come with this link: open to see them')).toBeVisible();
  await expect(epochs).toBeHidden();
  await pupil.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(pupil.getByRole('listitem', { name: 'Run 1', exact: true })).toContainText('784-40-10', { timeout: 60_000 });
  await pupil.getByText('The settings come with this link: open to see them').click();
  await expect(epochs).toHaveValue('2');
  await expect(epochs).toBeDisabled();
  await pupil.getByRole('button', { name: 'Change the settings' }).click();
  await expect(epochs).toBeEnabled();
  expect(new URL(pupil.url()).searchParams.has('fixed')).toBe(false);
});

test('Present fills the screen with the progress, the chart, the network and the log, in large type, until left', async ({ app, page }) => {
  await app.trainBriefly(2);
  await page.getByRole('button', { name: 'Present' }).click();
  expect(new URL(page.url()).searchParams.get('present')).toBe('1');
  // It starts at its top, wherever the page was scrolled to.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole('region', { name: 'Settings' })).toBeHidden();
  await expect(app.viewer).toBeHidden();
  await expect(page.getByRole('img', { name: 'Accuracy per epoch' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Network', exact: true })).toBeVisible();
  await expect(app.log).toBeVisible();
  const size = await app.log.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  // A reload keeps it (it is in the address); then Leave the presentation brings the page back.
  // The chart's own words are drawn on its canvas: the size each text was last drawn at is recorded.
  await page.addInitScript(() => {
    const drawn: Record<string, string> = {};
    (window as unknown as { drawnFonts: typeof drawn }).drawnFonts = drawn;
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
      drawn[String(text)] = this.font;
      return fillText.call(this, text, ...rest);
    };
  });
  const axisTitleSize = () =>
    page.evaluate(() =>
      parseFloat((window as unknown as { drawnFonts: Record<string, string> }).drawnFonts.epoch?.match(/(\d+(\.\d+)?)px/)?.[1] ?? '0'),
    );
  await page.reload();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeHidden();
  await expect.poll(axisTitleSize).toBe(18);
  await page.getByRole('button', { name: 'Leave the presentation' }).click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
  expect(await app.log.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeLessThan(size);
  await expect.poll(axisTitleSize).toBe(12);
});
