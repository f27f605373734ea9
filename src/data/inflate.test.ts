import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Gunzip, gunzip } from './inflate';

const labels = readFileSync('public/t10k-labels-idx1-ubyte.gz');

/** `bytes` pushed in pieces of `size`, then finished. */
function inPieces(bytes: Uint8Array, size: number, name = 'labels'): Uint8Array {
  const stream = new Gunzip(name);
  for (let at = 0; at < bytes.length; at += size) stream.push(bytes.subarray(at, at + size));
  return stream.finish();
}

describe('gunzip, whole and piece by piece', () => {
  it('gives the same bytes in pieces of any size as in one go (MNIST test labels)', () => {
    const whole = gunzip(labels, 'labels');
    expect(whole.length).toBe(10_008);
    for (const size of [1, 7, 1000, 65_536]) expect(inPieces(labels, size)).toEqual(whole);
  });

  it('names a corrupt stream as soon as the bad piece arrives, and a cut one at the end', () => {
    const data = gzipSync(Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));
    const corrupt = Uint8Array.from(data);
    corrupt.fill(0xff, 20, 60);
    const stream = new Gunzip('x.gz');
    expect(() => {
      for (let at = 0; at < corrupt.length; at += 10) stream.push(corrupt.subarray(at, at + 10));
    }).toThrow(/^x.gz: corrupt gzip data/);
    expect(() => inPieces(data.subarray(0, data.length - 100), 64, 'x.gz')).toThrow(
      'x.gz: the gzip data ends early — the file is truncated',
    );
    expect(() => new Gunzip('x.gz').push(Uint8Array.from([1, 2, 3]))).toThrow('x.gz: not a gzip file');
    expect(() => new Gunzip('x.gz').finish()).toThrow('x.gz: not a gzip file');
  });
});
