/**
 * Pictures for the README, taken by the tests that bring the page into the state they show. They go to
 * docs/screenshots/ only when asked (`npm run screenshots`, which sets README_SCREENSHOTS=1); otherwise
 * into the test's output folder, so `npm test` leaves a clone as it found it.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';

export async function readmeShot(target: Page | Locator, name: string, testInfo: TestInfo): Promise<void> {
  const path = process.env.README_SCREENSHOTS ? `docs/screenshots/${name}` : testInfo.outputPath(name);
  await target.screenshot({ path });
}
