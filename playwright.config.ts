import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** Debian's Chromium (or CHROMIUM_PATH) where present: Playwright cannot download its own here. Also used by cli/bench.ts. */
export const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
/**
 * A port nobody listens on, chosen once per `playwright test` (its workers inherit it through the
 * environment): the suite never runs against a server it did not start.
 */
function freePort(): number {
  const probe = "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });";
  return Number(execFileSync(process.execPath, ['-e', probe]).toString().trim());
}
process.env.MNIST_E2E_PORT ??= String(freePort());
const PORT = Number(process.env.MNIST_E2E_PORT);

/** How every Chromium here starts (tests, bench, measurements): no sandbox as root, no GPU, no background traffic. */
export const chromiumArgs = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // No retries: a test that passes only on a second try hides a fault (or a machine-dependent assertion).
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'on-first-retry',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath,
      args: chromiumArgs,
    },
  },
  projects: [
    // The app in Chromium, driven by Playwright.
    { name: 'chromium', testIgnore: 'engines/**' },
    // The same app in Gecko and WebKit, each through its own driver (e2e/engines): no Playwright browser.
    { name: 'engines', testMatch: 'engines/*.spec.ts' },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
