import { expect, test } from './fixtures';

test('every request goes to the page’s own origin, under a policy that allows no inline script and no eval', async ({
  app,
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  page.context().on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.reload();
  await app.mnistLoaded();
  await app.set({ Epochs: '1', 'Training examples': '3000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await app.draw([
    [
      [140, 50],
      [140, 230],
    ],
  ]);
  await expect(app.prediction).toHaveText(/^\d$/);

  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toContain('unsafe-inline');
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  // An injected inline script does not run, and the browser reports the violation.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedRan = true';
    document.head.append(script);
    return 'injectedRan' in window;
  });
  expect(ran).toBe(false);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { violations: string[] }).violations))
    .toEqual([expect.stringMatching(/^script-src-elem inline/)]);

  const foreign = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
  expect(requests.some((url) => url.endsWith('/train-images-idx3-ubyte.gz'))).toBe(true);
  expect(foreign).toEqual([]);
});
