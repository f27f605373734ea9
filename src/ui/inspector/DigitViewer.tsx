/** Browse MNIST's training, validation or test digits with the selected run's reading of each. */
import { useEffect, useRef, memo } from 'react';
import type { DataInfo, DataSetName } from '../../worker/protocol';
import { useDigitViewer, type CellFocus, type DigitViewerSources, type DigitViewerState } from './use-digit-viewer';
import { ActivationBars } from './ActivationBars';
import { DigitCanvas } from '../app/DigitCanvas';
import { PIXEL_SCALE } from '../../nn/mnist-shape';
import type { FocusDigit } from '../network/NetworkDiagram';

export type { CellFocus };

const SETS: DataSetName[] = ['training', 'validation', 'test'];

type Props = DigitViewerSources & {
  runName: string | null;
  /** The digit shown, each time another is (the Network region draws the run reading it). */
  onDigit?(digit: FocusDigit): void;
};

export const DigitViewer = memo(function DigitViewer(props: Props) {
  const viewer = useDigitViewer(props);
  const { focus, runName, onFocusChange, onDigit } = props;
  const shown = viewer.digit;
  useEffect(() => {
    if (!shown || !onDigit) return;
    const input = Float32Array.from(shown.pixels, (byte) => byte * PIXEL_SCALE);
    onDigit({ pixels: shown.pixels, input, name: `${shown.set} digit #${shown.index} (a ${shown.label})`, label: shown.label });
    // A new reading of the same digit is the same digit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown?.set, shown?.index, onDigit]);
  const region = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focus) region.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [focus]);

  return (
    <section ref={region} id="digit-viewer" tabIndex={-1} className="card viewer" role="region" aria-label="Digit viewer">
      <h2>Digit viewer</h2>
      <ViewerControls viewer={viewer} info={props.info} />
      {focus && (
        <p className="focus-line">
          Test digits labelled {focus.label} that {runName ?? 'the network'} reads as {focus.predicted}: {viewer.position}{' '}
          <button type="button" onClick={() => onFocusChange(null)}>
            Show all digits
          </button>
        </p>
      )}
      {viewer.error && (
        <p className="field-error" role="alert">
          {viewer.error}
        </p>
      )}
      <DigitReadout viewer={viewer} runName={runName} listed={!focus} />
      {/* After the controls, so the skip link's next Tab stop is still the set. */}
      <p className="small muted">
        Every digit of MNIST’s three sets as the network sees it (28 × 28, each pixel byte / 256) with its label and the selected run’s ten
        outputs: the highest is its answer.{' '}
        <a
          href="http://neuralnetworksanddeeplearning.com/chap1.html#a_simple_network_to_classify_handwritten_digits"
          target="_blank"
          rel="noreferrer"
        >
          Chapter 1: the data
        </a>
      </p>
    </section>
  );
});

/** Which set, which digit (by index, step or chance), and the misread-only filter. */
function ViewerControls({ viewer, info }: { viewer: DigitViewerState; info: DataInfo | null }) {
  const { set, count } = viewer;
  return (
    <div className="viewer-controls">
      <label>
        Set{' '}
        <select value={set} onChange={(e) => viewer.chooseSet(e.target.value as DataSetName)}>
          {SETS.map((s) => (
            <option key={s} value={s}>
              {s} ({(info?.[s] ?? 0).toLocaleString('en-US')})
            </option>
          ))}
        </select>
      </label>
      <form
        className="go"
        onSubmit={(e) => {
          e.preventDefault();
          viewer.go();
        }}
      >
        <label>
          Digit index{' '}
          <input
            value={viewer.indexText}
            inputMode="numeric"
            size={6}
            onChange={(e) => viewer.setIndexText(e.target.value)}
            aria-invalid={viewer.error ? true : undefined}
          />
        </label>
        <button type="submit">Go</button>
      </form>
      <div className="nav">
        <button type="button" onClick={() => viewer.step(-1)} disabled={!count}>
          ← Previous
        </button>
        <button type="button" onClick={() => viewer.step(1)} disabled={!count}>
          Next →
        </button>
        <button type="button" onClick={viewer.random} disabled={!count}>
          Random
        </button>
      </div>
      <label className="check" title={set === 'test' ? '' : 'Choose the test set to filter'}>
        <input
          type="checkbox"
          checked={viewer.misreadOnly}
          disabled={set !== 'test' || !viewer.digit?.prediction}
          onChange={(e) => viewer.showMisreadOnly(e.target.checked)}
        />
        Misclassified only
      </label>
    </div>
  );
}

/** The digit, its label, and what the network reads (with its ten output activations). */
function DigitReadout({ viewer, runName, listed }: { viewer: DigitViewerState; runName: string | null; listed: boolean }) {
  const { digit, set, filtered } = viewer;
  const prediction = digit?.prediction ?? null;
  const verdict = !digit
    ? 'Loading digits…'
    : prediction
      ? `${runName ?? 'The network'} reads ${prediction.digit}${prediction.digit === digit.label ? ' ✓' : ` ✗ (label ${digit.label})`}`
      : 'Train a run to see what the network reads.';
  return (
    <div className="viewer-body">
      <DigitCanvas pixels={digit?.pixels ?? null} label={digit ? `${set} digit ${digit.index}, label ${digit.label}` : 'no digit yet'} />
      <div className="reading">
        <p className="label-line">
          {digit ? (
            <>
              <span className="muted">
                {digit.set} #{digit.index.toLocaleString('en-US')}
              </span>{' '}
              · label <strong>{digit.label}</strong>
            </>
          ) : null}
        </p>
        <p className={`verdict${prediction && digit && prediction.digit !== digit.label ? ' wrong' : ''}`} aria-live="polite">
          {verdict}
        </p>
        {listed && filtered && (
          <p className="muted small">
            {filtered.length.toLocaleString('en-US')} of 10,000 test digits misread ({viewer.position})
          </p>
        )}
        <ActivationBars activations={prediction?.activations ?? null} label={digit?.label} caption="Output activations" />
      </div>
    </div>
  );
}
