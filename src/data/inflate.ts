/** Gunzip with pako: the only file that imports it. Errors name the file and say what is wrong. */
import { Inflate, Z_BUF_ERROR } from 'pako';

/** The error for a file that does not begin with gzip's signature. */
export const notGzip = (name: string) => new Error(`${name}: not a gzip file (it does not start with the gzip signature)`);

/**
 * A gzip file decompressed piece by piece as it arrives, so that a download and its decompression
 * overlap: `push` each piece in order (a corrupt stream throws at once), then `finish` for the bytes.
 */
export class Gunzip {
  private readonly inflator = new Inflate({ chunkSize: 256 * 1024 });
  private started = false;

  /** `onData`: each piece of the decompressed bytes as it is ready (else they are kept for `finish`). */
  constructor(
    private readonly name: string,
    onData?: (piece: Uint8Array) => void,
  ) {
    if (onData) this.inflator.onData = onData;
  }

  push(piece: Uint8Array): void {
    if (!piece.length) return;
    if (!this.started) {
      // The signature's two bytes may arrive in different pieces only when a piece is one byte long.
      if (piece[0] !== 0x1f || (piece.length > 1 && piece[1] !== 0x8b)) throw notGzip(this.name);
      this.started = true;
    }
    this.inflator.push(piece, false);
    this.check();
  }

  /** The decompressed bytes (empty when they went to `onData`). */
  finish(): Uint8Array {
    if (!this.started) throw notGzip(this.name);
    if (!this.inflator.ended) this.inflator.push(new Uint8Array(0), true);
    // zlib's Z_BUF_ERROR at the end of the input means the stream stopped before its end.
    if (this.inflator.err === Z_BUF_ERROR || !this.inflator.ended)
      throw new Error(`${this.name}: the gzip data ends early — the file is truncated`);
    this.check();
    return (this.inflator.result as Uint8Array | undefined) ?? new Uint8Array(0);
  }

  private check(): void {
    const { err, msg } = this.inflator;
    if (err && err !== Z_BUF_ERROR) throw new Error(`${this.name}: corrupt gzip data (${msg || `error ${err}`})`);
  }
}

/** Decompress the gzip file `name`; throws a clear Error when it is not gzip or is cut short. */
export function gunzip(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw notGzip(name);
  const stream = new Gunzip(name);
  stream.push(bytes);
  return stream.finish();
}
