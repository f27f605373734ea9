/**
 * MNIST as the book's mnist_loader.load_data_wrapper() gives it: 50,000 training examples (the first of
 * MNIST's training file), 10,000 validation (its last 10,000) and the 10,000 test examples (t10k);
 * each pixel is byte / 256. Host-independent: the caller brings the gzip bytes (see source-*.ts).
 */
import { sliceDataset, sparseFromBytes } from '../nn/dataset';
import { IMAGE_SIDE, INPUTS, PIXEL_SCALE } from '../nn/mnist-shape';
import type { Dataset } from '../nn/types';
import { IMAGES_MAGIC, LABELS_MAGIC, parseImages, parseLabels } from './idx';
import { gunzip } from './inflate';

/** The four files of the original distribution, as shipped in public/. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export type MnistFileKey = keyof typeof MNIST_FILES;
export type MnistGzFiles = Record<MnistFileKey, Uint8Array>;

/** The book's split. */
export interface MnistData {
  training: Dataset;
  validation: Dataset;
  test: Dataset;
}

export const TRAINING_COUNT = 50_000;

/** Decompress, parse and split the four gzip files. */
export function loadDataWrapper(files: MnistGzFiles, onFile?: (name: string) => void): MnistData {
  const read = (key: MnistFileKey): Uint8Array => {
    onFile?.(MNIST_FILES[key]);
    const bytes = files[key];
    // A server that labels .gz files `Content-Encoding: gzip` makes the browser inflate them on the way.
    if (startsWithMagic(bytes, key.endsWith('Images') ? IMAGES_MAGIC : LABELS_MAGIC)) return bytes;
    return gunzip(bytes, MNIST_FILES[key]);
  };
  const train = toDataset(read('trainImages'), read('trainLabels'), MNIST_FILES.trainImages, MNIST_FILES.trainLabels);
  const test = toDataset(read('testImages'), read('testLabels'), MNIST_FILES.testImages, MNIST_FILES.testLabels);
  if (train.count <= TRAINING_COUNT) {
    throw new Error(`${MNIST_FILES.trainImages}: ${train.count} images, expected more than ${TRAINING_COUNT}`);
  }
  return {
    training: sliceDataset(train, 0, TRAINING_COUNT),
    validation: sliceDataset(train, TRAINING_COUNT, train.count),
    test,
  };
}

function startsWithMagic(bytes: Uint8Array, magic: number): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) === magic;
}

function toDataset(imageBytes: Uint8Array, labelBytes: Uint8Array, imagesName: string, labelsName: string): Dataset {
  const images = parseImages(imageBytes, imagesName);
  const labels = parseLabels(labelBytes, labelsName);
  if (images.rows !== IMAGE_SIDE || images.cols !== IMAGE_SIDE) {
    throw new Error(`${imagesName}: images are ${images.rows} × ${images.cols}, expected ${IMAGE_SIDE} × ${IMAGE_SIDE}`);
  }
  if (labels.length !== images.count) {
    throw new Error(`${labelsName} has ${labels.length} labels but ${imagesName} has ${images.count} images`);
  }
  // Copy the labels out of the decompressed buffer so it can be freed.
  return sparseFromBytes(images.pixels, labels.slice(), INPUTS, PIXEL_SCALE);
}
