import { gzipSync } from 'node:zlib';
import { expect, test } from './fixtures';
import { INSPECTING_WORKERS } from './pages/trainer-page';

const LABELS = '**/t10k-labels-idx1-ubyte.gz';

/** An idx file header with the given magic number and no data: right size for nothing. */
function idx(magic: number, count: number): Buffer {
  const b = Buffer.alloc(8 + count);
  b.writeUInt32BE(magic, 0);
  b.writeUInt32BE(count, 4);
  return b;
}

for (const fault of [
  {
    name: 'a 404',
    route: { status: 404, body: 'Not found' },
    message: 'Could not download t10k-labels-idx1-ubyte.gz: the server answered 404',
  },
  { name: 'a network error', route: 'abort', message: 'Could not download t10k-labels-idx1-ubyte.gz: the network request failed' },
  { name: 'a truncated file', route: 'truncate', message: 't10k-labels-idx1-ubyte.gz: the gzip data ends early — the file is truncated' },
  {
    name: 'a file that is not gzip',
    route: { status: 200, body: '<!doctype html><p>moved</p>' },
    message: 't10k-labels-idx1-ubyte.gz: not a gzip file',
  },
  {
    name: 'a wrong magic number',
    route: { status: 200, body: gzipSync(idx(2051, 10_000)) },
    message: 't10k-labels-idx1-ubyte.gz: wrong magic number 2051, expected 2049',
  },
] as const) {
  test(`MNIST arriving as ${fault.name} gives an alert with Retry, and Retry recovers`, async ({ page }) => {
    await page.context().route(LABELS, async (route) => {
      if (fault.route === 'abort') return route.abort('failed');
      if (fault.route === 'truncate') {
        const response = await route.fetch();
        const body = await response.body();
        return route.fulfill({ response, body: body.subarray(0, body.length >> 1) });
      }
      return route.fulfill({ ...fault.route, headers: { 'content-type': 'application/gzip' } });
    });
    await page.goto('/');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(`Could not load MNIST: ${fault.message}`);
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.context().unroute(LABELS);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('region', { name: 'Digit viewer' }).getByText('test #0')).toBeVisible();
    await expect(alert).toHaveCount(0);
  });
}

test('a run whose weights blow up stops with an alert naming the epoch and suggesting a smaller η', async ({ app, page }) => {
  await page.goto('/?eta=1000&lambda=1000&epochs=3&trainingExamples=5000');
  await app.trainButton.click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'Run 1 diverged: Epoch 0: the weights became NaN or infinite. Try a smaller learning rate than η = 1000',
  );
  await expect(app.run('Run 1')).toContainText('diverged');
  await expect(app.trainButton).toBeEnabled();
  await alert.getByRole('button', { name: 'Remove Run 1' }).click();
  await expect(alert).toHaveCount(0);
});

for (const ending of [
  {
    name: 'crashes',
    // An exception that nothing catches, thrown inside the worker after evaluate() has returned.
    end: () =>
      queueMicrotask(() => {
        throw new Error('simulated crash');
      }),
    reason: 'the training worker crashed (',
  },
  {
    // What the browser does to a worker that runs out of memory: it ends, and no error event is fired.
    name: 'is closed without an error',
    end: () => self.close(),
    reason: 'the training worker crashed (it was closed without an error',
  },
]) {
  test(`a training worker that ${ending.name} after kept epochs stops only its run, which Continue takes on at once`, async ({
    app,
    page,
  }) => {
    await app.mnistLoaded();
    await app.set({ Epochs: '200', 'Training examples': '5000' });
    await app.trainButton.click();
    await expect(app.log.getByText(/^Run 1 .*Epoch 1: /)).toBeVisible({ timeout: 60_000 });
    await page.workers().at(-1)!.evaluate(ending.end);
    const alert = page.getByRole('alert').filter({ hasText: 'Run 1 stopped' });
    await expect(alert).toContainText(`Run 1 stopped: ${ending.reason}`);
    await expect(alert).toContainText(/epochs are kept: continue it from there\./);
    await expect(app.run('Run 1')).toContainText(/interrupted after epoch \d+ of 200/);
    await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
    // Another run trains meanwhile, untouched.
    await app.set({ Epochs: '1', 'Training examples': '2000' });
    await app.trainButton.click();
    await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
    // Continue, from the alert: the run goes on from its last kept epoch, and the alert goes.
    const kept = (await app.epochLines()).filter((line) => line.text.startsWith('Run 1 ')).length;
    await alert.getByRole('button', { name: 'Continue Run 1' }).click();
    await expect(app.log).toContainText(`Run 1 (784-30-10) · continues after epoch ${kept - 1}`);
    await expect(app.log.getByText(new RegExp(`^Run 1 .*Epoch ${kept}: `))).toBeVisible({ timeout: 60_000 });
    await expect(alert).toHaveCount(0);
    await app.stopButton.click();
    await expect(app.run('Run 1')).toContainText('stopped');
  });
}

