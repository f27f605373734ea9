/**
 * The idx format of MNIST's files (yann.lecun.com/exdb/mnist): a big-endian header of magic number and
 * dimensions, then unsigned bytes. Pure parsing with exact error messages; no I/O.
 */

/** Magic numbers of the two kinds of MNIST file: unsigned bytes, 3 and 1 dimensions. */
export const IMAGES_MAGIC = 2051;
export const LABELS_MAGIC = 2049;

/** A parsed idx file: its dimensions and its data bytes (a view into the input, not a copy). */
export interface IdxFile {
  magic: number;
  dims: number[];
  data: Uint8Array;
}

/** Parse an idx file named `name` (for messages), checking magic number, header and length. */
export function parseIdx(bytes: Uint8Array, name: string, expectedMagic: number): IdxFile {
  if (bytes.length < 8) throw new Error(`${name}: ${bytes.length} bytes is too short to be an idx file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new Error(
      `${name}: wrong magic number ${magic}, expected ${expectedMagic} — not an MNIST ${expectedMagic === IMAGES_MAGIC ? 'images' : 'labels'} file`,
    );
  }
  const rank = magic & 0xff;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new Error(`${name}: truncated header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) {
    throw new Error(
      `${name}: ${actual} data bytes, but the header (${dims.join(' × ')}) says ${expected} — the file is truncated or corrupt`,
    );
  }
  return { magic, dims, data: bytes.subarray(headerLength) };
}

/** Labels from an idx1 file, each checked to be a digit 0–9. */
export function parseLabels(bytes: Uint8Array, name: string): Uint8Array {
  const { data } = parseIdx(bytes, name, LABELS_MAGIC);
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 9) throw new Error(`${name}: label ${i} is ${data[i]}, expected a digit 0–9`);
  }
  return data;
}

/** Images from an idx3 file: the pixel bytes and each image's rows and columns. */
export function parseImages(bytes: Uint8Array, name: string): { pixels: Uint8Array; count: number; rows: number; cols: number } {
  const { dims, data } = parseIdx(bytes, name, IMAGES_MAGIC);
  const [count, rows, cols] = dims;
  return { pixels: data, count, rows, cols };
}

/** The bytes of an idx file with the given magic, dimensions and data (for tests and tools). */
export function encodeIdx(magic: number, dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
