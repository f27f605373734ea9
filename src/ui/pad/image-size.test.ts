import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageSize } from './image-size';

describe('imageSize', () => {
  it('reads a PNG’s size from its header', () => {
    const png = readFileSync(new URL('../../../e2e/photos/test-0-label-7-dark-on-light.png', import.meta.url));
    expect(imageSize(new Uint8Array(png.subarray(0, 64)))).toEqual({ width: 360, height: 320 });
  });

  it('reads a JPEG’s size from its start-of-frame, past the segments before it', () => {
    // SOI; an APP0 segment of 16 bytes; a fill byte; SOF2 (progressive) for 6,000 wide by 4,000 high.
    const jpeg = Uint8Array.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...new Array(14).fill(0),
      0xff,
      0xff,
      0xc2,
      0x00,
      0x11,
      0x08,
      0x0f,
      0xa0,
      0x17,
      0x70,
      0x03,
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 6000, height: 4000 });
  });

  it('gives null for anything else, or a header cut short', () => {
    expect(imageSize(new TextEncoder().encode('this is not an image at all, just words'))).toBeNull();
    expect(imageSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]))).toBeNull();
  });
});
