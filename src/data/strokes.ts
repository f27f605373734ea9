/**
 * Handwriting that is not MNIST's: digits drawn as pen strokes in the styles MNIST's American writers
 * seldom used (a 1 with a flag and a foot, a 7 with a bar through it, an open 4, a 9 with a straight
 * tail…), each writer with their own slant, width, wobble and pen, rendered as the drawing pad renders a
 * stroke and preprocessed as the pad's drawings are. For measuring how the network reads people outside
 * MNIST, and for the tests of teaching it a hand. Pure and seeded.
 */
import { Rng } from '../nn/rng';
import { centreLikeMnist, inkFromDrawing, inkFromPhoto } from './preprocess';

/** A stroke: points in pad units (0–280 each way, y down), joined by straight segments. */
export type Stroke = [number, number][];

/** The pad's side and its pen (use-drawing-pad.ts): strokes are drawn at this scale. */
const PAD = 280;
const PEN = PAD / 12;

/** Points along an elliptic arc about (cx, cy), from angle `from` to `to` (radians, 0 = up, clockwise). */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, steps = 16): Stroke {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const t = from + ((to - from) * i) / steps;
    return [cx + rx * Math.sin(t), cy - ry * Math.cos(t)] as [number, number];
  });
}

const TURN = 2 * Math.PI;

/** The styles of each digit, as strokes in a 280 box (the digit within about 70–210 × 40–240). */
export const STYLES: Record<string, { digit: number; strokes: () => Stroke[] }> = {
  'oval 0': { digit: 0, strokes: () => [arc(140, 140, 55, 95, 0, TURN, 24)] },
  'round 0 with a slash': {
    digit: 0,
    strokes: () => [
      arc(140, 140, 65, 90, 0, TURN, 24),
      [
        [180, 70],
        [100, 210],
      ],
    ],
  },
  'plain 1': {
    digit: 1,
    strokes: () => [
      [
        [145, 40],
        [140, 240],
      ],
    ],
  },
  'flagged 1 with a foot': {
    digit: 1,
    strokes: () => [
      [
        [95, 95],
        [150, 40],
        [150, 240],
      ],
      [
        [105, 240],
        [195, 240],
      ],
    ],
  },
  'flagged 1': {
    digit: 1,
    strokes: () => [
      [
        [100, 90],
        [155, 40],
        [145, 240],
      ],
    ],
  },
  'curved 2': {
    digit: 2,
    strokes: () => [[...arc(140, 95, 55, 55, -1.3, 1.9, 10), [80, 240], [205, 240]]],
  },
  '2 with a loop': {
    digit: 2,
    strokes: () => [
      [...arc(140, 95, 55, 55, -1.3, 1.9, 10), [85, 230], ...arc(100, 222, 16, 16, Math.PI * 1.5, Math.PI * 2.6, 6), [205, 240]],
    ],
  },
  'round 3': {
    digit: 3,
    strokes: () => [[...arc(135, 90, 55, 50, -1.2, 2.9, 12), ...arc(135, 190, 60, 52, 0.1, 4.3, 12)]],
  },
  'flat-topped 3': {
    digit: 3,
    strokes: () => [[[85, 45], [195, 45], [130, 125], ...arc(135, 180, 60, 58, 0.3, 4.3, 12)]],
  },
  'open 4': {
    digit: 4,
    strokes: () => [
      [
        [110, 40],
        [80, 160],
        [205, 160],
      ],
      [
        [170, 90],
        [170, 240],
      ],
    ],
  },
  'closed 4': {
    digit: 4,
    strokes: () => [
      [
        [170, 240],
        [170, 40],
        [75, 170],
        [210, 170],
      ],
    ],
  },
  'hooked 5': {
    digit: 5,
    strokes: () => [[[195, 45], [100, 45], [92, 130], ...arc(135, 180, 62, 58, -0.6, 3.9, 12)]],
  },
  '5 in two strokes': {
    digit: 5,
    strokes: () => [
      [[100, 45], [92, 130], ...arc(135, 180, 62, 58, -0.6, 3.9, 12)],
      [
        [100, 45],
        [200, 42],
      ],
    ],
  },
  'looped 6': {
    digit: 6,
    strokes: () => [[...arc(170, 145, 75, 100, -0.3, -2.9, 10), ...arc(140, 192, 48, 46, 3.3, 3.3 + TURN, 16)]],
  },
  'straight 6': {
    digit: 6,
    strokes: () => [[[175, 40], [100, 170], ...arc(140, 190, 45, 48, 4.4, 4.4 + TURN, 16)]],
  },
  'plain 7': {
    digit: 7,
    strokes: () => [
      [
        [75, 50],
        [205, 50],
        [125, 240],
      ],
    ],
  },
  'crossed 7': {
    digit: 7,
    strokes: () => [
      [
        [75, 50],
        [205, 50],
        [125, 240],
      ],
      [
        [110, 145],
        [200, 145],
      ],
    ],
  },
  'crossed 7, the bar low': {
    digit: 7,
    strokes: () => [
      [
        [75, 50],
        [205, 50],
        [125, 240],
      ],
      [
        [100, 185],
        [190, 185],
      ],
    ],
  },
  '7 with a hooked top': {
    digit: 7,
    strokes: () => [
      [
        [80, 80],
        [80, 50],
        [205, 50],
        [140, 160],
        [135, 240],
      ],
    ],
  },
  'two-loop 8': {
    digit: 8,
    strokes: () => [[...arc(140, 90, 45, 48, Math.PI, Math.PI + TURN, 16), ...arc(140, 188, 55, 52, 0, TURN, 16)]],
  },
  'figure-eight 8': {
    digit: 8,
    // One stroke that crosses itself in the middle: x = c + 50 sin 2t, y = 140 − 100 cos t.
    strokes: () => [
      Array.from({ length: 33 }, (_, i) => {
        const t = (i / 32) * TURN;
        return [140 + 50 * Math.sin(2 * t), 140 - 100 * Math.cos(t)] as [number, number];
      }),
    ],
  },
  '9 with a straight tail': {
    digit: 9,
    strokes: () => [[...arc(135, 95, 55, 52, 1.57, 1.57 + TURN, 16), [190, 95], [185, 240]]],
  },
  '9 with a curved tail': {
    digit: 9,
    strokes: () => [[...arc(135, 95, 55, 52, 1.57, 1.57 + TURN, 16), [188, 150], [175, 215], [140, 240], [105, 230]]],
  },
};

