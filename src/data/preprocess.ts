/**
 * Turn a drawing or a photo of a digit into what MNIST digits look like, as the dataset was made
 * (LeCun et al.): the ink's bounding box scaled so its longer side is 20 pixels (aspect kept,
 * anti-aliased by area averaging), placed in a 28 × 28 field with its centre of mass at the centre,
 * intensities on the training scale (byte / 256). Pure functions over arrays; tested in Node.
 */

import { IMAGE_SIDE } from '../nn/mnist-shape';

/** Side of an MNIST image, and of the box the ink is scaled into. */
export const INK_BOX = 20;
/** Where MNIST's centres of mass sit, in pixel-index coordinates (measured: 14.00, 13.99 on t10k). */
const CENTRE = 14;

/** For each of `dstLength` output cells, the source cells it covers and by how much (area resampling). */
function areaWeights(srcStart: number, srcLength: number, dstLength: number): { index: number; weight: number }[][] {
  const ratio = srcLength / dstLength;
  return Array.from({ length: dstLength }, (_, d) => {
    const from = d * ratio;
    const to = (d + 1) * ratio;
    const cells: { index: number; weight: number }[] = [];
    for (let s = Math.floor(from); s < Math.ceil(to); s++) {
      const overlap = Math.min(to, s + 1) - Math.max(from, s);
      if (overlap > 1e-9) cells.push({ index: srcStart + s, weight: overlap / ratio });
    }
    return cells;
  });
}

/**
 * The 28 × 28 MNIST-style input (784 values in [0, 255/256]) for an ink image of `width` × `height`
 * (ink[y * width + x] in 0..1, 0 = paper), or null when there is no ink.
 */
export function centreLikeMnist(ink: Float32Array, width: number, height: number): Float32Array | null {
  if (ink.length !== width * height) throw new RangeError(`ink has ${ink.length} values, expected ${width} × ${height}`);
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  const boxWidth = maxX - minX + 1;
  const boxHeight = maxY - minY + 1;
  const scale = INK_BOX / Math.max(boxWidth, boxHeight);
  const outWidth = Math.max(1, Math.min(INK_BOX, Math.round(boxWidth * scale)));
  const outHeight = Math.max(1, Math.min(INK_BOX, Math.round(boxHeight * scale)));

  // Separable area averaging: rows of the box to outWidth columns, then columns to outHeight rows.
  const columns = areaWeights(minX, boxWidth, outWidth);
  const rows = areaWeights(minY, boxHeight, outHeight);
  const narrowed = new Float32Array(outWidth * boxHeight);
  for (let y = 0; y < boxHeight; y++) {
    const source = (minY + y) * width;
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (const { index, weight } of columns[x]) sum += ink[source + index] * weight;
      narrowed[y * outWidth + x] = sum;
    }
  }
  const small = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (const { index, weight } of rows[y]) sum += narrowed[(index - minY) * outWidth + x] * weight;
      small[y * outWidth + x] = Math.min(1, sum);
    }
  }

  // Centre of mass of the scaled ink, then an integer shift that puts it at the field's centre.
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const v = small[y * outWidth + x];
      mass += v;
      cx += x * v;
      cy += y * v;
    }
  }
  const left = Math.round(CENTRE - cx / mass);
  const top = Math.round(CENTRE - cy / mass);
  const out = new Float32Array(IMAGE_SIDE * IMAGE_SIDE);
  for (let y = 0; y < outHeight; y++) {
    const ty = top + y;
    if (ty < 0 || ty >= IMAGE_SIDE) continue;
    for (let x = 0; x < outWidth; x++) {
      const tx = left + x;
      if (tx < 0 || tx >= IMAGE_SIDE) continue;
      // The training scale: a byte of ink intensity, divided by 256 as the book's loader does.
      out[ty * IMAGE_SIDE + tx] = Math.min(255, Math.round(small[y * outWidth + x] * 255)) / 256;
    }
  }
  return out;
}

/** Ink of a canvas drawing: the stroke's coverage (alpha), 0..1. */
export function inkFromDrawing(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3] / 255;
  return ink;
}

/** Otsu's threshold of a 256-bin histogram: the level that best separates two classes. */
export function otsuThreshold(histogram: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) {
    total += histogram[v];
    sumAll += v * histogram[v];
  }
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    weightBelow += histogram[t];
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += t * histogram[t];
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sumAll - sumBelow) / weightAbove;
    const variance = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best;
}

/** The least difference in grey between paper and ink for a photo to hold a stroke (0..255). */
const MIN_INK_CONTRAST = 48;

/**
 * Ink of a photo or scan: grey levels (alpha over white paper), polarity decided by the border (paper
 * surrounds the digit), ink separated from paper by Otsu's threshold and scaled so the darkest ink is 1.
 * Pixels within the paper's noise are paper; above it, ink is linear in darkness. Works for dark ink on
 * light paper and for light on dark.
 */
export function inkFromPhoto(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Float32Array {
  const n = width * height;
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rgba[i * 4 + 3] / 255;
    const luma = 0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2];
    grey[i] = luma * a + 255 * (1 - a);
  }
  const border: number[] = [];
  const frame = Math.max(1, Math.round(Math.min(width, height) * 0.04));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < frame || y < frame || x >= width - frame || y >= height - frame) border.push(grey[y * width + x]);
    }
  }
  border.sort((a, b) => a - b);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += grey[i] / n;
  const lightPaper = border[border.length >> 1] >= mean;
  // v: how much like ink each pixel is, 0..255 (ink bright).
  const histogram = new Uint32Array(256);
  const v = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = Math.round(lightPaper ? 255 - grey[i] : grey[i]);
    histogram[v[i]]++;
  }
  // An image of one tone (a black, white or grey picture, a lens cap) has no stroke: paper and ink must
  // differ by more than a camera's noise. Faint pencil on paper differs by about 80.
  let darkest = 0;
  while (histogram[darkest] === 0) darkest++;
  let brightest = 255;
  while (histogram[brightest] === 0) brightest--;
  if (brightest - darkest < MIN_INK_CONTRAST) return new Float32Array(n);
  // Otsu's threshold splits paper from ink; the paper's own spread says how much is noise.
  const threshold = otsuThreshold(histogram);
  let paperCount = 0;
  let paperSum = 0;
  let paperSquares = 0;
  for (let t = 0; t <= threshold; t++) {
    paperCount += histogram[t];
    paperSum += t * histogram[t];
    paperSquares += t * t * histogram[t];
  }
  const paper = paperCount ? paperSum / paperCount : 0;
  const noise = paperCount ? 3 * Math.sqrt(Math.max(0, paperSquares / paperCount - paper * paper)) : 0;
  // The strongest ink (99th percentile above the threshold) becomes 1, as MNIST's stroke cores are;
  // between paper and that, intensity stays linear so the soft edges of strokes survive.
  let above = 0;
  for (let t = threshold + 1; t < 256; t++) above += histogram[t];
  let strong = 255;
  for (let t = 255, seen = 0; t > threshold; t--) {
    seen += histogram[t];
    if (seen >= above * 0.01) {
      strong = t;
      break;
    }
  }
  const ink = new Float32Array(n);
  const span = Math.max(1, strong - paper);
  for (let i = 0; i < n; i++) ink[i] = v[i] <= paper + noise ? 0 : Math.min(1, (v[i] - paper) / span);
  return ink;
}
