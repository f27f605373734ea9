/**
 * Draw a digit with mouse, finger or pen — or drop or choose a photo of one — and the selected run reads
 * it. The pixels go to the worker, which turns them into an MNIST-style 28 × 28 input (src/data/preprocess.ts).
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, memo } from 'react';
import { handOver, type Remote } from '../trainer-client';
import type { ImagePixels, Reading, TrainerApi } from '../../worker/protocol';
import { ActivationBars } from './ActivationBars';
import { DigitCanvas } from './DigitCanvas';
import { errorMessage } from '../../nn/format';

const PAD = 280;
/** MNIST strokes are 2–3 pixels of a 20-pixel box: about a twelfth of the digit's height. */
const BRUSH = PAD / 12;
/** Longest side a photo is decoded to: plenty for a 20-pixel result, cheap to send. */
const PHOTO_SIDE = 400;
const READ_INTERVAL_MS = 120;

interface Props {
  api: Remote<TrainerApi> | null;
  modelVersion: number;
  runName: string | null;
  canTrain: boolean;
  onTrain(): void;
}

async function photoPixels(file: File): Promise<{ pixels: ImagePixels; canvas: OffscreenCanvas }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`“${file.name}” is not an image this page can read. Choose a PNG or JPEG photo of a digit.`);
  }
  const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, width, height);
  return { pixels: { data, width, height }, canvas };
}

/** The pad's 2D context, always asked for with willReadFrequently (it is read back on every stroke). */
function padContext(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  return canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
}

export const DrawingPad = memo(function DrawingPad({ api, modelVersion, runName, canTrain, onTrain }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ x: number; y: number } | null>(null);
  const lastRead = useRef(0);
  const source = useRef<'drawing' | { photo: ImagePixels; name: string } | null>(null);
  const [reading, setReading] = useState<Reading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [photoName, setPhotoName] = useState<string | null>(null);

  const readNow = useCallback(async () => {
    const ctx = padContext(canvasRef.current);
    if (!api || !ctx || !source.current) return;
    lastRead.current = performance.now();
    let pixels: ImagePixels;
    let kind: 'drawing' | 'photo';
    const name = source.current === 'drawing' ? null : source.current.name;
    if (source.current === 'drawing') {
      const { data, width, height } = ctx.getImageData(0, 0, PAD, PAD);
      pixels = { data, width, height };
      kind = 'drawing';
    } else {
      const { photo } = source.current;
      pixels = { data: photo.data.slice(), width: photo.width, height: photo.height };
      kind = 'photo';
    }
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

  const point = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) / rect.width) * PAD, y: ((event.clientY - rect.top) / rect.height) * PAD };
  };
  const stroke = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = padContext(canvasRef.current);
    if (!ctx) return;
    ctx.strokeStyle = '#111';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };
  const clear = () => {
    padContext(canvasRef.current)?.clearRect(0, 0, PAD, PAD);
    source.current = null;
    setReading(null);
    setError(null);
    setPhotoName(null);
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    if (source.current !== 'drawing') {
      padContext(canvasRef.current)?.clearRect(0, 0, PAD, PAD);
      setPhotoName(null);
    }
    source.current = 'drawing';
    setError(null);
    const p = point(event);
    drawing.current = p;
    stroke(p, p);
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const p = point(event);
    stroke(drawing.current, p);
    drawing.current = p;
    if (performance.now() - lastRead.current > READ_INTERVAL_MS) void readNow();
  };
  const onPointerUp = () => {
    if (!drawing.current) return;
    drawing.current = null;
    void readNow();
  };

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

  const prediction = reading?.prediction ?? null;
  return (
    <section className="card pad-card" aria-labelledby="pad-title">
      <h2 id="pad-title">Draw a digit</h2>
      <div className="pad-body">
        <div className="pad-wrap">
          <canvas
            ref={canvasRef}
            width={PAD}
            height={PAD}
            className="pad"
            aria-label="Drawing pad"
            role="img"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              void showPhoto(e.dataTransfer.files[0]);
            }}
          />
          <div className="pad-actions">
            <button type="button" onClick={clear}>
              Clear
            </button>
            <label className="file-button">
              Classify an image file
              <input
                type="file"
                accept="image/png,image/jpeg,image/*"
                onChange={(e) => void showPhoto(e.target.files?.[0]).finally(() => (e.target.value = ''))}
              />
            </label>
          </div>
          <p className="muted small">
            Write one digit large, as on paper; or drop a photo of one here.{photoName ? ` Showing ${photoName}.` : ''}
          </p>
        </div>
        <div className="pad-reading">
          <div className="prediction-line">
            <span>The network reads</span>
            <output aria-label="Prediction" className="prediction">
              {prediction ? String(prediction.digit) : ''}
            </output>
          </div>
          {!runName && (
            <div className="no-model">
              <p>No trained network yet: train a run and it reads your digits as soon as its first epoch ends.</p>
              <button type="button" className="primary" onClick={onTrain} disabled={!canTrain}>
                Train a network
              </button>
            </div>
          )}
          {runName && <p className="muted small">Read by {runName}.</p>}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="sees">
            <DigitCanvas
              pixels={reading ? Uint8Array.from(reading.image, (v) => Math.round(v * 256)) : null}
              label="What the network sees (28 × 28)"
              size={112}
            />
            <span className="muted small">what the network sees, 28 × 28</span>
          </div>
          <ActivationBars activations={prediction?.activations ?? null} caption="Output activations for the drawing" />
        </div>
      </div>
    </section>
  );
});
