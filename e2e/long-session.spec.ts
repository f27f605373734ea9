import { expect, test } from './fixtures';
import { INSPECTING_WORKERS } from './pages/trainer-page';

test('20 runs one after another keep the worker count and the JS heap flat', async ({ app, page }) => {
  test.slow();
  const cdp = await page.context().newCDPSession(page);
  const heapAfterGc = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await app.mnistLoaded();
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  const heaps: number[] = [];
  const workers: number[] = [];
  for (let r = 1; r <= 20; r++) {
    await app.trainButton.click();
    await expect(app.run(`Run ${r}`)).toContainText('finished', { timeout: 60_000 });
    await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
    workers.push(page.workers().length);
    heaps.push(await heapAfterGc());
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  console.log(`JS heap after runs 1, 5, 10, 15, 20: ${[0, 4, 9, 14, 19].map((i) => mb(heaps[i])).join(', ')} MB`);
  expect(workers).toEqual(Array(20).fill(INSPECTING_WORKERS));
  expect(heaps[19] - heaps[0]).toBeLessThan(50e6);
});
