// Screenshots of an interrupted run and of a model loading, desktop and phone (not committed).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
const server = spawn('npx', ['vite', 'preview', '--port', '4199', '--strictPort'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto('http://127.0.0.1:4199/?hidden=100&epochs=6');
  await page.getByText('test #0').waitFor({ timeout: 60000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByText(/Epoch 1: /).first().waitFor({ timeout: 60000 });
  await page.reload();
  await page.getByText(/was interrupted/).first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/${name}-interrupted.png`, fullPage: name === 'desktop' });
  await page.getByRole('listitem', { name: 'Run 1' }).screenshot({ path: `/tmp/shots/${name}-card.png` });
  await context.close();
}
await browser.close();
server.kill();
