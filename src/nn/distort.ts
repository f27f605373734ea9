/**
 * Distorted training digits (Simard, Steinkraus & Platt 2003, "Best practices for convolutional neural
 * networks applied to visual document analysis"): each example, each epoch, is redrawn through a small
 * random affine map (rotation, scaling, shear, a shift) and a smooth random displacement field, and its
 * strokes are sometimes made thicker or thinner. Seeded: the same generator gives the same digits. Pure.
 */
import type { Dataset } from './types';
import { IMAGE_SIDE, INPUTS } from './mnist-shape';
import { SparseBuilder } from './dataset';
import { Rng } from './rng';

/** The largest strength the settings accept; 1 is the default. */
export const DISTORTION_LIMIT = 2;

/**
 * How far strength 1 goes: ±10° of rotation, ±10% of size on each axis, a shear of ±0.2, a shift of up to
 * a pixel, and an elastic field whose 5 × 5 control points move by about a pixel (σ of their displacement).
 */
const ROTATION = (10 * Math.PI) / 180;
const SCALING = 0.1;
const SHEAR = 0.2;
const SHIFT = 1;
const ELASTIC = 1;
/** The elastic field's control points per side: spaced 7 pixels apart, as smooth as Simard's σ = 4 Gaussian-filtered field. */
const GRID = 5;
const CENTRE = (IMAGE_SIDE - 1) / 2;

/** The source is copied into a field with a blank border this wide, so reads just outside it need no test. */
const BORDER = 2;
const PADDED = IMAGE_SIDE + 2 * BORDER;

/** Working arrays for {@link distortDigit}, made once per caller. */
export class DistortScratch {
  /** The source digit with its blank border, PADDED × PADDED. */
  readonly source = new Float32Array(PADDED * PADDED);
  /** The redrawn digit, also with a border (for the stroke change's neighbours). */
  readonly drawn = new Float32Array(PADDED * PADDED);
  /** The elastic field's control points: displacement in x and in y. */
  readonly dx = new Float32Array(GRID * GRID);
  readonly dy = new Float32Array(GRID * GRID);
  /** The elastic field at each pixel, interpolated from the control points. */
  readonly fieldX = new Float32Array(INPUTS);
  readonly fieldY = new Float32Array(INPUTS);
}

/** For each pixel coordinate, the control point before it on the elastic grid and how far past it (0..1). */
const GRID_CELL = new Int32Array(IMAGE_SIDE);
const GRID_FRACTION = new Float32Array(IMAGE_SIDE);
for (let x = 0; x < IMAGE_SIDE; x++) {
  const g = (x / (IMAGE_SIDE - 1)) * (GRID - 1);
  GRID_CELL[x] = Math.min(GRID - 2, Math.floor(g));
  GRID_FRACTION[x] = g - GRID_CELL[x];
}

/** The elastic field at every pixel: its control points interpolated bilinearly. */
function interpolateField(points: Float32Array, out: Float32Array): void {
  for (let y = 0; y < IMAGE_SIDE; y++) {
    const j = GRID_CELL[y];
    const fy = GRID_FRACTION[y];
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const p = j * GRID + GRID_CELL[x];
      const fx = GRID_FRACTION[x];
      const top = points[p] + (points[p + 1] - points[p]) * fx;
      const bottom = points[p + GRID] + (points[p + GRID + 1] - points[p + GRID]) * fx;
      out[y * IMAGE_SIDE + x] = top + (bottom - top) * fy;
    }
  }
}

/** Bilinear sample of the bordered `image` at (x, y) in the digit's coordinates; 0 well outside it. */
function sample(image: Float32Array, x: number, y: number): number {
  // In the bordered field's coordinates, where every read is ≥ 0, so truncation is the floor.
  const bx = x + BORDER;
  const by = y + BORDER;
  if (!(bx > 0 && by > 0 && bx < PADDED - 1 && by < PADDED - 1)) return 0;
  const x0 = bx | 0;
  const y0 = by | 0;
  const fx = bx - x0;
  const fy = by - y0;
  const p = y0 * PADDED + x0;
  const top = image[p] + (image[p + 1] - image[p]) * fx;
  const bottom = image[p + PADDED] + (image[p + PADDED + 1] - image[p + PADDED]) * fx;
  return top + (bottom - top) * fy;
}

/**
 * `pixels` (784 bytes, row-major 28 × 28) redrawn with a random distortion of `strength` (0: unchanged)
 * into `out`. Each output pixel is read from where the inverse map sends it, so no holes appear.
 */
