import { describe, expect, it } from 'vitest';
import { SparseBuilder, sparseFromBytes } from './dataset';
import { readInput } from './math';

describe('sparseFromBytes', () => {
  it('keeps exactly the non-zero bytes, whether or not they can be read four at a time', () => {
    const inputSize = 12;
    const count = 50;
    // Mostly zeros, some whole groups of four zero, some lone values at every position of a group.
    const bytes = Uint8Array.from({ length: count * inputSize }, (_, i) => ((i * 37) % 11 < 3 ? ((i * 13) % 255) + 1 : 0));
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    const aligned = sparseFromBytes(bytes, labels, inputSize, 1 / 256);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const unaligned = sparseFromBytes(shifted.subarray(1), labels, inputSize, 1 / 256);
    expect(unaligned).toEqual(aligned);
    const x = new Float32Array(inputSize);
    for (let i = 0; i < count; i++) {
      expect(Array.from(readInput(aligned, i, x))).toEqual(Array.from(bytes.subarray(i * inputSize, (i + 1) * inputSize), (b) => b / 256));
    }
    expect(aligned.offsets[count]).toBe(bytes.filter((b) => b !== 0).length);
  });

  it('builds the same dataset from pieces of any size, growing past its first guess', () => {
    const inputSize = 8;
    const bytes = Uint8Array.from({ length: 40 * inputSize }, (_, i) => (i % 5 === 0 || i % 7 === 3 ? (i % 200) + 1 : 0));
    const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 10);
    const whole = sparseFromBytes(bytes, labels, inputSize, 1 / 256);
    for (const size of [1, 3, 8, 13, 64]) {
      const builder = new SparseBuilder(inputSize, 1 / 256, 2);
      for (let at = 0; at < bytes.length; at += size) builder.push(bytes.slice(at, at + size));
      expect(builder.finish(labels)).toEqual(whole);
    }
    const cut = new SparseBuilder(inputSize, 1 / 256);
    cut.push(bytes.subarray(0, 12));
    expect(() => cut.finish(labels.subarray(0, 1))).toThrow('the inputs end 4 bytes into an input of 8');
  });
});
