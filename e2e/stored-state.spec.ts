/**
 * Nothing this browser keeps can blank or cripple the page: each damaged shape a probe found is written
 * into IndexedDB beside a good run, and a reload must show the page whole (heading, Train, the good run),
 * say what was wrong with the damaged record, and set it aside so the next reload is clean.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** A damage done to a copy of a kept run (its `run` field), named as code; `mismatched` keeps the copy's run key as it was. */
interface Damage {
  name: string;
  damage: string;
  /** What the page says of it, after "could not be restored: ". */
  says: RegExp;
  mismatched?: boolean;
}

const DAMAGES: Damage[] = [
  { name: 'an empty measurement', damage: 'run.accuracy = [{}]', says: /^its accuracy\[0\]\.epoch is missing/ },
  { name: 'a missing measurement', damage: 'run.accuracy = [null]', says: /^its accuracy\[0\] is not a measurement/ },
  { name: 'a percentage that is text', damage: "run.accuracy[0].percent = 'x'", says: /^its accuracy\[0\]\.percent is not a number/ },
  { name: 'a percentage that is NaN', damage: 'run.accuracy[0].percent = NaN', says: /^its accuracy\[0\]\.percent is not a number/ },
  {
    name: 'never-read digits that are text',
    damage: "run.accuracy[0].neverReads = 'abc'",
    says: /^its accuracy\[0\]\.neverReads is not a list/,
  },
  {
    name: 'never-read digits that only look like a list',
    damage: 'run.accuracy[0].neverReads = { length: 2 }',
    says: /neverReads is not a list/,
  },
  { name: 'training seconds that are text', damage: "run.trainingSeconds = 'x'", says: /^its trainingSeconds is not a number/ },
  { name: 'no settings', damage: 'delete run.config', says: /^its config is missing/ },
  { name: 'no biases', damage: 'delete run.parameters.biases', says: /^its parameters\.biases is missing/ },
  { name: 'weights that are NaN', damage: 'run.parameters.weights[0][0] = NaN', says: /^it has weights that are not numbers/ },
  {
    name: '40 epochs kept in a 2-epoch run',
    damage: '40 epochs',
    says: /^it holds more epochs than its settings ask for/,
  },
  {
    name: '100,000 measurements',
    damage: '100,000 epochs',
    says: /^its accuracy holds more than 1000 epochs/,
  },
  { name: 'a copy under a key not its own', damage: '', says: /^it is kept under a key that is not its own/, mismatched: true },
];

/** Put a damaged copy of the one kept run beside it, numbered 7, under a new key. */
function writeDamagedCopy(page: Page, { damage, mismatched = false }: Damage): Promise<void> {
  return page.evaluate(
    ({ damage, mismatched }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('mnist-live');
        open.onsuccess = () => {
          const store = open.result.transaction('runs', 'readwrite').objectStore('runs');
          const all = store.getAll();
          all.onsuccess = () => {
            const good = (all.result as { version: number; run: Record<string, unknown> }[]).find((r) => typeof r === 'object');
            const copy = structuredClone(good!);
            const run = copy.run as Record<string, unknown> & { accuracy: object[] };
            const key = crypto.randomUUID();
            if (!mismatched) run.key = key;
            run.number = 7;
            const first = run.accuracy[0] as Record<string, unknown>;
            const params = run.parameters as { weights: Float32Array[]; biases?: Float32Array[] };
            const many = (length: number) => Array.from({ length }, (_, i) => ({ ...first, epoch: i }));
            // The page's CSP allows no eval, so each damage of the table is spelled out here.
            const damages: Record<string, () => void> = {
              'run.accuracy = [{}]': () => (run.accuracy = [{}]),
              'run.accuracy = [null]': () => (run.accuracy = [null as unknown as object]),
              "run.accuracy[0].percent = 'x'": () => (first.percent = 'x'),
              'run.accuracy[0].percent = NaN': () => (first.percent = NaN),
              "run.accuracy[0].neverReads = 'abc'": () => (first.neverReads = 'abc'),
              'run.accuracy[0].neverReads = { length: 2 }': () => (first.neverReads = { length: 2 }),
              "run.trainingSeconds = 'x'": () => (run.trainingSeconds = 'x'),
              'delete run.config': () => delete run.config,
              'delete run.parameters.biases': () => delete params.biases,
              'run.parameters.weights[0][0] = NaN': () => (params.weights[0][0] = NaN),
              '40 epochs': () => (run.accuracy = many(40)),
              '100,000 epochs': () => (run.accuracy = many(100_000)),
              '': () => undefined,
            };
            damages[damage]();
            store.put(copy, key);
            store.transaction.oncomplete = () => resolve();
          };
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      }),
    { damage, mismatched },
  );
}

