// The app's icons, drawn from MNIST itself: the first test digit (a 7), its 28 × 28 pixels enlarged as
// blocks, light on the page's blue. Writes PNGs for the web app manifest, the favicon and iOS's home
// screen into public/icons/ (git-ignored, like the data). Called by prepare-data.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from './png.mjs';

const SIDE = 28;
const BACKGROUND = [0x1d, 0x3b, 0x72];
const INK = [0xf4, 0xf6, 0xfb];

/** The icons: file name, size in pixels, and the share of the side the digit's 28 × 28 grid covers. */
export const ICONS = [
  { file: 'icon-192.png', size: 192, cover: 0.9 },
  { file: 'icon-512.png', size: 512, cover: 0.9 },
  // A maskable icon's safe zone is the inner circle of 80%: the digit's ink stays well inside it.
  { file: 'icon-maskable-512.png', size: 512, cover: 0.7 },
  { file: 'apple-touch-icon.png', size: 180, cover: 0.85 },
  { file: 'favicon-32.png', size: 32, cover: 1 },
];

/** Write the icons for `digit` (784 bytes, row-major) into `dir`. */
export function writeIcons(digit, dir) {
  mkdirSync(dir, { recursive: true });
  for (const { file, size, cover } of ICONS) {
    const grid = size * cover;
    const offset = (size - grid) / 2;
    const rgb = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const col = Math.floor(((x + 0.5 - offset) / grid) * SIDE);
        const row = Math.floor(((y + 0.5 - offset) / grid) * SIDE);
        const ink = row >= 0 && row < SIDE && col >= 0 && col < SIDE ? digit[row * SIDE + col] / 255 : 0;
        rgb.set(
          BACKGROUND.map((b, i) => Math.round(b + (INK[i] - b) * ink)),
          3 * (y * size + x),
        );
      }
    }
    writeFileSync(join(dir, file), encodePng(size, size, 3, rgb));
  }
}
