import { expect, test } from './fixtures';

test('the viewer browses digits and shows the trained run reading them', async ({ app }) => {
  const viewer = app.viewer;
  await expect(viewer.getByText('test #0')).toBeVisible();
  await expect(viewer).toContainText('label 7');
  await expect(viewer).toContainText('Train a run to see what the network reads.');
  await viewer.getByRole('button', { name: 'Next →' }).click();
  await expect(viewer.getByText('test #1')).toBeVisible();
  await expect(viewer).toContainText('label 2');
  await viewer.getByLabel('Set').selectOption('training');
  await viewer.getByLabel('Digit index').fill('0');
  await viewer.getByRole('button', { name: 'Go' }).click();
  await expect(viewer.getByText('training #0')).toBeVisible();
  await expect(viewer).toContainText('label 5');
  await viewer.getByLabel('Digit index').fill('50000');
  await viewer.getByRole('button', { name: 'Go' }).click();
  await expect(viewer.getByText('Give a whole number from 0 to 49,999 for the training set.')).toBeVisible();

  await app.set({ Epochs: '1', 'Training examples': '10000' });
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('finished', { timeout: 90_000 });
  await expect(viewer).toContainText(/Run 1 reads \d/);
  await expect(viewer.getByRole('figure', { name: 'Output activations' })).toContainText(/0\.\d{3}/);

  await viewer.getByLabel('Set').selectOption('test');
  await viewer.getByRole('checkbox', { name: 'Misclassified only' }).check();
  await expect(viewer.getByText(/\d+ of 10,000 test digits misread/)).toBeVisible();
  await expect(viewer.locator('.verdict')).toContainText('✗');
  await viewer.getByRole('button', { name: 'Next →' }).click();
  await expect(viewer.locator('.verdict')).toContainText('✗');
  await viewer.getByRole('button', { name: 'Random' }).click();
  await expect(viewer.locator('.verdict')).toContainText('✗');
});