test('no damaged run record blanks or cripples the page: each is named, set aside, and the good run stays', async ({ app, page }) => {
  test.slow();
  await app.set({ Epochs: '2', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 60_000 });
  for (const damage of DAMAGES) {
    await test.step(damage.name, async () => {
      await writeDamagedCopy(page, damage);
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const notice = page.getByRole('status').filter({ hasText: 'Kept run 7 could not be restored' });
      await expect(notice).toBeVisible();
      const text = (await notice.textContent())!;
      expect(text.replace(/^Kept run 7 could not be restored: /, '')).toMatch(damage.says);
      expect(text).toContain('It was set aside, apart from your runs, so it cannot fail again.');
      await expect(app.run('Run 1')).toContainText('finished');
      await expect(app.runs.getByRole('listitem')).toHaveCount(1);
      await expect(app.trainButton).toBeEnabled();
      await expect(page.getByRole('button', { name: 'Compare 30 vs 100 hidden' })).toBeEnabled();
      // Set aside: the next visit is clean.
      await page.reload();
      await expect(app.run('Run 1')).toContainText('finished');
      await expect(page.getByText('could not be restored')).toHaveCount(0);
    });
  }
  // The damaged records are kept apart, not destroyed.
  const setAside = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('mnist-live-set-aside');
        open.onsuccess = () => {
          const count = open.result.transaction('runs').objectStore('runs').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(setAside).toBe(DAMAGES.length);
});

/** A My digits file of `n` digits (a vertical bar each, labelled 1). */
function digitsFile(n: number): { name: string; mimeType: string; buffer: Buffer } {
  const bar = Buffer.alloc(784);
  for (let row = 6; row < 22; row++) bar[row * 28 + 14] = 255;
  const pixels = bar.toString('base64');
  const digits = Array.from({ length: n }, () => ({ label: 1, pixels }));
  return {
    name: `mine-${n}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'mnist-live/my-digits', version: 1, digits })),
  };
}

/** How many digits this browser keeps in My digits' store. */
function keptDigits(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('mnist-live-my-digits');
        open.onsuccess = () => {
          const count = open.result.transaction('digits').objectStore('digits').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

test('My digits says Loaded only once a file’s digits are kept, holds at most 5,000, and refuses a huge file by its size', async ({
  app,
  page,
}) => {
  test.slow();
  await app.mnistLoaded();
  const load = page.getByLabel('Load my digits');
  const mine = page.getByRole('list', { name: 'My digits' });
  await load.setInputFiles(digitsFile(5000));
  await expect(page.getByText('Loaded 5000 digits from “mine-5000.json”.')).toBeVisible({ timeout: 30_000 });
  // The moment it says Loaded, all are kept: a reload at once finds every one.
  expect(await keptDigits(page)).toBe(5000);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'My digits (5000)' })).toBeVisible();
  // The newest 200 are drawn; the rest on request.
  await expect(mine.getByRole('listitem')).toHaveCount(200);
  await expect(page.getByText('Showing the newest 200 of 5,000.')).toBeVisible();
  // Full: a second file is refused whole, and so is one more digit from the pad.
  await load.setInputFiles(digitsFile(1));
  await expect(page.getByRole('alert').filter({ hasText: '“mine-1.json” could not be loaded' })).toContainText(
    'its 1 digits and the 5,000 you have make more than the 5,000 My digits holds. Remove some first.',
  );
  await page.getByRole('button', { name: 'Remove my digit 5000 (a 1)' }).click();
  await load.setInputFiles(digitsFile(1));
  await expect(page.getByText('Loaded 1 digit from “mine-1.json”.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'My digits (5000)' })).toBeVisible();
  // A file far bigger than any of ours is refused by its size, before it is read.
  const huge = { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(9 * 1024 * 1024, 32) };
  await load.setInputFiles(huge);
  await expect(page.getByRole('alert').filter({ hasText: '“huge.json” could not be loaded' })).toContainText(
    'it is 9.0 MB, more than a file of 5,000 digits (about 5.4 MB)',
  );
  await expect(page.getByRole('heading', { name: 'My digits (5000)' })).toBeVisible();
});

test('a kept digit that is damaged, or a copy under another key, is set aside with a message; a removed digit stays removed', async ({
  app,
  page,
}) => {
  await app.mnistLoaded();
  await page.getByLabel('Load my digits').setInputFiles(digitsFile(2));
  await expect(page.getByText('Loaded 2 digits from “mine-2.json”.')).toBeVisible();
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('mnist-live-my-digits');
        open.onsuccess = () => {
          const store = open.result.transaction('digits', 'readwrite').objectStore('digits');
          const all = store.getAll();
          all.onsuccess = () => {
            const [first] = all.result as { id: string; pixels: Uint8Array }[];
            // A copy of the first under a key of its own, and a digit of 3 pixels.
            store.put(first, 'copy-of-the-first');
            store.put({ ...first, id: 'short', pixels: new Uint8Array(3) }, 'short');
            store.transaction.oncomplete = () => resolve();
          };
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: '2 of your kept digits could not be restored' })).toContainText(
    'they were set aside, apart from the others.',
  );
  const mine = page.getByRole('list', { name: 'My digits' });
  await expect(mine.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Remove my digit 1 (a 1)' }).click();
  await expect(mine.getByRole('listitem')).toHaveCount(1);
  await expect.poll(() => keptDigits(page)).toBe(1);
  await page.reload();
  await expect(mine.getByRole('listitem')).toHaveCount(1);
  await expect(page.getByText('could not be restored')).toHaveCount(0);
});

test('a kept copy of MNIST that is not the book’s (the test files swapped for the training files) is dropped, downloaded again, and the page says so', async ({
  app,
  page,
}) => {
  await app.mnistLoaded();
  // The copy is kept once it parsed and matched the digests, a moment after the viewer shows it.
  const keptFiles = () => page.evaluate(async () => (await (await caches.open('mnist-live-data-v1')).keys()).length);
  await expect.poll(keptFiles).toBe(4);
  await page.evaluate(async () => {
    const cache = await caches.open('mnist-live-data-v1');
    const urls = (await cache.keys()).map((request) => request.url);
    const named = (part: string) => urls.find((url) => url.includes(part))!;
    for (const kind of ['images-idx3', 'labels-idx1']) {
      const training = await cache.match(named(`train-${kind}`));
      await cache.put(named(`t10k-${kind}`), training!);
    }
  });
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'The copy of MNIST kept in this browser was damaged' })).toContainText(
    't10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz are not the book’s file by its SHA-256); it was downloaded again.',
  );
  await app.mnistLoaded();
  await expect(app.viewer).toContainText('test (10,000)');
  await page.reload();
  await app.mnistLoaded();
  await expect(page.getByText('The copy of MNIST kept in this browser was damaged')).toHaveCount(0);
});
