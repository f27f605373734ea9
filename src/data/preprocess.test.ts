import { beforeAll, describe, expect, it } from 'vitest';
import { argmax, readInput } from '../nn/math';
import { Network } from '../nn/network';
import { runSgd } from '../nn/sgd';
import { loadMnist } from './source-node';
import type { MnistData } from './mnist';
import { centreLikeMnist, inkFromDrawing, inkFromPhoto, otsuThreshold } from './preprocess';

let data: MnistData;
beforeAll(() => {
  data = loadMnist();
});

function digit(index: number): Float32Array {
  return readInput(data.test, index, new Float32Array(784));
}

/** A 28 × 28 digit drawn `factor` times larger at (left, top) of a width × height RGBA photo. */
function photo(
  pixels: Float32Array,
  factor: number,
  width: number,
  height: number,
  left: number,
  top: number,
  darkOnLight = true,
): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.floor((x - left) / factor);
      const sy = Math.floor((y - top) / factor);
      const ink = sx >= 0 && sy >= 0 && sx < 28 && sy < 28 ? pixels[sy * 28 + sx] : 0;
      const level = darkOnLight ? 255 - ink * 255 : ink * 255;
      rgba.set([level, level, level, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}

/** The same digit as a drawing: ink in the alpha channel of a transparent canvas. */
function drawing(pixels: Float32Array, factor: number, width: number, height: number, left: number, top: number): Uint8ClampedArray {
  const rgba = photo(pixels, factor, width, height, left, top, false);
  for (let i = 0; i < width * height; i++) rgba[i * 4 + 3] = rgba[i * 4];
  return rgba;
}

const meanAbsDifference = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

describe('centreLikeMnist', () => {
  it('gives nothing for an empty pad', () => {
    expect(centreLikeMnist(new Float32Array(100), 10, 10)).toBeNull();
  });

  it('puts the ink in a 20-pixel box with its centre of mass at (14, 14), on the byte / 256 scale', () => {
    const ink = new Float32Array(200 * 100);
    for (let y = 10; y < 90; y++) for (let x = 50; x < 70; x++) ink[y * 200 + x] = 1; // a bar 20 wide, 80 tall
    const out = centreLikeMnist(ink, 200, 100)!;
    const rows = new Set<number>();
    const cols = new Set<number>();
    let mass = 0;
    let cx = 0;
    let cy = 0;
    out.forEach((v, p) => {
      if (v > 0) {
        rows.add(Math.floor(p / 28));
        cols.add(p % 28);
        mass += v;
        cx += (p % 28) * v;
        cy += Math.floor(p / 28) * v;
      }
    });
    expect(rows.size).toBe(20);
    expect(cols.size).toBe(5);
    expect(Math.abs(cx / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...out)).toBe(255 / 256);
  });

  it('gives the same image for a digit drawn anywhere on the pad', () => {
    const d = digit(0);
    const a = centreLikeMnist(inkFromDrawing(drawing(d, 8, 400, 400, 0, 0), 400, 400), 400, 400)!;
    const b = centreLikeMnist(inkFromDrawing(drawing(d, 8, 400, 400, 150, 90), 400, 400), 400, 400)!;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('gives nearly the same image for a digit drawn larger or smaller', () => {
    const d = digit(1);
    const small = centreLikeMnist(inkFromDrawing(drawing(d, 6, 300, 300, 20, 20), 300, 300), 300, 300)!;
    const large = centreLikeMnist(inkFromDrawing(drawing(d, 15, 500, 500, 40, 10), 500, 500), 500, 500)!;
    expect(meanAbsDifference(small, large)).toBeLessThan(0.02);
  });

  it('brings real MNIST test digits, upscaled ten times, back close to the originals (first 500)', () => {
    let total = 0;
    for (let i = 0; i < 500; i++) {
      const original = digit(i);
      const back = centreLikeMnist(inkFromDrawing(drawing(original, 10, 280, 280, 0, 0), 280, 280), 280, 280)!;
      total += meanAbsDifference(original, back);
    }
    // Measured 0.0005 per pixel (values span 0–1); test digits 0 and 1 differ by 0.1953.
    expect(total / 500).toBeLessThan(0.005);
    expect(meanAbsDifference(digit(0), digit(1))).toBeGreaterThan(0.1);
  });
});

describe('photos', () => {
  it("Otsu's threshold falls between the two modes of a bimodal histogram", () => {
    const histogram = new Array(256).fill(0);
    for (let v = 20; v < 40; v++) histogram[v] = 100;
    for (let v = 200; v < 230; v++) histogram[v] = 50;
    const t = otsuThreshold(histogram);
    expect(t).toBeGreaterThanOrEqual(39);
    expect(t).toBeLessThan(200);
  });

  it('reads dark ink on light paper and light ink on dark paper alike', () => {
    const d = digit(2);
    const dark = centreLikeMnist(inkFromPhoto(photo(d, 10, 360, 320, 30, 25, true), 360, 320), 360, 320)!;
    const light = centreLikeMnist(inkFromPhoto(photo(d, 10, 360, 320, 30, 25, false), 360, 320), 360, 320)!;
    expect(Array.from(light)).toEqual(Array.from(dark));
    expect(meanAbsDifference(dark, d)).toBeLessThan(0.05);
  });

  it('finds no digit in an image of one tone, black, white or grey with a camera’s noise', () => {
    const solid = (grey: number, noise: number) => {
      const rgba = new Uint8ClampedArray(200 * 150 * 4);
      for (let i = 0; i < 200 * 150; i++) {
        const g = grey + ((i * 7919) % (2 * noise + 1)) - noise;
        rgba.set([g, g, g, 255], i * 4);
      }
      return rgba;
    };
    for (const [grey, noise] of [
      [0, 0],
      [255, 0],
      [10, 8],
      [128, 12],
      [245, 6],
    ]) {
      expect(centreLikeMnist(inkFromPhoto(solid(grey, noise), 200, 150), 200, 150), `grey ${grey} ± ${noise}`).toBeNull();
    }
    // Faint pencil on paper is still a digit.
    const faint = photo(digit(2), 10, 360, 320, 30, 25, true).map((v, i) => (i % 4 === 3 ? v : 150 + (v * 80) / 255));
    expect(centreLikeMnist(inkFromPhoto(faint, 360, 320), 360, 320)).not.toBeNull();
  });

  it('photos of MNIST test digits (×10, dark on light) are read within two points of the originals', () => {
    const net = new Network([784, 30, 10], { seed: 1 });
    runSgd(net, data.training, 3, 10, 3.0);
    let original = 0;
    let photographed = 0;
    let drawn = 0;
    const n = 1000;
    for (let i = 0; i < n; i++) {
      const d = digit(i);
      const label = data.test.labels[i];
      if (argmax(net.feedforward(d)) === label) original++;
      const read = centreLikeMnist(inkFromPhoto(photo(d, 10, 300, 300, 10, 10, true), 300, 300), 300, 300)!;
      if (argmax(net.feedforward(read)) === label) photographed++;
      const pad = centreLikeMnist(inkFromDrawing(drawing(d, 10, 300, 300, 10, 10), 300, 300), 300, 300)!;
      if (argmax(net.feedforward(pad)) === label) drawn++;
    }
    console.log(
      `first ${n} test digits: originals ${(100 * original) / n}%, photos ${(100 * photographed) / n}%, drawings ${(100 * drawn) / n}%`,
    );
    expect(Math.abs(original - drawn)).toBeLessThanOrEqual(0.02 * n);
    expect(Math.abs(original - photographed)).toBeLessThanOrEqual(0.02 * n);
    expect(original).toBeGreaterThan(0.9 * n);
  });
});
