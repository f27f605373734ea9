import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInput } from '../nn/math';
import { encodeIdx, IMAGES_MAGIC, LABELS_MAGIC, parseIdx } from './idx';
import { gunzip } from './inflate';
import { loadDataWrapper, MNIST_FILES, MNIST_SHA256, MnistReader, type MnistData, type MnistGzFiles } from './mnist';
import { PUBLIC_DIR, readMnistFiles } from './source-node';

const notebookExample = readFileSync(new URL('./fixtures/notebook-training-0.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#'))
  .map(Number);

let files: MnistGzFiles;
let data: MnistData;
beforeAll(() => {
  files = readMnistFiles();
  data = loadDataWrapper(files);
});

describe("the book's load_data_wrapper split of real MNIST", () => {
  it('has 50,000 training, 10,000 validation and 10,000 test examples of 784 pixels', () => {
    expect([data.training.count, data.validation.count, data.test.count]).toEqual([50_000, 10_000, 10_000]);
    expect(data.training.inputSize).toBe(784);
  });

  it('gives training example 0 value for value as the notebook printed it, label 5', () => {
    expect(notebookExample).toHaveLength(784);
    expect(notebookExample.filter((v) => v !== 0).length).toBeGreaterThan(100);
    expect(Array.from(readInput(data.training, 0, new Float32Array(784)))).toEqual(notebookExample);
    expect(data.training.labels[0]).toBe(5);
  });

  it('takes validation from the last 10,000 of the training file and labels are digits', () => {
    // MNIST's training labels begin 5 0 4 1 9; t10k's begin 7 2 1 0 4.
    expect(Array.from(data.training.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(data.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const trainLabels = parseIdx(gunzip(files.trainLabels, 'labels'), 'labels', LABELS_MAGIC).data;
    expect(Array.from(data.validation.labels)).toEqual(Array.from(trainLabels.subarray(50_000)));
    for (const set of [data.training, data.validation, data.test]) expect(Math.max(...set.labels)).toBe(9);
  });
});

describe('broken files give clear errors', () => {
  it('a truncated gzip file', () => {
    const cut = files.trainLabels.subarray(0, files.trainLabels.length >> 1);
    expect(() => loadDataWrapper({ ...files, trainLabels: cut })).toThrow(
      `${MNIST_FILES.trainLabels}: the gzip data ends early — the file is truncated`,
    );
  });

  it('a garbled gzip file', () => {
    const garbled = files.testLabels.slice();
    for (let i = 20; i < garbled.length; i += 7) garbled[i] ^= 0x5a;
    expect(() => loadDataWrapper({ ...files, testLabels: garbled })).toThrow(/t10k-labels-idx1-ubyte.gz: corrupt gzip data/);
  });

  it('a file that is not gzip at all', () => {
    const html = new TextEncoder().encode('<!doctype html><title>Not found</title>');
    expect(() => loadDataWrapper({ ...files, testImages: html })).toThrow(
      `${MNIST_FILES.testImages}: not a gzip file (it does not start with the gzip signature)`,
    );
  });

  it('a wrong magic number', () => {
    const labelsWithImageMagic = encodeIdx(IMAGES_MAGIC, [10_000], new Uint8Array(10_000));
    expect(() => loadDataWrapper({ ...files, testLabels: new Uint8Array(gzipSync(labelsWithImageMagic)) })).toThrow(
      `${MNIST_FILES.testLabels}: wrong magic number 2051, expected 2049 — not an MNIST labels file`,
    );
  });

  it('a data length that disagrees with the header, and a label that is not a digit', () => {
    expect(() => parseIdx(encodeIdx(LABELS_MAGIC, [5], new Uint8Array(4)), 'x', LABELS_MAGIC)).toThrow(
      'x: 4 data bytes, but the header (5) says 5 — the file is truncated or corrupt',
    );
    const badLabel = new Uint8Array(gzipSync(encodeIdx(LABELS_MAGIC, [10_000], new Uint8Array(10_000).fill(12))));
    expect(() => loadDataWrapper({ ...files, testLabels: badLabel })).toThrow(/label 0 is 12, expected a digit 0–9/);
  });

  it('parseIdx round-trips what encodeIdx wrote', () => {
    const bytes = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const parsed = parseIdx(encodeIdx(IMAGES_MAGIC, [2, 3, 4], bytes), 'r', IMAGES_MAGIC);
    expect(parsed.dims).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(bytes));
  });
});

describe('files the transport already inflated', () => {
  it('are taken as they are when they begin with the right idx magic number', () => {
    const inflated = gunzip(files.testLabels, 'labels');
    const fromInflated = loadDataWrapper({ ...files, testLabels: inflated });
    expect(Array.from(fromInflated.test.labels)).toEqual(Array.from(data.test.labels));
  });
});

describe('MNIST read piece by piece as it downloads', () => {
  it('gives the same sets whatever the pieces and however the files interleave', () => {
    const reader = new MnistReader();
    const keys = Object.keys(files) as (keyof MnistGzFiles)[];
    // Pieces of odd sizes, the files taken in turns, as four downloads arrive together.
    const at = Object.fromEntries(keys.map((k) => [k, 0])) as Record<keyof MnistGzFiles, number>;
    for (let turn = 0; keys.some((k) => at[k] < files[k].length); turn++) {
      for (const key of keys) {
        // Tiny pieces first (headers split across them), then large ones.
        const size = turn < 40 ? [1, 3, 5][(turn + key.length) % 3] : [4093, 65_536, 9_999][(turn + key.length) % 3];
        if (at[key] < files[key].length) reader.push(key, files[key].subarray(at[key], (at[key] += size)));
      }
    }
    const pieces = reader.finish();
    // Byte for byte (toEqual on millions of elements takes minutes).
    const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const set of ['training', 'validation', 'test'] as const) {
      expect(pieces[set].count).toBe(data[set].count);
      for (const field of ['offsets', 'indices', 'values', 'labels'] as const) {
        expect(bytesOf(pieces[set][field]).equals(bytesOf(data[set][field])), `${set}.${field}`).toBe(true);
      }
    }
  });

  it('names a broken file as soon as its bad piece arrives', () => {
    const garbled = files.trainImages.slice(0, 200_000);
    for (let i = 1000; i < garbled.length; i += 7) garbled[i] ^= 0x5a;
    const reader = new MnistReader();
    expect(() => {
      for (let at = 0; at < garbled.length; at += 1000) reader.push('trainImages', garbled.subarray(at, at + 1000));
    }).toThrow(/^train-images-idx3-ubyte.gz: corrupt gzip data/);
  });
});

describe('the digests the page checks MNIST against', () => {
  it('are those prepare-data checked the files against and wrote into mnist-manifest.json', () => {
    const manifest = JSON.parse(readFileSync(join(PUBLIC_DIR, 'mnist-manifest.json'), 'utf8')) as Record<string, { sha256: string }>;
    for (const [key, file] of Object.entries(MNIST_FILES)) {
      expect(MNIST_SHA256[key as keyof typeof MNIST_FILES], file).toBe(manifest[file.replace(/\.gz$/, '')].sha256);
    }
  });
});
