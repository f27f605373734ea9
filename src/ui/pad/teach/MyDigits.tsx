/**
 * Teach it my hand: after a reading, `It's a 0` … `It's a 9` put what the network saw into "My digits"
 * with that label; the set is shown as thumbnails (each removable), downloaded and loaded as a file, and
 * `Fine-tune on my digits` makes a new run from the one reading the pad, tuned on MNIST and these digits.
 */
import { useState } from 'react';
import { DIGITS } from '../../../nn/mnist-shape';
import { FINE_TUNE_EPOCHS, personalRepeats } from '../../../nn/config';
import { errorMessage } from '../../../nn/format';
import { myDigitsToJson } from './my-digits';
import type { MyDigits } from './use-my-digits';
import { saveText } from '../../app/save-file';
import { DigitCanvas } from '../../app/DigitCanvas';
import { FileButton } from '../../app/FileButton';

/** The ten buttons that label what the pad shows. */
export function TeachButtons({ image, myDigits }: { image: Float32Array | null; myDigits: MyDigits }) {
  // What was added, and from which reading: a new drawing or photo hides it.
  const [added, setAdded] = useState<{ from: Float32Array; text: string } | null>(null);
  if (!image) return null;
  return (
    <div className="teach">
      <p className="muted small" id="teach-title">
        Read wrong, or want it to learn your hand? Say what it is:
      </p>
      <div className="teach-buttons" role="group" aria-labelledby="teach-title">
        {Array.from({ length: DIGITS }, (_, digit) => (
          <button
            key={digit}
            type="button"
            aria-label={`It's a ${digit}`}
            title={`It's a ${digit}: add this to My digits`}
            onClick={() => {
              // Said once it is kept: a reload a moment later finds it.
              setAdded({ from: image, text: `Adding it to My digits as a ${digit}…` });
              void myDigits
                .add(digit, image)
                .then((kept) => setAdded(kept ? { from: image, text: `Added to My digits as a ${digit}.` } : null));
            }}
          >
            {digit}
          </button>
        ))}
      </div>
      <p className="muted small" aria-live="polite">
        {added?.from === image ? added.text : null}
      </p>
    </div>
  );
}

interface PanelProps {
  myDigits: MyDigits;
  /** The run that reads the pad, by name and network (`Run 1 (784-30-10)`); null when none can be tuned. */
  source: string | null;
  /** Why fine-tuning cannot start now, if it cannot. */
  blocked: string | null;
  onFineTune(): void;
}

/** How many thumbnails show before `Show all`. */
const SHOWN = 200;

/** The personal set: thumbnails, remove, download and load, and the fine-tuning. */
export function MyDigitsPanel({ myDigits, source, blocked, onFineTune }: PanelProps) {
  const { digits, problem, keeping } = myDigits;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  // Thousands of thumbnails would weigh on the page: the newest are shown, the rest on request.
  const [showAll, setShowAll] = useState(false);
  const first = showAll ? 0 : Math.max(0, digits.length - SHOWN);
  const load = async (file: File | undefined) => {
    if (!file) return;
    setLoadError(null);
    setLoaded(null);
    try {
      const count = await myDigits.load(file);
      setLoaded(`Loaded ${count} digit${count === 1 ? '' : 's'} from “${file.name}”.`);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  };
  const disabled = digits.length === 0 || source === null || blocked !== null;
  return (
    <section className="my-digits" aria-labelledby="my-digits-title">
      <h3 id="my-digits-title">My digits{digits.length ? ` (${digits.length})` : ''}</h3>
      {digits.length === 0 ? (
        <p className="muted small">
          None yet. Draw a digit (or choose a photo), then press the digit it is: it joins this set, kept in this browser. A few of the ones
          it misreads are enough to teach it.
        </p>
      ) : (
        <ul className="my-digit-list" aria-label="My digits">
          {digits.slice(first).map((digit, j) => {
            const i = first + j;
            return (
              <li key={digit.id} className="my-digit">
                <DigitCanvas pixels={digit.pixels} label={`My digit ${i + 1}: a ${digit.label}`} size={42} />
                <span className="my-digit-label">{digit.label}</span>
                <button
                  type="button"
                  className="remove-digit"
                  aria-label={`Remove my digit ${i + 1} (a ${digit.label})`}
                  onClick={() => myDigits.remove(digit.id)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {first > 0 && (
        <p className="muted small">
          Showing the newest {SHOWN} of {digits.length.toLocaleString('en-US')}.{' '}
          <button type="button" onClick={() => setShowAll(true)}>
            Show all {digits.length.toLocaleString('en-US')}
          </button>
        </p>
      )}
      <div className="pad-actions">
        <button type="button" className="primary" disabled={disabled} onClick={onFineTune}>
          Fine-tune on my digits
        </button>
        <button
          type="button"
          disabled={digits.length === 0}
          onClick={() => saveText(myDigitsToJson(digits), `my-digits-${digits.length}.json`)}
        >
          Download my digits
        </button>
        <FileButton accept="application/json,.json" onFile={load}>
          Load my digits
        </FileButton>
      </div>
      <p className="muted small">
        {source
          ? `Fine-tuning trains ${source} for ${FINE_TUNE_EPOCHS} more epochs on MNIST with your digits, each shown ${personalRepeats(digits.length)} times an epoch (slightly distorted), as a new run; ${source.split(' (')[0]} stays as it is.`
          : 'Fine-tuning needs a trained network reading the pad: train a run first.'}
        {blocked ? ` ${blocked}` : ''}
      </p>
      <p className="muted small" aria-live="polite">
        {keeping
          ? `Keeping… ${keeping.kept.toLocaleString('en-US')} of ${keeping.total.toLocaleString('en-US')} digits written to this browser; stay on the page until they are.`
          : loaded}
      </p>
      {(loadError ?? problem) && (
        <p className="field-error" role="alert">
          {loadError ?? problem}
        </p>
      )}
    </section>
  );
}
