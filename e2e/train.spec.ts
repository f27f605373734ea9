import { expect, test } from './fixtures';
import { EPOCH_LINE, INSPECTING_WORKERS } from './pages/trainer-page';
import { describeTasks, mainThreadTasks } from './support/main-thread';

test('trains one epoch with the book settings and prints a book line of at least 90%', async ({ app }) => {
  await expect(app.field('Hidden layers')).toHaveValue('30');
  await expect(app.field('Learning rate (η)')).toHaveValue('3.0');
  await app.set({ Epochs: '1' });
  await app.trainButton.click();
  await expect(app.log).toContainText(EPOCH_LINE, { timeout: 90_000 });
  const [line] = await app.epochLines();
  expect(line.epoch).toBe(0);
  expect(line.correct).toBeGreaterThanOrEqual(9000);
  await expect(app.run('Run 1')).toContainText('finished');
  await expect(app.page.locator('#chart-summary')).toContainText(/Run 1 \(784-30-10, η=3, batch 10\): \d+\.\d\d% after epoch 0/);
});

test('the page never blocks: no main-thread task takes over 50 ms of CPU while training', async ({ app, browser }) => {
  // Let start-up finish (data loaded into the viewer), then watch from the click on.
  await app.mnistLoaded();
  await app.set({ Epochs: '3', 'Training examples': '20000' });
  const tasks = await mainThreadTasks(browser, app.page, async () => {
    await app.trainButton.click();
    await expect(app.log.getByText(/Epoch 2: /)).toBeVisible({ timeout: 90_000 });
  });
  console.log(`longest main-thread tasks during training (of ${tasks.length}): ${describeTasks(tasks)}`);
  expect(tasks.length).toBeGreaterThan(20);
  expect(tasks[0].cpuMs).toBeLessThan(50);
});

test('Stop ends a run mid-epoch within 200 ms; no epoch arrives after it and its worker is gone', async ({ app, page }) => {
  await app.mnistLoaded();
  // 300 hidden neurons: an epoch of the book's 784-30-10 takes about 0.1 s on the WebAssembly kernel, shorter than
  // the page's 100 ms between progress reports, so the run would seldom be seen part-way through one. This one
  // takes a second or more, and Stop is still heard every 1,000 examples.
  await app.set({ 'Hidden layers': '300' });
  await app.trainButton.click();
  // Stop in the middle of an epoch after the first, so the run has epoch lines and is part-way through the next.
  await expect(app.log.getByText(/Epoch 0: /)).toBeVisible({ timeout: 60_000 });
  await expect(app.progress).toHaveAttribute(
    'aria-valuetext',
    /([2-9]|[12]\d) of 30 epochs done · epoch \1 · [1-9][\d,]* \/ 50,000 examples/,
    {
      timeout: 60_000,
    },
  );
  // Click and watch the run's status from inside the page, so the figure is the app's, not the driver's.
  const { latency, linesAtClick } = await page.evaluate(async () => {
    const stop = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Stop')!;
    const status = () => document.querySelector('[aria-label="Run 1"] .status')?.textContent;
    const linesAtClick = [...document.querySelectorAll('[aria-label="Training log"] li')].filter((li) =>
      /Epoch \d+: /.test(li.textContent ?? ''),
    ).length;
    const start = performance.now();
    stop.click();
    while (status() !== 'stopped') await new Promise((resolve) => requestAnimationFrame(resolve));
    return { latency: performance.now() - start, linesAtClick };
  });
  console.log(`Stop took effect after ${latency.toFixed(0)} ms`);
  expect(latency).toBeLessThan(200);
  const lines = await app.epochLines();
  expect(linesAtClick).toBeGreaterThanOrEqual(1);
  expect(lines).toHaveLength(linesAtClick);
  await expect(app.stopButton).toBeDisabled();
  await expect(app.progress).toHaveAttribute('aria-valuetext', 'Idle.');
  // Another run trains to its end meanwhile: Run 1 gained no epoch, and only the viewer's worker is left.
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
  expect((await app.epochLines()).filter((l) => l.text.startsWith('Run 1 '))).toHaveLength(linesAtClick);
  await expect(app.run('Run 1')).toContainText('stopped');
  await expect.poll(() => page.workers().length).toBe(INSPECTING_WORKERS);
  await expect(app.trainButton).toBeEnabled();
});

test('an invalid field says why, marks itself and disables Train', async ({ app }) => {
  const eta = app.field('Learning rate (η)');
  await eta.fill('-1');
  await expect(eta).toHaveAttribute('aria-invalid', 'true');
  await expect(app.page.getByText('η must be greater than 0')).toBeVisible();
  await expect(app.trainButton).toBeDisabled();
  await eta.fill('0.5');
  await expect(eta).not.toHaveAttribute('aria-invalid', 'true');
  await expect(app.trainButton).toBeEnabled();
});

test('a default run’s progress card: the bar fills over the whole run, its epoch agrees with the last line, and its result stays', async ({
  app,
  page,
}) => {
  await app.mnistLoaded();
  // Every state the card shows, as rendered, however fast the run goes.
  await page.evaluate(() => {
    const seen: { value: number; max: number; text: string; latest: string }[] = ((
      window as unknown as { cardStates: unknown[] }
    ).cardStates = []);
    const card = document.querySelector('[aria-label="Training progress"]')!;
    new MutationObserver(() => {
      const bar = card.querySelector('[role=progressbar]')!;
      seen.push({
        value: Number(bar.getAttribute('aria-valuenow')),
        max: Number(bar.getAttribute('aria-valuemax')),
        text: bar.getAttribute('aria-valuetext') ?? '',
        latest: card.querySelector('.latest')?.textContent ?? '',
      });
    }).observe(card, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 120_000 });
  const states = await page.evaluate(
    () => (window as unknown as { cardStates: { value: number; max: number; text: string; latest: string }[] }).cardStates,
  );
  const training = states.filter((s) => / epochs done · /.test(s.text));
  expect(training.length).toBeGreaterThan(0);
  for (const state of training) {
    const [, done, of, current] = /^Run 1: (\d+) of (\d+) epochs done · epoch (\d+) · /.exec(state.text)!;
    expect([of, current], state.text).toEqual(['30', done]);
    // The line below is the last finished epoch: one before the epoch under way.
    if (Number(done) > 0) expect(state.latest, state.text).toMatch(new RegExp(`^Run 1 · Epoch ${Number(done) - 1}: `));
    else expect(state.latest).toBe('Run 1 · no epoch yet');
    expect(state.max).toBe(30 * 50_000);
    expect(state.value).toBeGreaterThanOrEqual(Number(done) * 50_000);
  }
  // The bar only moves forward, and past the first epoch it is never empty.
  for (let i = 1; i < training.length; i++) expect(training[i].value).toBeGreaterThanOrEqual(training[i - 1].value);
  // After the run: its result, with the best epoch when that was not the last.
  const [last] = (await app.epochLines()).slice(-1);
  await expect(page.getByRole('status').filter({ hasText: 'Run 1 finished' })).toContainText(
    new RegExp(`^Run 1 finished: ${(last.correct / 100).toFixed(2)}%(, best \\d+\\.\\d\\d% at epoch \\d+)?See the chart`),
  );
  await expect(app.progress).toHaveAttribute('aria-valuetext', 'Idle.');
});
