import { describe, expect, it } from 'vitest';
import { columnsFor, tileMaps } from './feature-maps';

const pixel = (tiles: ReturnType<typeof tileMaps>, x: number, y: number) =>
  Array.from(tiles.rgba.subarray((y * tiles.width + x) * 4, (y * tiles.width + x) * 4 + 4));

describe('feature maps as one picture', () => {
  it('lays maps out in rows with a one-pixel gap, dark where a map fires (scaled by the largest of all)', () => {
    // Three maps of 2 × 2, two to a row: 5 × 5 pixels.
    const values = Float32Array.from([0, 1, 0.5, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
    const tiles = tileMaps(values, 3, 2, 2, 2, 'activation');
    expect([tiles.width, tiles.height, tiles.columns, tiles.rows]).toEqual([5, 5, 2, 2]);
    expect(pixel(tiles, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(tiles, 1, 0)).toEqual([128, 128, 128, 255]); // 1 of the largest 2
    expect(pixel(tiles, 0, 1)).toEqual([191, 191, 191, 255]);
    expect(pixel(tiles, 2, 0)).toEqual([238, 241, 246, 255]); // the gap
    expect(pixel(tiles, 0, 3)).toEqual([0, 0, 0, 255]); // the third map's 2, on the second row
    expect(pixel(tiles, 4, 4)).toEqual([238, 241, 246, 255]); // no fourth map
  });

  it('colours filters red for positive weights and blue for negative, each filter scaled by its own largest', () => {
    const tiles = tileMaps(Float32Array.from([1, -1, 0, 0.5]), 2, 1, 2, 2, 'weight');
    expect(pixel(tiles, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(tiles, 1, 0)).toEqual([0, 0, 255, 255]);
    expect(pixel(tiles, 3, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(tiles, 4, 0)).toEqual([255, 0, 0, 255]);
    expect(() => tileMaps(new Float32Array(3), 2, 1, 2, 2, 'weight')).toThrow('3 values do not make 2 maps of 1 × 2');
  });

  it('chooses a little wider than tall: 20 maps 5 × 4, 40 maps 8 × 5, 100 neurons 10 × 10', () => {
    expect([20, 40, 100].map(columnsFor)).toEqual([5, 8, 10]);
  });
});
