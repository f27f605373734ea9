/** The `app` fixture: a fresh page on the built app, wrapped in the page model. */
import { test as base } from '@playwright/test';
import { TrainerPage } from './pages/trainer-page';

export const test = base.extend<{ app: TrainerPage }>({
  app: async ({ page }, use) => {
    const app = new TrainerPage(page);
    await app.open();
    await use(app);
  },
});

export { expect } from '@playwright/test';
