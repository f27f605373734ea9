/** Browse MNIST's training, validation or test digits with the selected run's reading of each. */
import { useEffect, useRef, useState, memo } from 'react';
import type { Remote } from '../trainer-client';
import type { DataInfo, DataSetName, Digit, TrainerApi } from '../../worker/protocol';
import { ActivationBars } from './ActivationBars';
import { DigitCanvas } from './DigitCanvas';
import { errorMessage } from '../../nn/format';

/** A confusion-matrix cell: test digits with this label read as `predicted`. */
export interface CellFocus {
  label: number;
  predicted: number;
}

interface Props {
  /** Reads single digits. */
  api: Remote<TrainerApi> | null;
  /** Lists digits over the whole test set (misread ones, a confusion cell's). */
  evaluator: Remote<TrainerApi> | null;
  info: DataInfo | null;
  modelVersion: number;
  evaluationVersion: number;
  runName: string | null;
  focus: CellFocus | null;
  onFocusChange(focus: CellFocus | null): void;
}

const SETS: DataSetName[] = ['training', 'validation', 'test'];

export const DigitViewer = memo(function DigitViewer({
  api,
  evaluator,
  info,
  modelVersion,
  evaluationVersion,
  runName,
  focus,
  onFocusChange,
}: Props) {
  const [chosenSet, setChosenSet] = useState<DataSetName>('test');
  const [index, setIndex] = useState(0);
  const [indexText, setIndexText] = useState('0');
  const [wrongOnly, setWrongOnly] = useState(false);
  const [list, setList] = useState<{ key: string; indices: Uint32Array } | null>(null);
  const [digit, setDigit] = useState<Digit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const region = useRef<HTMLElement>(null);
  const set: DataSetName = focus ? 'test' : chosenSet;
  const count = info?.[set] ?? 0;
  const filterKey = focus ? `cell:${focus.label}:${focus.predicted}` : wrongOnly && set === 'test' ? 'wrong' : null;
  const filtered = filterKey && list?.key === filterKey ? list.indices : null;

  useEffect(() => {
    if (!evaluator || !filterKey) return;
    let cancelled = false;
    const request = focus ? evaluator.digitsWhere(focus.label, focus.predicted) : evaluator.misclassified('test');
    request.then(
      (indices) => {
        if (cancelled) return;
        setList({ key: filterKey, indices });
        if (indices.length) setIndex(indices[0]);
      },
      (e: unknown) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
    // focus is fully described by filterKey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [evaluator, filterKey, evaluationVersion]);

  useEffect(() => {
    if (focus) region.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [focus]);

  useEffect(() => {
    if (!api || !count) return;
    let cancelled = false;
    api
      .sample(set, Math.min(index, count - 1))
      .then((d) => {
        if (cancelled) return;
        setDigit(d);
        setIndexText(String(d.index));
        setError(null);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [api, set, index, count, modelVersion]);

  const step = (delta: number) => {
    if (filtered?.length) {
      const at = filtered.indexOf(index);
      setIndex(filtered[at < 0 ? 0 : (at + delta + filtered.length) % filtered.length]);
    } else if (count) {
      setIndex((i) => (i + delta + count) % count);
    }
  };
  const random = () => {
    if (filtered?.length) setIndex(filtered[Math.floor(Math.random() * filtered.length)]);
    else if (count) setIndex(Math.floor(Math.random() * count));
  };
  const go = () => {
    const n = Number(indexText);
    if (!Number.isInteger(n) || n < 0 || n >= count) {
      setError(`Give a whole number from 0 to ${(count - 1).toLocaleString('en-US')} for the ${set} set.`);
      return;
    }
    setError(null);
    setIndex(n);
  };

  const prediction = digit?.prediction ?? null;
  const verdict = !digit
    ? 'Loading digits…'
    : prediction
      ? `${runName ?? 'The network'} reads ${prediction.digit}${prediction.digit === digit.label ? ' ✓' : ` ✗ (label ${digit.label})`}`
      : 'Train a run to see what the network reads.';
  const position = filtered
    ? `${filtered.length ? `${filtered.indexOf(index) + 1} of ${filtered.length.toLocaleString('en-US')}` : 'none'}`
    : '';

  return (
    <section ref={region} className="card viewer" role="region" aria-label="Digit viewer">
      <h2>Digit viewer</h2>
      <div className="viewer-controls">
        <label>
          Set{' '}
          <select
            value={set}
            onChange={(e) => {
              onFocusChange(null);
              setChosenSet(e.target.value as DataSetName);
              setIndex(0);
            }}
          >
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
            go();
          }}
        >
          <label>
            Digit index{' '}
            <input
              value={indexText}
              inputMode="numeric"
              size={6}
              onChange={(e) => setIndexText(e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </label>
          <button type="submit">Go</button>
        </form>
        <div className="nav">
          <button type="button" onClick={() => step(-1)} disabled={!count}>
            ← Previous
          </button>
          <button type="button" onClick={() => step(1)} disabled={!count}>
            Next →
          </button>
          <button type="button" onClick={random} disabled={!count}>
            Random
          </button>
        </div>
        <label className="check" title={set === 'test' ? '' : 'Choose the test set to filter'}>
          <input
            type="checkbox"
            checked={wrongOnly && !focus}
            disabled={set !== 'test' || !prediction}
            onChange={(e) => {
              onFocusChange(null);
              setWrongOnly(e.target.checked);
            }}
          />
          Misclassified only
        </label>
      </div>
      {focus && (
        <p className="focus-line">
          Test digits labelled {focus.label} that {runName ?? 'the network'} reads as {focus.predicted}: {position}{' '}
          <button type="button" onClick={() => onFocusChange(null)}>
            Show all digits
          </button>
        </p>
      )}
      {error && <p className="field-error">{error}</p>}
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
          {!focus && filtered && (
            <p className="muted small">
              {filtered.length.toLocaleString('en-US')} of 10,000 test digits misread ({position})
            </p>
          )}
          <ActivationBars activations={prediction?.activations ?? null} label={digit?.label} caption="Output activations" />
        </div>
      </div>
    </section>
  );
});
