import { expect, test } from './fixtures';

for (const [field, value, reason] of [
  ['Hidden layers', '0', 'each layer size must be at least 1'],
  ['Hidden layers', '30, abc', 'each layer size must be a number'],
  ['Hidden layers', '2001', 'each layer size must be at most 2,000'],
  ['Hidden layers', '10, 10, 10, 10, 10, 10', 'at most 5 hidden layers'],
  ['Epochs', '2.5', 'epochs must be a whole number'],
  ['Epochs', '1001', 'epochs must be at most 1,000'],
  ['Mini-batch size', '-3', 'mini-batch size must be at least 1'],
  ['Learning rate (η)', 'Infinity', 'η must be at most 1000'],
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
