/**
 * The drawing pad's state: strokes from mouse, finger or pen, or a photo dropped or chosen, and the
 * selected network's reading of it, asked of the reader worker as the stroke goes and when the network
 * changes. DrawingPad.tsx draws it.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
import { decodePhotoInWorker, handOver, type Remote } from '../platform/worker-client';
import type { ImagePixels, InspectingApi, Reading } from '../../worker/protocol';
import { errorMessage } from '../../nn/format';
import { PAD_PEN, PAD_SIDE } from '../../nn/mnist-shape';
import { imageSize } from './image-size';

/** The pad's side in canvas pixels, and its pen (MNIST strokes are 2–3 pixels of a 20-pixel box: about a twelfth of the digit's height). */
export const PAD = PAD_SIDE;
const BRUSH = PAD_PEN;
/** Longest side a photo is decoded to: plenty for a 20-pixel result, cheap to send. */
const PHOTO_SIDE = 400;
const READ_INTERVAL_MS = 120;

/** A canvas off the page: an OffscreenCanvas where the browser has one (Safari since 16.4), else a detached element. */
function scratchCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  return Object.assign(document.createElement('canvas'), { width, height });
}

/** Photos up to this many pixels are read (a phone's is 12–50 megapixels); a bigger one is refused before it is decoded. */
const PHOTO_PIXEL_LIMIT = 100e6;

async function photoPixels(file: File): Promise<{ pixels: ImagePixels; canvas: OffscreenCanvas | HTMLCanvasElement }> {
  // The header says how big it is: a huge image is refused at once, and any other is decoded in a worker,
  // straight to the small size the reader needs (the browser scales as it decodes): never on this thread.
  const size = imageSize(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()));
  if (size && size.width * size.height > PHOTO_PIXEL_LIMIT) {
    const mp = Math.round((size.width * size.height) / 1e6);
    throw new Error(
      `“${file.name}” is ${size.width.toLocaleString('en-US')} × ${size.height.toLocaleString('en-US')} pixels (${mp} megapixels); photos up to ${PHOTO_PIXEL_LIMIT / 1e6} megapixels are read. Crop or shrink it first.`,
    );
  }
  const fit = size ? Math.min(1, PHOTO_SIDE / Math.max(size.width, size.height)) : 1;
  const resize =
    size && fit < 1
      ? {
          resizeWidth: Math.max(1, Math.round(size.width * fit)),
          resizeHeight: Math.max(1, Math.round(size.height * fit)),
          resizeQuality: 'high' as const,
        }
      : null;
  const undecodable = () => new Error(`“${file.name}” is not an image this page can read. Choose a PNG or JPEG photo of a digit.`);
  const pixels =
    (await decodePhotoInWorker({ file, resize, side: PHOTO_SIDE }, undecodable)) ?? (await decodeHere(file, resize, undecodable));
  // Shown on the pad from a canvas of its own (at most PHOTO_SIDE a side: cheap).
  const canvas = scratchCanvas(pixels.width, pixels.height);
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height), 0, 0);
  return { pixels, canvas };
}

/** The photo decoded on the page's own thread: only where a worker cannot (Safari before 16.4). */
async function decodeHere(file: File, resize: ImageBitmapOptions | null, undecodable: () => Error): Promise<ImagePixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, resize ?? undefined);
  } catch {
    throw undecodable();
  }
  const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = scratchCanvas(width, height).getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { data: ctx.getImageData(0, 0, width, height).data, width, height };
}

/** The pad's 2D context, always asked for with willReadFrequently (it is read back on every stroke). */
function padContext(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  return canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
}

/** A point on the pad, in its own pixels. */
interface Point {
  x: number;
  y: number;
}

/** A photo shown on the pad: its pixels as decoded, and its file name. */
interface Photo {
  photo: ImagePixels;
  name: string;
}

/** A pointer's position in the pad's own pixels, however large the canvas is drawn. */
function pointOn(event: ReactPointerEvent<HTMLCanvasElement>): Point {
  const rect = event.currentTarget.getBoundingClientRect();
  return { x: ((event.clientX - rect.left) / rect.width) * PAD, y: ((event.clientY - rect.top) / rect.height) * PAD };
}

/** One segment of a stroke, in MNIST's pen width. */
function drawSegment(ctx: CanvasRenderingContext2D, from: Point, to: Point): void {
  ctx.strokeStyle = '#111';
  ctx.lineWidth = BRUSH;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
}