export function distortDigit(pixels: Uint8Array, out: Uint8Array, rng: Rng, strength: number, scratch = new DistortScratch()): void {
  if (!(strength > 0)) {
    out.set(pixels.subarray(0, INPUTS));
    return;
  }
  const { source, drawn, dx, dy, fieldX, fieldY } = scratch;
  for (let y = 0; y < IMAGE_SIDE; y++) {
    const row = (y + BORDER) * PADDED + BORDER;
    for (let x = 0; x < IMAGE_SIDE; x++) source[row + x] = pixels[y * IMAGE_SIDE + x];
  }
  const uniform = () => 2 * rng.random() - 1;
  const angle = uniform() * ROTATION * strength;
  const scaleX = 1 + uniform() * SCALING * strength;
  const scaleY = 1 + uniform() * SCALING * strength;
  const shear = uniform() * SHEAR * strength;
  const shiftX = uniform() * SHIFT * strength;
  const shiftY = uniform() * SHIFT * strength;
  for (let k = 0; k < GRID * GRID; k++) {
    dx[k] = rng.gaussian() * ELASTIC * strength;
    dy[k] = rng.gaussian() * ELASTIC * strength;
  }
  interpolateField(dx, fieldX);
  interpolateField(dy, fieldY);
  // The forward map is shift ∘ rotation ∘ shear ∘ scaling about the centre; each output pixel reads the
  // source through its inverse, (scaling⁻¹ ∘ shear⁻¹ ∘ rotation⁻¹)(p − centre − shift) + centre, moved by the field.
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    const v = y - CENTRE - shiftY;
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const u = x - CENTRE - shiftX;
      const ru = cos * u + sin * v;
      const rv = -sin * u + cos * v;
      const p = y * IMAGE_SIDE + x;
      const sx = (ru - shear * rv) / scaleX + CENTRE + fieldX[p];
      const sy = rv / scaleY + CENTRE + fieldY[p];
      drawn[(y + BORDER) * PADDED + x + BORDER] = sample(source, sx, sy);
    }
  }
  // Stroke thickness: a third of the digits thicker (each pixel towards its darkest 4-neighbour), a third
  // thinner (towards its lightest), by up to half the way at strength 1.
  const pick = rng.random();
  const amount = Math.min(1, 0.5 * strength) * rng.random();
  const mode = pick < 1 / 3 ? 1 : pick < 2 / 3 ? -1 : 0;
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const q = (y + BORDER) * PADDED + x + BORDER;
      const here = drawn[q];
      let value = here;
      if (mode !== 0) {
        const target =
          mode > 0
            ? Math.max(here, drawn[q - 1], drawn[q + 1], drawn[q - PADDED], drawn[q + PADDED])
            : Math.min(here, drawn[q - 1], drawn[q + 1], drawn[q - PADDED], drawn[q + PADDED]);
        value = here + (target - here) * amount;
      }
      out[y * IMAGE_SIDE + x] = Math.min(255, Math.round(value));
    }
  }
}

/** Example `i` of a sparse dataset as dense bytes (its stored values, before scaling). */
export function denseBytes(data: Dataset, i: number, out: Uint8Array): Uint8Array {
  out.fill(0);
  for (let k = data.offsets[i]; k < data.offsets[i + 1]; k++) out[data.indices[k]] = data.values[k];
  return out;
}

/**
 * A distorted copy of `data` (MNIST-shaped, 784 inputs), made a piece at a time (so a worker can hear
 * Stop between pieces): every example redrawn once with {@link distortDigit}, in order, from `seed`. The
 * training loop makes one per epoch (seeded by the run's seed and the epoch), so distortions differ epoch
 * to epoch, yet a run can be repeated or continued exactly.
 */
export class DistortedCopy {
  private readonly rng: Rng;
  private readonly builder: SparseBuilder;
  private readonly scratch = new DistortScratch();
  private readonly pixels = new Uint8Array(INPUTS);
  private readonly out = new Uint8Array(INPUTS);
  /** Examples redrawn so far. */
  made = 0;

  constructor(
    private readonly data: Dataset,
    private readonly strength: number,
    seed: number,
  ) {
    if (data.inputSize !== INPUTS) throw new RangeError(`distortions are for 28 × 28 digits, not inputs of ${data.inputSize}`);
    this.rng = new Rng(seed);
    this.builder = new SparseBuilder(INPUTS, data.scale, data.count);
  }

  get done(): boolean {
    return this.made >= this.data.count;
  }

  /** Redraw up to `count` more examples. */
  make(count: number): void {
    const end = Math.min(this.data.count, this.made + count);
    for (; this.made < end; this.made++) {
      distortDigit(denseBytes(this.data, this.made, this.pixels), this.out, this.rng, this.strength, this.scratch);
      this.builder.push(this.out);
    }
  }

  /** The copy, once every example is made: transient, as the next epoch's replaces it. */
  finish(): Dataset {
    this.make(this.data.count);
    return { ...this.builder.finish(this.data.labels.slice(0, this.data.count)), transient: true };
  }
}

/** `data` distorted all at once (see {@link DistortedCopy}). */
export function distortedDataset(data: Dataset, strength: number, seed: number): Dataset {
  return new DistortedCopy(data, strength, seed).finish();
}

/** The seed of epoch `epoch`'s distortions in a run seeded `seed`: a different stream per epoch. */
export function distortionSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}
