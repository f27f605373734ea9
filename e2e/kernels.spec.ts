/**
 * The page's kernels against the engine run here in Node: the 128-bit SIMD build does the same IEEE
 * arithmetic in every engine, so the page with `?kernel=simd` prints exactly the numbers Node prints;
 * the relaxed-SIMD build (Chromium's default) fuses multiply-adds and lands within a few tenths.
 */
import { loadMnist } from '../src/data/source-node';
import { sliceDataset } from '../src/nn/dataset';
import { Network } from '../src/nn/network';
import { runSgd } from '../src/nn/sgd';
import { expect, test } from './fixtures';
import { EPOCH_LINE } from './pages/trainer-page';

const SETTINGS = 'hidden=30&epochs=2&trainingExamples=5000&seed=1';

/** What the engine's SIMD build counts after each of two epochs of 5,000 examples, in this Node process. */
function nodeCounts(): number[] {
  const data = loadMnist();
  const counts: number[] = [];
  runSgd(new Network([784, 30, 10], { seed: 1 }), sliceDataset(data.training, 0, 5000), 2, 10, 3.0, {
    test: data.test,
    kernel: 'simd',
    onEvent: (e) => e.kind === 'epoch' && counts.push(e.correct!),
  });
  return counts;
}

test('the page on ?kernel=simd prints the counts Node prints; its default, relaxed SIMD, says so and is within 0.5 points', async ({
  app,
}) => {
  const expected = nodeCounts();
  /** Run `name`'s two epoch lines (a later visit also shows the runs kept from an earlier one). */
  const linesOf = async (name: string) => {
    const mine = app.log.getByRole('listitem').filter({ hasText: `${name} (784-30-10) · Epoch` });
    await expect(mine).toHaveCount(2, { timeout: 60_000 });
    const counts = (await mine.allTextContents()).map((text) => Number(EPOCH_LINE.exec(text)![2]));
    return { counts, hover: await mine.last().getAttribute('title') };
  };

  await app.open(`/?${SETTINGS}&kernel=simd`);
  await app.trainButton.click();
  const simd = await linesOf('Run 1');
  expect(simd.counts).toEqual(expected);
  expect(simd.hover).toMatch(/^trained in \d\.\d{4} s \([\d,]+ examples\/s\) on WebAssembly SIMD; measured in/);
  // The address keeps the kernel while the form rewrites the settings in it.
  expect(new URL(app.page.url()).searchParams.get('kernel')).toBe('simd');

  await app.open(`/?${SETTINGS}`);
  await app.trainButton.click();
  const relaxed = await linesOf('Run 2');
  expect(relaxed.hover).toContain('on WebAssembly relaxed SIMD;');
  relaxed.counts.forEach((count, epoch) => expect(Math.abs(count - expected[epoch])).toBeLessThanOrEqual(50));
});

test('an unknown kernel in the address fails the run with a message that lists the choices', async ({ app }) => {
  await app.open('/?epochs=1&trainingExamples=1000&kernel=gpu');
  await app.trainButton.click();
  await expect(app.run('Run 1')).toContainText('failed', { timeout: 60_000 });
  await expect(app.page.getByRole('alert').filter({ hasText: 'Run 1 failed' })).toContainText(
    'unknown kernel "gpu": expected auto, wasm, relaxed, simd, js',
  );
  await expect(app.log).not.toContainText(EPOCH_LINE);
});
