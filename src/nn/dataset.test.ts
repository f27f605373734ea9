import { describe, expect, it } from 'vitest';
import { sparseFromBytes } from './dataset';
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
});
