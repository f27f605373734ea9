import { expect, test } from './fixtures';

for (const [field, value, reason] of [
  ['Hidden layers', '0', 'each layer size must be at least 1'],
  ['Hidden layers', '30, abc', 'each layer size must be a number'],
  ['Hidden layers', '2001', 'each layer size must be at most 2,000'],
  ['Hidden layers', '10, 10, 10, 10, 10, 10', 'at most 5 hidden layers'],
  ['Epochs', '2.5', 'epochs must be a whole number'],
  ['Epochs', '1001', 'epochs must be at most 1,000'],
  ['Mini-batch size', '-3', 'mini-batch size must be at least 1'],
  ['Learning rate (η)', 'Infinity', 'η must be a number'],
  ['Learning rate (η)', '1001', 'η must be at most 1000'],
  ['Hidden layers', '0x1E', 'each layer size must be a number'],
  ['Learning rate (η)', 'three', 'η must be a number'],
  ['Training examples', '0', 'training examples must be at least 1'],
] as const) {
  test(`"${value}" in ${field} is refused as typed: ${reason}`, async ({ app, page }) => {
    const input = app.field(field);
    await input.fill(value);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(reason, { exact: true })).toBeVisible();
    await expect(app.trainButton).toBeDisabled();
    await expect(app.compareButton).toBeDisabled();
  });
}

test('a mini-batch larger than the training examples is refused with the limit', async ({ app, page }) => {
  await app.set({ 'Training examples': '100', 'Mini-batch size': '101' });
  await expect(app.field('Mini-batch size')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('mini-batch size must be at most 100', { exact: true })).toBeVisible();
  await expect(app.trainButton).toBeDisabled();
});

test('a choice from the URL that is not one is shown as it is, marked invalid, and Train waits for a real one', async ({ app, page }) => {
  await page.goto('/?cost=hinge&init=huge');
  const cost = page.getByLabel('Cost', { exact: true });
  const init = page.getByLabel('Weight initialisation', { exact: true });
  for (const [select, value] of [
    [cost, 'hinge'],
    [init, 'huge'],
  ] as const) {
    await expect(select).toHaveAttribute('aria-invalid', 'true');
    await expect(select).toHaveValue(value);
    await expect(select.locator('option:checked')).toHaveText(`“${value}” (not a choice)`);
  }
  await expect(app.trainButton).toBeDisabled();
  await cost.selectOption('cross-entropy');
  await init.selectOption('scaled');
  await expect(cost).not.toHaveAttribute('aria-invalid', 'true');
  await expect(init).not.toHaveAttribute('aria-invalid', 'true');
  await expect(app.trainButton).toBeEnabled();
});

test('yes-or-no settings from the URL that are neither, and numbers in hex, are marked invalid, and Train waits', async ({ app, page }) => {
  await page.goto('/?expand=yes&monitorTraining=2&hidden=0x1E');
  await expect(app.field('Hidden layers')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('each layer size must be a number', { exact: true })).toBeVisible();
  for (const [label, message] of [
    ['Monitor training data', 'monitoring the training data must be true or false'],
    ['Expand the training data', 'expanding the training data must be true or false'],
  ] as const) {
    const box = page.getByLabel(label, { exact: true });
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).not.toBeChecked();
    await expect(page.getByText(message, { exact: true })).toBeVisible();
  }
  await expect(app.trainButton).toBeDisabled();
  // Ticking sets each right.
  await app.field('Hidden layers').fill('30');
  await page.getByLabel('Monitor training data', { exact: true }).check();
  await page.getByLabel('Expand the training data', { exact: true }).check();
  await page.getByLabel('Expand the training data', { exact: true }).uncheck();
  await expect(app.trainButton).toBeEnabled();
});

test('the Chapter 3 section stays open while its fields are edited back to chapter 1’s values, and focus stays put', async ({
  app,
  page,
}) => {
  await expect(app.trainButton).toBeVisible();
  const section = page.locator('details.chapter3');
  await page.getByText('Chapter 3: cost, regularisation, initialisation').click();
  await expect(section).toHaveAttribute('open', '');
  const monitor = page.getByLabel('Monitor training data');
  await monitor.check();
  await monitor.uncheck();
  await expect(section).toHaveAttribute('open', '');
  await expect(monitor).toBeFocused();
  const cost = page.getByLabel('Cost', { exact: true });
  await cost.focus();
  await cost.selectOption('cross-entropy');
  await cost.selectOption('quadratic');
  await expect(section).toHaveAttribute('open', '');
  await expect(cost).toBeFocused();
  const lambda = page.getByLabel('Regularisation λ');
  await lambda.fill('5');
  await lambda.fill('0');
  await expect(section).toHaveAttribute('open', '');
  await expect(lambda).toBeFocused();
  // Closed by the person, it stays closed; a link that sets chapter 3's fields opens it on arrival.
  await page.getByText('Chapter 3: cost, regularisation, initialisation').click();
  await expect(section).not.toHaveAttribute('open', '');
  await page.goto('/?lambda=5');
  await expect(section).toHaveAttribute('open', '');
});
