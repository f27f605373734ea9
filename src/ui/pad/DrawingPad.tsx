/**
 * Draw a digit with mouse, finger or pen — or drop or choose a photo of one — and the selected run reads
 * it. The pixels go to the worker, which turns them into an MNIST-style 28 × 28 input (src/data/preprocess.ts).
 */
import { memo, useEffect } from 'react';
import { PIXEL_SCALE } from '../../nn/mnist-shape';
import type { FocusDigit } from '../network/NetworkDiagram';
import { certaintyOf, certaintyWords } from './certainty';
import type { Remote } from '../platform/worker-client';
import type { InspectingApi, Reading } from '../../worker/protocol';
import { PAD, useDrawingPad } from './use-drawing-pad';
import { ActivationBars } from '../inspector/ActivationBars';
import { DigitCanvas } from '../app/DigitCanvas';
import { FileButton } from '../app/FileButton';
import { MyDigitsPanel, TeachButtons } from './teach/MyDigits';
import type { MyDigits } from './teach/use-my-digits';

interface Props {
  api: Remote<InspectingApi> | null;
  modelVersion: number;
  runName: string | null;
  canTrain: boolean;
  onTrain(): void;
  myDigits: MyDigits;
  /** The run reading the pad, as fine-tuning names it (`Run 1 (784-30-10)`); null when there is none to tune. */
  tuneSource: string | null;
  /** Why fine-tuning cannot start now, when it cannot. */
  tuneBlocked: string | null;
  onFineTune(): void;
  /** The drawing as the network sees it, each time it is read (the Network region draws the run reading it). */
  onDigit?(digit: FocusDigit): void;
}

export const DrawingPad = memo(function DrawingPad({
  api,
  modelVersion,
  runName,
  canTrain,
  onTrain,
  myDigits,
  tuneSource,
  tuneBlocked,
  onFineTune,
  onDigit,
}: Props) {
  const { canvasRef, pointerHandlers, clear, showPhoto, photoName, reading, waiting, error } = useDrawingPad(api, modelVersion);
  const image = reading?.image;
  useEffect(() => {
    if (!image || !onDigit) return;
    const pixels = Uint8Array.from(image, (v) => Math.min(255, Math.round(v / PIXEL_SCALE)));
    onDigit({ pixels, input: image, name: photoName ? `your photo ${photoName}` : 'your drawing', label: null });
    // The name follows the image.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [image, onDigit]);
  return (
    <section id="drawing-pad" tabIndex={-1} className="card pad-card" aria-labelledby="pad-title">
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
            {...pointerHandlers}
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
            <FileButton accept="image/png,image/jpeg,image/*" onFile={showPhoto}>
              Classify an image file
            </FileButton>
          </div>
          <p className="muted small">
            Write one digit large, as on paper; or drop a photo of one here.{photoName ? ` Showing ${photoName}.` : ''}
          </p>
        </div>
        <div className="pad-reading">
          <PadReading reading={reading} waiting={waiting} error={error} runName={runName} canTrain={canTrain} onTrain={onTrain} />
          <TeachButtons image={reading?.image ?? null} myDigits={myDigits} />
        </div>
      </div>
      <p className="small muted">
        Your digit is cut to its ink, scaled into 20 × 20 and centred by its centre of mass in 28 × 28, as MNIST’s digits were made, then
        read by the selected run.{' '}
        <a
          href="http://neuralnetworksanddeeplearning.com/chap1.html#a_simple_network_to_classify_handwritten_digits"
          target="_blank"
          rel="noreferrer"
        >
          Chapter 1: how MNIST’s digits were made
        </a>
      </p>
      <MyDigitsPanel myDigits={myDigits} source={tuneSource} blocked={tuneBlocked} onFineTune={onFineTune} />
    </section>
  );
});

/** What the network reads on the pad, what it sees (28 × 28), and its ten outputs. */
function PadReading({
  reading,
  waiting,
  error,
  runName,
  canTrain,
  onTrain,
}: { reading: Reading | null; waiting: boolean; error: string | null } & Pick<Props, 'runName' | 'canTrain' | 'onTrain'>) {
  const prediction = reading?.prediction ?? null;
  const certainty = prediction ? certaintyOf(prediction.activations) : null;
  return (
    <>
      <div className="prediction-line">
        <span>The network reads</span>
        <output
          aria-label="Prediction"
          aria-describedby="pad-certainty"
          className={`prediction${certainty?.sure === false ? ' unsure' : ''}`}
        >
          {prediction ? String(prediction.digit) : ''}
        </output>
      </div>
      {/* The outputs are ten separate sigmoids: a reading with none high, or two close, is a guess and says so. */}
      <p id="pad-certainty" className={`certainty small${certainty?.sure === false ? ' unsure' : ''}`}>
        {certainty ? certaintyWords(certainty) : ''}
      </p>
      {!runName && (
        <div className="no-model">
          <p>No trained network yet: train a run and it reads your digits as soon as its first epoch ends.</p>
          <button type="button" className="primary" onClick={onTrain} disabled={!canTrain}>
            Train a network
          </button>
        </div>
      )}
      {runName && <p className="muted small">Read by {runName}.</p>}
      {waiting && <p className="small">MNIST is still loading: your digit is read as soon as it has.</p>}
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
    </>
  );
}
