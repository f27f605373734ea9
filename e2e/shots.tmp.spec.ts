import { test, expect } from './fixtures';
test('shots', async ({ app, page }) => {
  await app.open('/?epochs=3&trainingExamples=10000');
  await app.mnistLoaded();
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished');
  await page.screenshot({ path: '/tmp/desk-outcome.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await app.trainButton.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 400));
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished');
  await page.screenshot({ path: '/tmp/phone-outcome.png' });
});