/** How a writer holds the pen: slant, width, wobble and stroke thickness. */
export interface Hand {
  /** Shear of the digit (x moves by slant · (y − centre)); MNIST's writers lean right (negative here). */
  slant: number;
  /** Horizontal scale. */
  width: number;
  /** How far each point wanders, in pad units. */
  wobble: number;
  /** Pen diameter in pad units (the pad's is 23). */
  pen: number;
}

/** A random writer: slant ±0.3, width 0.75–1.2, wobble up to 9 pad units, a thin, usual or thick pen. */
export function randomHand(rng: Rng): Hand {
  const pens = [PEN * 0.55, PEN, PEN * 1.6];
  return { slant: (rng.random() * 2 - 1) * 0.3, width: 0.75 + rng.random() * 0.45, wobble: rng.random() * 9, pen: pens[rng.int(3)] };
}

/** `strokes` as `hand` writes them: slanted, scaled about the centre, each point moved a little. */
export function written(strokes: Stroke[], hand: Hand, rng: Rng): Stroke[] {
  const c = PAD / 2;
  return strokes.map((stroke) =>
    stroke.map(([x, y]) => [
      c + (x - c) * hand.width - hand.slant * (y - c) + (rng.random() * 2 - 1) * hand.wobble,
      y + (rng.random() * 2 - 1) * hand.wobble,
    ]),
  );
}

/** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Strokes with a round pen of diameter `pen`, as RGBA whose alpha is the ink's coverage (as the pad's canvas holds it). */
export function rasterize(strokes: Stroke[], pen = PEN, side = PAD): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(side * side * 4);
  const radius = pen / 2;
  const segments: number[][] = [];
  for (const stroke of strokes) {
    if (stroke.length === 1) segments.push([...stroke[0], ...stroke[0]]);
    for (let i = 1; i < stroke.length; i++) segments.push([...stroke[i - 1], ...stroke[i]]);
  }
  for (const [ax, ay, bx, by] of segments) {
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius - 1));
    const x1 = Math.min(side - 1, Math.ceil(Math.max(ax, bx) + radius + 1));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius - 1));
    const y1 = Math.min(side - 1, Math.ceil(Math.max(ay, by) + radius + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        // Coverage of the pixel's centre, antialiased over one pixel, as a canvas draws the edge.
        const coverage = Math.max(0, Math.min(1, radius - segmentDistance(x + 0.5, y + 0.5, ax, ay, bx, by) + 0.5));
        const a = (y * side + x) * 4 + 3;
        rgba[a] = Math.max(rgba[a], Math.round(coverage * 255));
      }
    }
  }
  return rgba;
}

/** Strokes drawn as the pad draws them, as the network's 784 inputs (the pad's preprocessing). */
export function drawnInput(strokes: Stroke[], pen: number): Float32Array {
  const input = centreLikeMnist(inkFromDrawing(rasterize(strokes, pen), PAD, PAD), PAD, PAD);
  if (!input) throw new Error('the strokes drew nothing');
  return input;
}

/** The side of a "photo": smaller than the pad, as a phone's crop of a digit on paper often is. */
const PHOTO = 140;

/**
 * The same strokes as a photo of ink on paper, not as MNIST was made: paper of some grey or cream, lit
 * unevenly (a gradient across the sheet), ink of some dark colour, the edges softened by the camera and
 * grain on everything; then downscaled to 140 pixels and read through the pad's photo pipeline (polarity
 * from the border, Otsu's threshold).
 */
export function photographedInput(strokes: Stroke[], pen: number, rng: Rng): Float32Array {
  const coverage = rasterize(strokes, pen);
  const paper = 175 + rng.random() * 70;
  const ink = 15 + rng.random() * 70;
  const tint = [1, 0.97 + rng.random() * 0.03, 0.9 + rng.random() * 0.1];
  const light = [(rng.random() * 2 - 1) * 0.25, (rng.random() * 2 - 1) * 0.25];
  const grain = 4 + rng.random() * 8;
  const scale = PAD / PHOTO;
  const rgba = new Uint8ClampedArray(PHOTO * PHOTO * 4);
  for (let y = 0; y < PHOTO; y++) {
    for (let x = 0; x < PHOTO; x++) {
      // Each photo pixel averages its scale × scale block of the pad (the camera's blur and the downscale).
      let a = 0;
      for (let v = 0; v < scale; v++) for (let u = 0; u < scale; u++) a += coverage[((y * scale + v) * PAD + x * scale + u) * 4 + 3] / 255;
      a /= scale * scale;
      const lit = 1 + light[0] * (x / PHOTO - 0.5) + light[1] * (y / PHOTO - 0.5);
      const grey = (paper * (1 - a) + ink * a) * lit + (rng.random() * 2 - 1) * grain;
      const p = (y * PHOTO + x) * 4;
      for (let c = 0; c < 3; c++) rgba[p + c] = grey * tint[c];
      rgba[p + 3] = 255;
    }
  }
  const input = centreLikeMnist(inkFromPhoto(rgba, PHOTO, PHOTO), PHOTO, PHOTO);
  if (!input) throw new Error('the photo holds no digit');
  return input;
}

/** One digit of a style outside MNIST: its label, as drawn on the pad, and (when asked for) as photographed. */
export interface OutsideDigit {
  style: string;
  label: number;
  input: Float32Array;
  photo: Float32Array | null;
}

/**
 * A labelled set of handwriting outside MNIST: `perStyle` writers for every style, from `seed`, each digit
 * as drawn on the pad and, with `photos`, the same strokes photographed (photographedInput).
 */
export function outsideMnist(perStyle: number, seed: number, styles = Object.keys(STYLES), { photos = false } = {}): OutsideDigit[] {
  const rng = new Rng(seed);
  const camera = new Rng(seed ^ 0x9e3779b9);
  return styles.flatMap((style) =>
    Array.from({ length: perStyle }, () => {
      const hand = randomHand(rng);
      const strokes = written(STYLES[style].strokes(), hand, rng);
      const photo = photos ? photographedInput(strokes, hand.pen, camera) : null;
      return { style, label: STYLES[style].digit, input: drawnInput(strokes, hand.pen), photo };
    }),
  );
}
