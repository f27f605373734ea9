/**
 * Chapter 6's layers as pictures: many small maps (feature maps, or filters) laid out in one tiled image,
 * each map's values coloured as activations (dark where a map fires, on white) or as weights (red
 * positive, blue negative). Pure, so Node tests it; ConvolutionalLayers.tsx draws the images.
 */
import { weightColours } from '../inspector/weight-images';

export interface Tiles {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  columns: number;
  rows: number;
}

/** How maps are coloured: activations dark on white (scaled by the largest of them all), or each map's weights red and blue. */
export type TileInk = 'activation' | 'weight';

/** A gap of one pixel between maps, in the page's paper colour. */
const GAP = 1;
const PAPER = [238, 241, 246, 255];

/**
 * `count` maps of `height` × `width` from `values` (map after map, row-major), `columns` to a row, with a
 * one-pixel gap between them.
 */
export function tileMaps(values: Float32Array, count: number, height: number, width: number, columns: number, ink: TileInk): Tiles {
  if (values.length !== count * height * width)
    throw new RangeError(`${values.length} values do not make ${count} maps of ${height} × ${width}`);
  const rows = Math.ceil(count / columns);
  const W = columns * width + (columns - 1) * GAP;
  const H = rows * height + (rows - 1) * GAP;
  const rgba = new Uint8ClampedArray(W * H * 4);
  for (let p = 0; p < W * H; p++) rgba.set(PAPER, p * 4);
  let largest = 1e-9;
  if (ink === 'activation') for (const v of values) largest = Math.max(largest, Math.abs(v));
  const size = height * width;
  for (let m = 0; m < count; m++) {
    const map = values.subarray(m * size, (m + 1) * size);
    const colours = ink === 'weight' ? weightColours(map) : null;
    const [x0, y0] = [(m % columns) * (width + GAP), Math.floor(m / columns) * (height + GAP)];
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++) {
        const at = ((y0 + r) * W + x0 + c) * 4;
        const k = r * width + c;
        if (colours) rgba.set(colours.subarray(k * 4, k * 4 + 4), at);
        else {
          const v = Math.round(255 * (1 - Math.min(1, Math.abs(map[k]) / largest)));
          rgba.set([v, v, v, 255], at);
        }
      }
  }
  return { rgba, width: W, height: H, columns, rows };
}

/** Columns for `count` maps: a little wider than tall (20 maps: 5 × 4; 40: 8 × 5; 100 neurons: 10 × 10). */
export function columnsFor(count: number): number {
  if (count === 100) return 10;
  return Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count * 1.25))));
}
