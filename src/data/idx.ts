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

/** The magic number at the start of `view`, checked against the expected one. */
function checkMagic(view: DataView, name: string, expectedMagic: number): number {
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new Error(
      `${name}: wrong magic number ${magic}, expected ${expectedMagic} — not an MNIST ${expectedMagic === IMAGES_MAGIC ? 'images' : 'labels'} file`,
    );
  }
  return magic;
}

function lengthError(name: string, actual: number, dims: number[], expected: number): Error {
  return new Error(
    `${name}: ${actual} data bytes, but the header (${dims.join(' × ')}) says ${expected} — the file is truncated or corrupt`,
  );
}

/** Parse an idx file named `name` (for messages), checking magic number, header and length. */
export function parseIdx(bytes: Uint8Array, name: string, expectedMagic: number): IdxFile {
  if (bytes.length < 8) throw new Error(`${name}: ${bytes.length} bytes is too short to be an idx file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = checkMagic(view, name, expectedMagic);
  const rank = magic & 0xff;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new Error(`${name}: truncated header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) throw lengthError(name, actual, dims, expected);
  return { magic, dims, data: bytes.subarray(headerLength) };
}

/**
 * An idx file read as its bytes arrive, with parseIdx's checks: `onHeader` gets the dimensions once the
 * header is whole, `onData` each later piece of data (up to the length the header gives), and `finish`
 * checks that exactly that much came.
 */
export class IdxReader {
  /** Room for the longest header MNIST uses (rank 3). */
  private readonly header = new Uint8Array(16);
  private headerFill = 0;
  private headerLength = 0;
  private dims: number[] | null = null;
  private expected = 0;
  private received = 0;

  constructor(
    private readonly name: string,
    private readonly expectedMagic: number,
    private readonly onHeader: (dims: number[]) => void,
    private readonly onData: (piece: Uint8Array) => void,
  ) {}

  push(piece: Uint8Array): void {
    if (!this.dims) piece = this.takeHeader(piece);
    if (!this.dims || !piece.length) return;
    const room = this.expected - this.received;
    if (room > 0) this.onData(piece.length > room ? piece.subarray(0, room) : piece);
    this.received += piece.length;
  }

  /** The dimensions, once every byte has come. */
  finish(): number[] {
    if (!this.dims) {
      if (this.headerFill < 8) throw new Error(`${this.name}: ${this.headerFill} bytes is too short to be an idx file`);
      throw new Error(`${this.name}: truncated header`);
    }
    if (this.received !== this.expected) throw lengthError(this.name, this.received, this.dims, this.expected);
    return this.dims;
  }

  /** Fill the header from the start of `piece`; returns what is left of the piece. */
  private takeHeader(piece: Uint8Array): Uint8Array {
    const view = () => new DataView(this.header.buffer);
    if (this.headerFill < 8) {
      const take = Math.min(8 - this.headerFill, piece.length);
      this.header.set(piece.subarray(0, take), this.headerFill);
      this.headerFill += take;
      piece = piece.subarray(take);
      if (this.headerFill < 8) return piece;
      const rank = checkMagic(view(), this.name, this.expectedMagic) & 0xff;
      if (rank > 3) throw new Error(`${this.name}: ${rank} dimensions, expected at most 3`);
      this.headerLength = 4 + 4 * rank;
    }
    const take = Math.min(this.headerLength - this.headerFill, piece.length);
    this.header.set(piece.subarray(0, take), this.headerFill);
    this.headerFill += take;
    if (this.headerFill < this.headerLength) return piece.subarray(take);
    const dims = Array.from({ length: (this.headerLength - 4) / 4 }, (_, i) => view().getUint32(4 + 4 * i));
    this.expected = dims.reduce((a, b) => a * b, 1);
    this.onHeader(dims);
    this.dims = dims;
    return piece.subarray(take);
  }
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
