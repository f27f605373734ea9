/**
 * Nothing a user made is lost: runs of two tabs never overwrite each other, a removed run stays removed,
 * and a reload mid-run keeps every finished epoch, which Continue takes to the end with the same
 * numbers as a run that was never interrupted. Real second pages and real reloads.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { TrainerPage } from './pages/trainer-page';

async function openTab(page: Page): Promise<TrainerPage> {
  const app = new TrainerPage(page);
  await app.open();
  return app;
}

/** `hidden` of every run kept in this browser's IndexedDB. */
function keptHiddenFlags(page: Page): Promise<boolean[]> {
  return page.evaluate(
    () =>
      new Promise<boolean[]>((resolve, reject) => {
        const open = indexedDB.open('mnist-live');
        open.onsuccess = () => {
          const all = open.result.transaction('runs').objectStore('runs').getAll();
          // The store also holds the next run number (a plain number), beside the runs.
          all.onsuccess = () =>
            resolve(
              (all.result as ({ run: { hidden: boolean } } | number)[]).flatMap((r) => (typeof r === 'number' ? [] : [r.run.hidden])),
            );
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

async function trainSmall(app: TrainerPage, hidden: string, name: string): Promise<void> {
  await app.set({ 'Hidden layers': hidden, Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run(name)).toContainText('finished', { timeout: 60_000 });
}

test('two tabs keep both their runs, see each other’s, and a run removed in one stays removed', async ({ app, context }) => {
  const other = await openTab(await context.newPage());
  await trainSmall(app, '20', 'Run 1');
  // The other tab hears of it at once, under the same name; its own run takes the next number.
  await expect(other.run('Run 1')).toContainText('784-20-10');
  await trainSmall(other, '40', 'Run 2');
  await expect(app.run('Run 2')).toContainText('784-40-10');

  for (const tab of [app, other]) {
    await tab.page.reload();
    await expect(tab.run('Run 1')).toContainText('784-20-10');
    await expect(tab.run('Run 2')).toContainText('784-40-10');
  }

  // Removed in one tab: gone from the other at once, and a toggle there does not write it back.
  await app.page.getByRole('button', { name: 'Remove Run 1' }).click();
  await expect(other.runs.getByRole('listitem')).toHaveCount(1);
  await other.page.getByRole('checkbox', { name: 'Show Run 2 on chart' }).uncheck();
  // The choice is written a moment later; a reload within that moment would not find it.
  await expect.poll(() => keptHiddenFlags(other.page)).toEqual([true]);
  for (const tab of [other, app]) {
    await tab.page.reload();
    // A run keeps its number: the one run left is still Run 2, hidden from the chart as it was set.
    await expect(tab.run('Run 2')).toContainText('784-40-10');
    await expect(tab.runs.getByRole('listitem')).toHaveCount(1);
    await expect(tab.page.getByRole('checkbox', { name: 'Show Run 2 on chart' })).not.toBeChecked();
  }
  // With every run removed (and nothing training), numbering starts again at 1.
  await app.page.getByRole('button', { name: 'Remove Run 2' }).click();
  await expect(other.runs.getByRole('listitem')).toHaveCount(0);
  await trainSmall(other, '25', 'Run 1');
  await expect(app.run('Run 1')).toContainText('784-25-10');
});

test('tabs that train at the same moment number every run alike, and a tab that only watches calls none interrupted', async ({
  app,
  context,
}) => {
  test.slow();
  const tabs = [app, await openTab(await context.newPage()), await openTab(await context.newPage())];
  const watcher = await openTab(await context.newPage());
  const hidden = ['21', '22', '23'];
  for (const [i, tab] of tabs.entries()) await tab.set({ 'Hidden layers': hidden[i], Epochs: '3', 'Training examples': '3000' });
  // All three click Train at once: each run still gets a number of its own, and every tab shows it under that number.
  await Promise.all(tabs.map((tab) => tab.trainButton.click()));
  const networkOf = async (tab: TrainerPage) => {
    const names: Record<string, string> = {};
    for (const name of ['Run 1', 'Run 2', 'Run 3']) {
      await expect(tab.run(name)).toContainText('finished', { timeout: 90_000 });
      names[name] = (await tab.run(name).textContent())!.match(/784-2\d-10/)![0];
    }
    return names;
  };
  const seen = await networkOf(watcher);
  expect(new Set(Object.values(seen)).size).toBe(3);
  for (const tab of tabs) expect(await networkOf(tab)).toEqual(seen);
  for (const tab of [...tabs, watcher]) {
    await expect(tab.runs.getByRole('listitem')).toHaveCount(3);
    await expect(tab.page.getByRole('status').filter({ hasText: /interrupted/ })).toHaveCount(0);
    await expect(tab.runs).not.toContainText('interrupted');
  }
  // A reload keeps the numbers.
  await watcher.page.reload();
  expect(await networkOf(watcher)).toEqual(seen);
});

test('a reload mid-run keeps its finished epochs; Continue ends it with the numbers of an uninterrupted run', async ({ app, page }) => {
  test.slow();
  await app.mnistLoaded();
  // 300 hidden neurons: epochs of a second or more, so the reload lands while the run still trains.
  await app.set({ 'Hidden layers': '300', Epochs: '8', Seed: '3' });
  await app.trainButton.click();
  await expect(app.log.getByText(/Run 1 .*Epoch 1: /)).toBeVisible({ timeout: 60_000 });

  // Leaving while a run trains asks first.
  const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => (resolve(dialog.type()), void dialog.accept())));
  await page.reload();
  expect(await asked).toBe('beforeunload');

  const notice = page.getByRole('status').filter({ hasText: 'was interrupted' });
  await expect(notice).toHaveText(/^Run 1 was interrupted after epoch (\d+) — its (\d+) epochs are kept\. Continue it from its card\.$/);
  const [, last, count] = /after epoch (\d+) — its (\d+)/.exec((await notice.textContent())!)!;
  expect(Number(count)).toBe(Number(last) + 1);
  expect(Number(last)).toBeGreaterThanOrEqual(1);
  expect(Number(last)).toBeLessThan(7);
  await expect(app.run('Run 1')).toContainText(`interrupted after epoch ${last} of 8`);
  const kept = await app.epochLines();
  expect(kept.map((l) => l.epoch)).toEqual([...Array(Number(count)).keys()]);

  // It can be viewed and downloaded like any run.
  await page.getByRole('button', { name: 'View Run 1' }).click();
  await expect(app.viewer.getByText(/reads \d/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download model' })).toBeEnabled();

  await page.getByRole('button', { name: 'Continue Run 1' }).click();
  await expect(app.log).toContainText(`Run 1 (784-300-10) · continues after epoch ${last}`);
  await expect(notice).toHaveCount(0);
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 90_000 });
  const continued = (await app.epochLines()).filter((l) => l.text.startsWith('Run 1 '));
  expect(continued.map((l) => l.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

  // The same settings, never interrupted: the same counts epoch for epoch.
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 90_000 });
  const straight = (await app.epochLines()).filter((l) => l.text.startsWith('Run 2 '));
  expect(straight.map((l) => l.correct)).toEqual(continued.map((l) => l.correct));
});

test('a run training in another tab shows as such, moves on there, and is interrupted when that tab closes', async ({ app, context }) => {
  test.slow();
  // Long enough (a second or more an epoch) that the run still trains when the other tab has opened.
  await app.set({ 'Hidden layers': '300', Epochs: '20' });
  await app.trainButton.click();
  await expect(app.log.getByText(/Run 1 .*Epoch 0: /)).toBeVisible({ timeout: 60_000 });

  const other = await openTab(await context.newPage());
  await expect(other.run('Run 1')).toContainText(/training in another tab \(\d+ of 20 epochs\)/);
  await expect(other.log.getByText(/Epoch 2: .*\(in another tab\)/)).toBeVisible({ timeout: 60_000 });
  await expect(other.page.getByRole('button', { name: 'Continue Run 1' })).toHaveCount(0);

  await app.page.close();
  await expect(other.page.getByRole('status').filter({ hasText: /^Run 1 was interrupted after epoch \d+/ })).toBeVisible();
  await expect(other.run('Run 1')).toContainText(/interrupted after epoch \d+ of 20/);
  await other.page.getByRole('button', { name: 'Continue Run 1' }).click();
  await expect(other.log).toContainText('Run 1 (784-300-10) · continues after epoch');
  await expect(other.run('Run 1')).toContainText(/epoch \d+ of 20/);
  await other.stopButton.click();
  await expect(other.run('Run 1')).toContainText('stopped');
});

test('a reload keeps the name, number and network of every run of a Compare, though Compare makes them within a millisecond', async ({
  app,
  page,
}) => {
  await app.open('/?epochs=1&trainingExamples=1000&seedsPerNetwork=3');
  await app.mnistLoaded();
  await app.compareButton.click();
  for (const name of ['Run 1', 'Run 2', 'Run 3', 'Run 4', 'Run 5', 'Run 6'])
    await expect(app.run(name)).toContainText('finished', { timeout: 90_000 });
  // Each run's network, and its first epoch's count (which its seed decides), by its name.
  const identities = async () => {
    const lines = await app.log.getByRole('listitem').allTextContents();
    return Object.fromEntries(
      lines.map((line) => /^(Run \d) \((784-\d+-10)\) · Epoch 0: (\d+) /.exec(line)!).map((m) => [m[1], `${m[2]} ${m[3]}`]),
    );
  };
  const before = await identities();
  expect(Object.keys(before)).toHaveLength(6);
  expect(['Run 1', 'Run 2', 'Run 3', 'Run 4', 'Run 5', 'Run 6'].map((name) => before[name].split(' ')[0])).toEqual([
    '784-30-10',
    '784-100-10',
    '784-30-10',
    '784-100-10',
    '784-30-10',
    '784-100-10',
  ]);
  await page.reload();
  await expect(app.run('Run 6')).toContainText('finished');
  expect(await identities()).toEqual(before);
});

test('a reload during Compare keeps every run of it, queued ones too, and one click takes the whole comparison on', async ({
  app,
  page,
}) => {
  test.slow();
  await app.open('/?epochs=10&seedsPerNetwork=3');
  await app.mnistLoaded();
  await app.compareButton.click();
  // Two runs train (one per core here, or more on a bigger machine); the rest wait in the queue. Run 1's
  // second epoch line means its first epoch was kept, a write begun after the queued runs' writes, and
  // IndexedDB commits writes to one store in the order they began: by then every run of the Compare is kept.
  await expect(app.runs).toContainText('queued');
  await expect(app.log.getByText(/^Run 1 \(784-30-10\) · Epoch 1: /)).toBeVisible({ timeout: 60_000 });
  await page.reload();
  const names = ['Run 1', 'Run 2', 'Run 3', 'Run 4', 'Run 5', 'Run 6'];
  for (const [i, name] of names.entries()) {
    // Each keeps its name, its network and its seed (Compare makes them seed by seed, 30 then 100 hidden).
    await expect(app.run(name)).toContainText(i % 2 === 0 ? '784-30-10' : '784-100-10');
    await expect(app.run(name)).toContainText(/finished|interrupted/);
  }
  await expect(app.runs.getByRole('listitem')).toHaveCount(6);
  await expect(app.runs).toContainText('interrupted before its first epoch');
  const resume = page.getByRole('button', { name: /^Continue the comparison \(\d runs?\)$/ });
  await expect(page.getByText(/^Compare: 6 runs, \d finished, \d ended early/)).toBeVisible();
  await resume.click();
  for (const name of names) await expect(app.run(name)).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByText(/^Compare: 6 runs, all finished\./)).toBeVisible();
  await expect(resume).toHaveCount(0);
  const table = page.getByRole('table', { name: 'Comparison' });
  await expect(table.getByRole('row', { name: /^784-30-10 3 / })).toBeVisible();
  await expect(table.getByRole('row', { name: /^784-100-10 3 / })).toBeVisible();
  // And the finished comparison is kept as it is.
  await page.reload();
  await expect(app.runs.getByRole('listitem')).toHaveCount(6);
  for (const name of names) await expect(app.run(name)).toContainText('finished');
});

test('a Compare started in one tab shows whole in another, and when its tab closes the other takes the comparison on', async ({
  app,
  context,
}) => {
  test.slow();
  await app.open('/?epochs=6&seedsPerNetwork=2&trainingExamples=10000');
  await app.mnistLoaded();
  const other = await openTab(await context.newPage());
  await app.compareButton.click();
  const names = ['Run 1', 'Run 2', 'Run 3', 'Run 4'];
  // Queued runs included: each shows in the other tab under its name and network, training there.
  for (const [i, name] of names.entries()) {
    await expect(other.run(name)).toContainText(i % 2 === 0 ? '784-30-10' : '784-100-10');
    await expect(other.run(name)).toContainText(/training in another tab|finished/);
  }
  await expect(app.runs).toContainText('queued');
  await app.page.close();
  // The runs that had not finished are interrupted now, and one click here takes the comparison on.
  const resume = other.page.getByRole('button', { name: /^Continue the comparison \(\d runs?\)$/ });
  await expect(resume).toBeVisible({ timeout: 30_000 });
  await expect(other.runs).toContainText('interrupted');
  await resume.click();
  for (const name of names) await expect(other.run(name)).toContainText('finished', { timeout: 120_000 });
  await expect(other.page.getByText(/^Compare: 4 runs, all finished\./)).toBeVisible();
  await expect(other.runs.getByRole('listitem')).toHaveCount(4);
});

test('runs kept before runs were numbered in storage are numbered in the order they were made, once for every tab', async ({
  app,
  context,
}) => {
  await trainSmall(app, '20', 'Run 1');
  await trainSmall(app, '40', 'Run 2');
  // As an earlier version kept them: no number on the runs, no counter beside them.
  await app.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('mnist-live');
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          const store = tx.objectStore('runs');
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const at = cursor.result;
            if (!at) return;
            if (typeof at.value === 'number') at.delete();
            else at.update({ ...at.value, run: { ...at.value.run, number: undefined } });
            at.continue();
          };
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  const other = await openTab(await context.newPage());
  await app.page.reload();
  for (const tab of [app, other]) {
    await expect(tab.run('Run 1')).toContainText('784-20-10');
    await expect(tab.run('Run 2')).toContainText('784-40-10');
  }
  await trainSmall(other, '30', 'Run 3');
  await expect(app.run('Run 3')).toContainText('784-30-10');
});
