/**
 * Writes the e2e tests' photo fixtures: MNIST test digits upscaled ten times onto a larger sheet as PNG,
 * dark ink on light paper (and one light on dark), with a little paper noise. Run once with
 * `npx tsx scripts/make-photo-fixtures.ts`; its outputs are committed in e2e/photos/.
 */
import { writeFileSync } from 'node:fs';
import { loadMnist } from '../src/data/source-node';
import { readInput } from '../src/nn/math';
import { Rng } from '../src/nn/rng';
import { encodePng } from './png.mjs';

const data = loadMnist();
const rng = new Rng(2024);
const x = new Float32Array(784);
for (const { index, darkOnLight } of [
  { index: 0, darkOnLight: true },
  { index: 1, darkOnLight: true },
  { index: 2, darkOnLight: true },
  { index: 3, darkOnLight: false },
]) {
  readInput(data.test, index, x);
  const width = 360;
  const height = 320;
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      const sx = Math.floor((xx - 40) / 10);
      const sy = Math.floor((y - 20) / 10);
      const ink = sx >= 0 && sy >= 0 && sx < 28 && sy < 28 ? x[sy * 28 + sx] : 0;
      const paper = darkOnLight ? 236 + rng.int(12) : 18 + rng.int(12);
      const level = darkOnLight ? paper - ink * (paper - 30) : paper + ink * (225 - paper);
      grey[y * width + xx] = Math.round(level);
    }
  }
  const name = `test-${index}-label-${data.test.labels[index]}-${darkOnLight ? 'dark-on-light' : 'light-on-dark'}.png`;
  writeFileSync(`e2e/photos/${name}`, encodePng(width, height, 1, grey));
  console.log(`wrote e2e/photos/${name}`);
}
writeFileSync('e2e/photos/not-an-image.png', 'This is a text file with a .png name.\n');
