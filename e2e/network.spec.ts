/** The Network region: the selected run's layers reading one digit, from the viewer or the pad. */
import { expect, test } from './fixtures';
import { DIGIT_STROKES } from './pages/trainer-page';

test('the Network region draws the selected run reading the viewer’s digit, then the pad’s, and shows a hidden neuron’s weights', async ({
  app,
  page,
}) => {
  const network = page.getByRole('region', { name: 'Network', exact: true });
  await app.mnistLoaded();
  await expect(network).toContainText('Train a run');
  await app.trainBriefly(3);
  const drawing = network.getByRole('img', { name: /^784-30-10 reading/ });
  // MNIST's first test digit is a 7, and three epochs read it right.
  await expect(drawing).toHaveAccessibleName('784-30-10 reading test digit #0 (a 7): it answers 7');
  await expect(network).toContainText('Run 1 after epoch 2 reading test digit #0 (a 7)');
  // Thirty hidden neurons, ten outputs, and the 300 weights between them.
  await expect(drawing.locator('rect.neuron')).toHaveCount(30);
  await expect(drawing.locator('circle.neuron')).toHaveCount(10);
  await expect(drawing.locator('line')).toHaveCount(300);

  // Another digit in the viewer, then the pad: the drawing follows.
  await app.viewer.getByRole('button', { name: 'Next →' }).click();
  await expect(drawing).toHaveAccessibleName(/reading test digit #1 \(a 2\)/);
  await app.draw(DIGIT_STROKES['1']);
  await expect(network.getByRole('img', { name: /^784-30-10 reading your drawing: it answers \d$/ })).toBeVisible();

  // A hidden neuron, by pointer or by number: its weight picture and bias.
  await network.locator('rect.neuron').nth(5).hover();
  await expect(network.getByRole('img', { name: 'Input weights of hidden neuron 5' })).toBeVisible();
  await network.getByLabel('Hidden neuron', { exact: true }).fill('12');
  await expect(network.getByRole('img', { name: 'Input weights of hidden neuron 12' })).toBeVisible();
  await expect(network).toContainText(/its bias is -?\d+\.\d\d/);
});

test('on a phone the Network drawing fits the screen and its words stay legible', async ({ app, page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await app.trainBriefly(1);
  const drawing = page.getByRole('region', { name: 'Network', exact: true }).getByRole('img', { name: /^784-30-10 reading/ });
  await drawing.scrollIntoViewIfNeeded();
  const box = (await drawing.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // Every word in it (layer names, the outputs' values) at least 12 px tall as drawn: the wide plan shrank them to 8.
  const heights = await drawing
    .locator('text')
    .evaluateAll((texts) => texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.closest('svg')!.getScreenCTM()?.a ?? 1)));
  expect(heights.length).toBeGreaterThanOrEqual(13);
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(12);
});