test('a training worker that crashes before its first epoch marks its run failed, with Remove', async ({ app, page }) => {
  await app.mnistLoaded();
  // A network whose first epoch takes seconds: the worker ends well before it.
  await app.set({ 'Hidden layers': '1000' });
  await app.trainButton.click();
  await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS + 1);
  // Once it trains (it has answered, so its end is a crash, not a worker that never started; on a busy
  // machine a worker closed at once may never have started).
  await expect(app.progress).toHaveAttribute('aria-valuetext', /^Run 1: 0 of 30 epochs done/, { timeout: 30_000 });
  await page
    .workers()
    .at(-1)!
    .evaluate(() => self.close());
  const alert = page.getByRole('alert').filter({ hasText: 'Run 1 failed' });
  await expect(alert).toContainText('Run 1 failed: the training worker crashed (it was closed without an error');
  await alert.getByRole('button', { name: 'Remove Run 1' }).click();
  await expect(app.runs.getByRole('listitem')).toHaveCount(0);
});

test('when the inspecting workers end (one holds MNIST for the page), a run started then waits for Retry and trains', async ({
  app,
  page,
}) => {
  await app.mnistLoaded();
  await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
  for (const worker of page.workers()) await worker.evaluate(() => self.close());
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('worker stopped: it was closed without an error');
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.progress).toHaveAttribute('aria-valuetext', /Run 1: (loading|starting|downloading|decompressing)/i);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await app.mnistLoaded();
  await expect(alert).toHaveCount(0);
});

test('starting, stopping and removing runs in any order leaves no stray workers', async ({ app, page }) => {
  await app.mnistLoaded();
  await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
  await app.set({ Epochs: '50', 'Seeds per network': '1' });
  await app.trainButton.click();
  await app.compareButton.click();
  await app.stopButton.click();
  await app.trainButton.click();
  await page.getByRole('button', { name: 'Remove Run 2' }).click();
  await app.compareButton.click();
  await page.getByRole('button', { name: 'Remove Run 5' }).click();
  await page.getByRole('button', { name: 'Remove Run 4' }).click();
  await app.stopButton.click();
  await expect(app.stopButton).toBeDisabled({ timeout: 5_000 });
  await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
  await expect(app.runs.getByRole('listitem')).toHaveCount(3);
});

test('a kept run of an unknown version is set aside with a message, and the rest of the page works', async ({ app, page }) => {
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  // Another version of the page left an entry behind.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('mnist-live');
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          tx.objectStore('runs').put({ version: 0, run: { id: 9 } }, 9);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'A kept run could not be restored' })).toContainText(
    'it was kept by an older version of this page. It was set aside, apart from your runs, so it cannot fail again.',
  );
  await expect(app.run('Run 1')).toContainText('finished');
  await page.reload();
  await expect(page.getByText('A kept run could not be restored')).toHaveCount(0);
});

test('without storage (as in some private windows) the app works and says runs will not be kept', async ({ app, page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
  });
  await page.reload();
  await expect(page.getByText(/^Runs cannot be kept in this browser \(.*\): they will be lost when you close the page\.$/)).toBeVisible();
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await expect(page.getByText('Run 1 could not be kept for your next visit')).toBeVisible();
});

test('when the browser’s storage is full, a finished run stays on the page and the page says it could not be kept', async ({
  app,
  page,
}) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.reload();
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  await expect(
    page.getByText(
      'Run 1 could not be kept for your next visit (the browser’s storage is full); it stays on this page until you close it.',
    ),
  ).toBeVisible();
  await expect(app.run('Run 1')).toContainText('finished');
  await expect(app.trainButton).toBeEnabled();
});
