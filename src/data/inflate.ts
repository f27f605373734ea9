/** Gunzip with pako: the only file that imports it. Errors name the file and say what is wrong. */
import { Inflate, Z_BUF_ERROR } from 'pako';

/** Decompress the gzip file `name`; throws a clear Error when it is not gzip or is cut short. */
export function gunzip(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new Error(`${name}: not a gzip file (it does not start with the gzip signature)`);
  }
  const inflator = new Inflate();
  inflator.push(bytes, true);
  // zlib's Z_BUF_ERROR at the end of the input means the stream stopped before its end.
  if (inflator.err === Z_BUF_ERROR || !inflator.ended) throw new Error(`${name}: the gzip data ends early — the file is truncated`);
  if (inflator.err) throw new Error(`${name}: corrupt gzip data (${inflator.msg || `error ${inflator.err}`})`);
  return inflator.result as Uint8Array;
}
