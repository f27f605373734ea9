/**
 * No wait is endless: MNIST downloads that stall, get no answer or break off end in an alert that names
 * the file, with Retry, and Retry recovers without a reload. Served by a real server that misbehaves.
 */
import { expect, test } from './fixtures';
import { TrainerPage } from './pages/trainer-page';
import { serveStatic, type Fault, type StaticServer } from './support/static-server';

const FILE = 'train-images-idx3-ubyte.gz';
let server: StaticServer;
test.afterEach(() => server?.close());

/** The request for the file is taken and never answered. */
const noAnswer: Fault = (path) => path === `/${FILE}`;

const faults: { name: string; fault: Fault; message: RegExp }[] = [
  {
    name: 'stops after 1 KB',
    fault: (path, _req, res) => {
      if (path !== `/${FILE}`) return false;
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '9912422' });
      res.write(Buffer.alloc(1024)); // … and then nothing, with the connection open
      return true;
    },
    message: new RegExp(
      `^Could not load MNIST: the download of ${FILE} stopped: nothing arrived for 20 s \\(after 1 KB of 9\\.9 MB\\)\\. Check the connection and retry\\.`,
    ),
  },
  {
    name: 'gets no answer at all',
    fault: noAnswer,
    message: new RegExp(`^Could not load MNIST: the download of ${FILE} stopped: nothing arrived for 20 s \\(after 0 bytes\\)`),
  },
  {
    name: 'breaks off after 1 KB',
    fault: (path, _req, res) => {
      if (path !== `/${FILE}`) return false;
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': '9912422' });
      // Close the connection after the 1 KB: the body ends 9.9 MB short.
      res.write(Buffer.alloc(1024), () => res.socket?.end());
      return true;
    },
    // Whether Chromium hands the page the 1 KB before the error is its own choice.
    message: new RegExp(`^Could not load MNIST: Could not download ${FILE}: the connection dropped after (?:1 KB|0 bytes) of 9\\.9 MB`),
  },
];

for (const { name, fault, message } of faults) {
  test(`a download of MNIST that ${name} ends in an alert naming the file; a run started meanwhile fails with it; Retry recovers`, async ({
    page,
  }) => {
    test.slow();
    server = await serveStatic('dist', fault);
    const app = new TrainerPage(page);
    await page.goto(server.url);
    await app.set({ Epochs: '1', 'Training examples': '2000' });
    await app.trainButton.click();
    const dataAlert = page.getByRole('alert').filter({ hasText: 'Could not load MNIST' });
    await expect(dataAlert).toHaveText(message, { timeout: 45_000 });
    await expect(page.getByRole('alert').filter({ hasText: 'Run 1 failed' })).toContainText(FILE, { timeout: 45_000 });
    await expect(app.run('Run 1')).toContainText('failed');

    server.setFault(null);
    await dataAlert.getByRole('button', { name: 'Retry' }).click();
    await app.mnistLoaded();
    await expect(dataAlert).toHaveCount(0);
    await app.trainButton.click();
    await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
  });
}

test('a run waiting for MNIST from the viewer’s worker fails with the reason when that worker ends, and Retry recovers', async ({
  page,
}) => {
  // The download gets no answer, so the run waits on the viewer's worker, which holds MNIST for the page.
  server = await serveStatic('dist', noAnswer);
  const app = new TrainerPage(page);
  await page.goto(server.url);
  await app.set({ Epochs: '1', 'Training examples': '2000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText(/starting|loading/);
  await expect.poll(() => page.workers().length).toBe(3);
  // The two inspecting workers came first; the run's worker is the third.
  for (const inspecting of page.workers().slice(0, 2)) await inspecting.evaluate(() => self.close());
  await expect(page.getByRole('alert').filter({ hasText: 'Run 1 failed' })).toContainText(
    "the viewer's worker, which holds MNIST for the page, stopped (it was closed without an error",
  );
  server.setFault(null);
  await page.getByRole('alert').filter({ hasText: 'Could not load MNIST' }).getByRole('button', { name: 'Retry' }).click();
  await app.mnistLoaded();
  await app.trainButton.click();
  await expect(app.run('Run 2')).toContainText('finished', { timeout: 60_000 });
});
