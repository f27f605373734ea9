/**
 * MNIST as the book's mnist_loader.load_data_wrapper() gives it: 50,000 training examples (the first of
 * MNIST's training file), 10,000 validation (its last 10,000) and the 10,000 test examples (t10k);
 * each pixel is byte / 256. Host-independent: the caller brings the gzip bytes (see source-*.ts).
 */
import { sliceDataset, SparseBuilder } from '../nn/dataset';
import { IMAGE_SIDE, INPUTS, PIXEL_SCALE } from '../nn/mnist-shape';
import type { Dataset } from '../nn/types';
import { IdxReader, IMAGES_MAGIC, LABELS_MAGIC } from './idx';
import { Gunzip, notGzip } from './inflate';

/** The four files of the original distribution, as shipped in public/. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export type MnistFileKey = keyof typeof MNIST_FILES;

/**
 * The SHA-256 of each file as the book used it (decompressed: the idx bytes), as scripts/prepare-data.mjs
 * checks the npm package's files and writes them into mnist-manifest.json (a unit test holds the three
 * to each other). The page checks the copy it keeps against them before it uses it.
 */
export const MNIST_SHA256: Record<MnistFileKey, string> = {
  trainImages: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  trainLabels: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  testImages: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  testLabels: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
};
export type MnistGzFiles = Record<MnistFileKey, Uint8Array>;

/** The book's split. */
export interface MnistData {
  training: Dataset;
  validation: Dataset;
  test: Dataset;
}

export const TRAINING_COUNT = 50_000;

/** Decompress, parse and split the four gzip files (or idx files a transport already inflated). */
export function loadDataWrapper(files: MnistGzFiles, onFile?: (name: string) => void): MnistData {
  const reader = new MnistReader();
  for (const key of Object.keys(MNIST_FILES) as MnistFileKey[]) {
    onFile?.(MNIST_FILES[key]);
    reader.push(key, files[key]);
  }
  return reader.finish();
}

/**
 * MNIST read as its four files arrive, piece by piece and in any interleaving of the files: each is
 * decompressed (when it is gzip) and parsed on the way, its images kept only as their non-zero pixels.
 * A download and all of its decoding overlap, and no dense copy of the 47 MB of training images is made.
 */
export class MnistReader {
  private readonly files: Record<MnistFileKey, ArrivingFile> = {
    trainImages: new ArrivingFile(MNIST_FILES.trainImages, IMAGES_MAGIC),
    trainLabels: new ArrivingFile(MNIST_FILES.trainLabels, LABELS_MAGIC),
    testImages: new ArrivingFile(MNIST_FILES.testImages, IMAGES_MAGIC),
    testLabels: new ArrivingFile(MNIST_FILES.testLabels, LABELS_MAGIC),
  };

  /** The next piece of file `key`; an error in what has come so far is thrown at once. */
  push(key: MnistFileKey, piece: Uint8Array): void {
    this.files[key].push(piece);
  }

  /** The book's split, once every file has come whole. */
  finish(): MnistData {
    const train = this.dataset('trainImages', 'trainLabels');
    const test = this.dataset('testImages', 'testLabels');
    if (train.count <= TRAINING_COUNT) {
      throw new Error(`${MNIST_FILES.trainImages}: ${train.count} images, expected more than ${TRAINING_COUNT}`);
    }
    return {
      training: sliceDataset(train, 0, TRAINING_COUNT),
      validation: sliceDataset(train, TRAINING_COUNT, train.count),
      test,
    };
  }

  private dataset(imagesKey: MnistFileKey, labelsKey: MnistFileKey): Dataset {
    const images = this.files[imagesKey].finish();
    const labels = this.files[labelsKey].finish();
    const [imagesName, labelsName] = [MNIST_FILES[imagesKey], MNIST_FILES[labelsKey]];
    if (!images.pixels || !labels.labels) throw new Error(`${imagesName} and ${labelsName} are not an images and a labels file`);
    if (labels.labels.length !== images.pixels.inputs) {
      throw new Error(`${labelsName} has ${labels.labels.length} labels but ${imagesName} has ${images.pixels.inputs} images`);
    }
    return images.pixels.finish(labels.labels);
  }
}

/**
 * One MNIST file as it arrives: gzip (inflated here) or already an idx file (a server that sent the .gz
 * with `Content-Encoding: gzip` has the browser inflate it), told apart by its first bytes; anything
 * else is not gzip. Images go straight into a sparse builder, labels into their array.
 */
class ArrivingFile {
  private start: Uint8Array = new Uint8Array(0);
  private sink: ((piece: Uint8Array) => void) | null = null;
  private gunzip: Gunzip | null = null;
  private readonly idx: IdxReader;
  pixels: SparseBuilder | null = null;
  labels: Uint8Array | null = null;
  private labelsFilled = 0;

  constructor(
    private readonly name: string,
    private readonly magic: number,
  ) {
    this.idx = new IdxReader(
      name,
      magic,
      (dims) => this.takeHeader(dims),
      (piece) => this.takeData(piece),
    );
  }

  push(piece: Uint8Array): void {
    if (!this.sink) {
      // Four bytes tell an idx file's magic number from gzip's signature.
      piece = concat(this.start, piece);
      if (piece.length < 4) {
        this.start = piece;
        return;
      }
      this.sink = this.chooseSink(piece);
    }
    this.sink(piece);
  }

  finish(): this {
    if (!this.sink) {
      if (this.start.length >= 2 && this.start[0] === 0x1f && this.start[1] === 0x8b) this.sink = this.chooseSink(this.start);
      else throw notGzip(this.name);
      this.sink(this.start);
    }
    if (this.gunzip) this.gunzip.finish();
    this.idx.finish();
    if (this.labels) {
      for (let i = 0; i < this.labels.length; i++) {
        if (this.labels[i] > 9) throw new Error(`${this.name}: label ${i} is ${this.labels[i]}, expected a digit 0–9`);
      }
    }
    return this;
  }

  private chooseSink(first: Uint8Array): (piece: Uint8Array) => void {
    if (new DataView(first.buffer, first.byteOffset, 4).getUint32(0) === this.magic) return (piece) => this.idx.push(piece);
    this.gunzip = new Gunzip(this.name, (piece) => this.idx.push(piece));
    return (piece) => this.gunzip!.push(piece);
  }

  private takeHeader(dims: number[]): void {
    if (this.magic === LABELS_MAGIC) {
      this.labels = new Uint8Array(dims[0]);
      return;
    }
    const [count, rows, cols] = dims;
    if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
      throw new Error(`${this.name}: images are ${rows} × ${cols}, expected ${IMAGE_SIDE} × ${IMAGE_SIDE}`);
    }
    this.pixels = new SparseBuilder(INPUTS, PIXEL_SCALE, count);
  }

  private takeData(piece: Uint8Array): void {
    if (this.pixels) this.pixels.push(piece);
    else if (this.labels) {
      this.labels.set(piece, this.labelsFilled);
      this.labelsFilled += piece.length;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}
