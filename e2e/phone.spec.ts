import { expect, test } from './fixtures';
import { DIGIT_STROKES } from './pages/trainer-page';
import { expectNoAxeViolations } from './support/axe';
import { readmeShot } from './support/readme-shots';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** The widest thing on the page against the screen: the page must never scroll sideways. */
const overflow = (page: import('@playwright/test').Page) =>
  page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));

test('on a phone: Train brings the progress on screen, nothing is wider than the screen, fingers draw digits that are read', async ({
  app,
}, testInfo) => {
  const { page } = app;
  await app.mnistLoaded();
  await expectNoAxeViolations(page, 'the phone layout');
  const width = page.viewportSize()!.width;
  expect((await app.pad.boundingBox())!.width).toBeGreaterThanOrEqual(0.85 * width);

  // Train sits below the first screen: scrolled to as a person would, the progress card is above it, off screen.
  // More epochs than the test waits for: the run still trains while the page is scrolled, drawn on and
  // photographed, however fast the machine; it is stopped once it has trained a few.
  await app.set({ Epochs: '1000' });
  await app.trainButton.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 400));
  await expect(app.progress).not.toBeInViewport();
  await app.trainButton.tap();
  await expect(app.progress).toBeInViewport({ timeout: 1000 });
  // While the run trains, its latest epoch line and accuracy stay on screen however far the page scrolls.
  const latest = page.getByText(/^Run 1 · Epoch \d+: \d+ \/ 10000 \(\d+\.\d\d%\)$/);
  await expect(latest).toBeInViewport({ timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(latest).toBeInViewport();
  expect((await overflow(page)).page, 'page width while training').toBeLessThanOrEqual(width);
  // The README's phone picture: the progress card over the drawing pad, a finger's 0 read while the run trains.
  await app.pad.evaluate((pad) => pad.closest('section')!.scrollIntoView({ block: 'start' }));
  await app.draw(DIGIT_STROKES['0'], { finger: true });
  await expect(app.prediction).toHaveText(/^\d$/);
  await expect(latest).toBeInViewport();
  await expect(app.pad).toBeInViewport({ ratio: 1 });
  await readmeShot(page, 'phone.png', testInfo);
  await expect(page.getByText(/^Run 1 · Epoch ([3-9]|\d\d+): /)).toBeVisible({ timeout: 90_000 });
  await app.stopButton.tap();
  await expect(app.run('Run 1')).toContainText('stopped');

  const { page: pageWidth, screen } = await overflow(page);
  expect(pageWidth).toBeLessThanOrEqual(screen);
  // Every button a finger presses is at least 44 × 44.
  const small = await page.getByRole('button').evaluateAll((buttons) =>
    buttons
      .filter((b) => (b as HTMLElement).offsetParent !== null)
      .map((b) => ({ name: b.getAttribute('aria-label') ?? b.textContent, box: b.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(({ name, box }) => `${name} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
  expect(small).toEqual([]);

  for (const digit of ['1', '7', '0'] as const) {
    await app.clearButton.tap();
    const scrolled = await page.evaluate(() => window.scrollY);
    await app.draw(DIGIT_STROKES[digit], { finger: true });
    await expect(app.prediction).toHaveText(digit);
    // A stroke draws; it never scrolls the page.
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  }
  expect((await overflow(page)).page).toBeLessThanOrEqual(screen);

  // A smaller phone: still nothing wider than its screen, the matrix and the chart's table included.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByText('The chart as a table').click();
  expect(await overflow(page)).toEqual({ page: 360, screen: 360 });
});

test('on a phone a run shorter than a glance leaves its outcome where Train was tapped, with a way to the chart', async ({ app }) => {
  const { page } = app;
  await app.open('/?epochs=1&trainingExamples=10000');
  await app.mnistLoaded();
  // Train far down the settings, the progress card off screen, as a person scrolls to it.
  await app.trainButton.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 400));
  await expect(app.progress).not.toBeInViewport();
  await app.trainButton.tap();
  await expect(app.run('Run 1')).toContainText('finished');
  // However fast the run ended, its result is on screen where the person is.
  const outcome = page.getByText(/^Run 1 finished: \d+\.\d\d%$/);
  await expect(outcome).toBeInViewport();
  const toChart = page.getByRole('link', { name: 'See the chart' });
  await expect(toChart).toBeInViewport();
  await toChart.tap();
  await expect(app.chart).toBeInViewport();
  await page.getByRole('button', { name: 'Dismiss' }).tap();
  await expect(outcome).toHaveCount(0);
  await expect(app.progress).toHaveAttribute('aria-valuetext', 'Idle.');
});

test('on a phone the Comparison’s caption shows whole, and the table says it scrolls sideways', async ({ app }) => {
  const { page } = app;
  await app.open('/?epochs=1&trainingExamples=2000&seedsPerNetwork=1');
  await app.mnistLoaded();
  await app.compareButton.tap();
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table).toContainText('784-100-10', { timeout: 60_000 });
  const caption = page.getByText(/^Compare: 2 runs, all finished\. Final test accuracy over the finished seeds of each network\.$/);
  await caption.scrollIntoViewIfNeeded();
  const box = (await caption.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await expect(page.getByText('Wider than the screen: swipe the table sideways for all nine columns.')).toBeVisible();
  // Its last columns are there, reached by scrolling the box, not the page.
  const book = table.getByRole('columnheader', { name: 'The book' });
  await book.scrollIntoViewIfNeeded();
  await expect(book).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
});