/** What to send the reader: the pad's pixels for a drawing, a copy of the photo's for a photo. */
function imageOf(source: 'drawing' | Photo, ctx: CanvasRenderingContext2D): { pixels: ImagePixels; kind: 'drawing' | 'photo' } {
  if (source === 'drawing') {
    const { data, width, height } = ctx.getImageData(0, 0, PAD, PAD);
    return { pixels: { data, width, height }, kind: 'drawing' };
  }
  const { photo } = source;
  return { pixels: { data: photo.data.slice(), width: photo.width, height: photo.height }, kind: 'photo' };
}

/**
 * Pointer handlers that draw strokes on the pad: `started` before a stroke's first dot, `moved` after each
 * segment, `lifted` when the pen, finger or button lets go.
 */
function useStrokes(canvas: RefObject<HTMLCanvasElement | null>, on: { started(): void; moved(): void; lifted(): void }) {
  /** Where the stroke under way is (null between strokes). */
  const pen = useRef<Point | null>(null);
  // A finger on the pad draws and does nothing else: no scrolling, no zoom, and no gesture left pending that
  // would swallow the next tap (Clear, right after a stroke). React listens to touchstart passively, so the
  // listener that may cancel it is added here.
  useEffect(() => {
    const pad = canvas.current;
    const mine = (event: TouchEvent) => event.preventDefault();
    pad?.addEventListener('touchstart', mine, { passive: false });
    return () => pad?.removeEventListener('touchstart', mine);
  }, [canvas]);
  const onPointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    on.started();
    const p = pointOn(event);
    pen.current = p;
    const ctx = padContext(canvas.current);
    if (ctx) drawSegment(ctx, p, p);
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const ctx = padContext(canvas.current);
    if (!pen.current || !ctx) return;
    const p = pointOn(event);
    drawSegment(ctx, pen.current, p);
    pen.current = p;
    on.moved();
  };
  const onPointerUp = () => {
    if (!pen.current) return;
    pen.current = null;
    on.lifted();
  };
  return { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };
}

export function useDrawingPad(api: Remote<InspectingApi> | null, modelVersion: number) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const lastRead = useRef(0);
  const source = useRef<'drawing' | Photo | null>(null);
  const [reading, setReading] = useState<Reading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [photoName, setPhotoName] = useState<string | null>(null);

  const [waiting, setWaiting] = useState(false);

  const readNow = useCallback(async () => {
    const ctx = padContext(canvasRef.current);
    if (!ctx || !source.current) return;
    // Drawn (or a photo chosen) before MNIST has loaded: read once the reader is there (readNow changes with api).
    setWaiting(!api);
    if (!api) return;
    lastRead.current = performance.now();
    const name = source.current === 'drawing' ? null : source.current.name;
    const { pixels, kind } = imageOf(source.current, ctx);
    try {
      const result = await api.read(handOver(pixels, [pixels.data.buffer]), kind);
      setReading(result);
      if (!result) setError(kind === 'photo' ? `No digit found in “${name}”: it is blank, or all one tone.` : null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);

  // A new model (another run selected, or an epoch ended): read what is on the pad again.
  useEffect(() => {
    void readNow();
  }, [readNow, modelVersion]);

  const clear = () => {
    padContext(canvasRef.current)?.clearRect(0, 0, PAD, PAD);
    source.current = null;
    setWaiting(false);
    setReading(null);
    setError(null);
    setPhotoName(null);
  };

  const pointerHandlers = useStrokes(canvasRef, {
    started: () => {
      if (source.current !== 'drawing') {
        padContext(canvasRef.current)?.clearRect(0, 0, PAD, PAD);
        setPhotoName(null);
      }
      source.current = 'drawing';
      setError(null);
    },
    moved: () => {
      if (performance.now() - lastRead.current > READ_INTERVAL_MS) void readNow();
    },
    lifted: () => void readNow(),
  });

  const showPhoto = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      const { pixels: photo, canvas } = await photoPixels(file);
      source.current = { photo, name: file.name };
      setPhotoName(file.name);
      const ctx = padContext(canvasRef.current);
      if (!ctx) return;
      ctx.clearRect(0, 0, PAD, PAD);
      const scale = Math.min(PAD / photo.width, PAD / photo.height);
      ctx.drawImage(canvas, (PAD - photo.width * scale) / 2, (PAD - photo.height * scale) / 2, photo.width * scale, photo.height * scale);
      await readNow();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return {
    canvasRef,
    reading,
    waiting,
    error,
    photoName,
    clear,
    showPhoto,
    pointerHandlers,
  };
}
