import { test, expect } from './fixtures';
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
test('shots', async ({ app, page }) => {
  await app.open('/?epochs=2&trainingExamples=5000&seedsPerNetwork=2');
  await app.mnistLoaded();
  await app.compareButton.click();
  await expect(page.getByRole('table', { name: 'Comparison' })).toBeVisible({ timeout: 60000 });
  await expect(app.stopButton).toBeDisabled({ timeout: 60_000 });
  await page.getByRole('checkbox', { name: 'Training accuracy' }).check().catch(() => {});
  await page.getByRole('checkbox', { name: 'Test cost' }).check();
  await page.getByRole('table', { name: 'Comparison' }).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -350));
  await page.screenshot({ path: '/tmp/phone-compare.png' });
});
