import { expect, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';
import { readmeShot } from './support/readme-shots';

test('axe finds nothing on the idle page, during training and after Compare', async ({ app }, testInfo) => {
  await app.mnistLoaded();
  await expectNoAxeViolations(app.page, 'the idle page');

  // A run still training while axe looks, however long axe takes on a busy machine: at a slow pace it
  // would take hours (at full speed it ended before axe did, under load).
  await app.set({ Epochs: '30', 'Training examples': '50000', 'Hidden layers': '100' });
  await app.page.getByLabel('Pace').selectOption({ label: '100 mini-batches/s' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText(/epoch \d+ of 30/);
  await expectNoAxeViolations(app.page, 'the page during training');
  await app.stopButton.click();
  await expect(app.run('Run 1')).toContainText('stopped', { timeout: 60_000 });
  await app.page.getByLabel('Pace').selectOption({ label: 'Full speed' });

  await app.set({ Epochs: '4', 'Training examples': '10000', 'Seeds per network': '2' });
  await app.compareButton.click();
  await expect(app.run('Run 5')).toContainText('finished', { timeout: 120_000 });
  await expect(app.stopButton).toBeDisabled({ timeout: 60_000 });
  await expect(app.page.getByRole('table', { name: 'Comparison' })).toBeVisible();
  await expect(app.page.getByRole('table', { name: 'Confusion matrix' })).toBeVisible();
  await expectNoAxeViolations(app.page, 'the page after Compare');
  // The README's desktop picture.
  await app.page.evaluate(() => window.scrollTo(0, 0));
  await readmeShot(app.page, 'desktop.png', testInfo);
});

test('the keyboard reaches everything: skip links, focus that shows, the matrix as one Tab stop moved by arrow keys', async ({ app }) => {
  const { page } = app;
  await app.mnistLoaded();
  await page.keyboard.press('Tab');
  const skipToPad = page.getByRole('link', { name: 'Skip to the drawing pad' });
  await expect(skipToPad).toBeFocused();
  await expect(skipToPad).toBeInViewport();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the digit viewer' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.viewer).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(app.viewer.getByRole('combobox', { name: 'Set' })).toBeFocused();

  // Every control shows where the focus is (an outline, or the file button's own ring).
  for (const name of ['Load model', 'Classify an image file']) {
    const input = page.getByLabel(name);
    await input.focus();
    const ring = await input.evaluate((el) => getComputedStyle(el.closest('label')!).outlineStyle);
    expect(ring, name).toBe('solid');
  }

  await app.trainBriefly(1);
  const matrix = page.getByRole('table', { name: 'Confusion matrix' });
  const cells = matrix.getByRole('button');
  await expect(cells).toHaveCount(100);
  expect(await cells.evaluateAll((all) => all.filter((b) => (b as HTMLElement).tabIndex === 0).length)).toBe(1);
  await cells.first().focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(matrix.getByRole('button', { name: /labelled 1 read as 1$/ })).toBeFocused();
  await page.keyboard.press('End');
  await expect(matrix.getByRole('button', { name: /labelled 1 read as 9$/ })).toBeFocused();
  // One Tab leaves the matrix.
  await page.keyboard.press('Tab');
  await expect(matrix.getByRole('button').first()).not.toBeFocused();
  expect(await matrix.evaluate((table) => table.contains(document.activeElement))).toBe(false);

  // The chart's table: every epoch of the run, for sighted users behind one click, for screen readers too.
  await page.getByText('The chart as a table').click();
  const table = page.getByRole('table', { name: 'Test accuracy per epoch, by run' });
  await expect(table.getByRole('row')).toHaveCount(2);
  const line = (await app.epochLines())[0];
  await expect(table.getByRole('cell').first()).toHaveText(`${(line.correct / 100).toFixed(2)}%`);
});
