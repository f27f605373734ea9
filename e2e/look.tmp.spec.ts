import { expect, test } from './fixtures';
for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
  test(`look ${name}`, async ({ app, page }) => {
    await page.setViewportSize(viewport);
    await app.set({ Epochs: '2', 'Training examples': '1000' });
    await page.getByLabel('Pace').selectOption({ label: '10 mini-batches a second' });
    await app.trainButton.click();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByLabel('Training progress')).toContainText('paused at');
    await page.getByLabel('Training progress').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/look-${name}.png` });
  });
}
