/** Browse MNIST's training, validation or test digits with the selected run's reading of each. */
import { useEffect, useState } from 'react';
import type { Remote } from 'comlink';
import type { DataInfo, DataSetName, Digit, TrainerApi } from '../../worker/protocol';
import { ActivationBars } from './ActivationBars';
import { DigitCanvas } from './DigitCanvas';

interface Props {
  api: Remote<TrainerApi> | null;
  info: DataInfo | null;
  modelVersion: number;
  runName: string | null;
}

const SETS: DataSetName[] = ['training', 'validation', 'test'];

export function DigitViewer({ api, info, modelVersion, runName }: Props) {
  const [set, setSet] = useState<DataSetName>('test');
  const [index, setIndex] = useState(0);
  const [indexText, setIndexText] = useState('0');
  const [wrongOnly, setWrongOnly] = useState(false);
  const [wrongList, setWrongList] = useState<Uint32Array | null>(null);
  const [digit, setDigit] = useState<Digit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const count = info?.[set] ?? 0;
  const filtering = wrongOnly && set === 'test';
  const wrong = filtering ? wrongList : null;

  useEffect(() => {
    if (!api || !filtering) return;
    let cancelled = false;
    void api.misclassified('test').then((list) => {
      if (cancelled) return;
      setWrongList(list);
      if (list.length && !list.includes(index)) setIndex(list[0]);
    });
    return () => {
      cancelled = true;
    };
    // Recompute the list when the model changes, not when the index moves within it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, filtering, modelVersion]);

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
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [api, set, index, count, modelVersion]);

  const step = (delta: number) => {
    if (filtering && wrong?.length) {
      const at = wrong.indexOf(index);
      const position = at < 0 ? 0 : (at + delta + wrong.length) % wrong.length;
      setIndex(wrong[position]);
    } else if (count) {
      setIndex((i) => (i + delta + count) % count);
    }
  };
  const random = () => {
    if (filtering && wrong?.length) setIndex(wrong[Math.floor(Math.random() * wrong.length)]);
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

  return (
    <section className="card viewer" role="region" aria-label="Digit viewer">
      <h2>Digit viewer</h2>
      <div className="viewer-controls">
        <label>
          Set{' '}
          <select value={set} onChange={(e) => { setSet(e.target.value as DataSetName); setIndex(0); }}>
            {SETS.map((s) => (
              <option key={s} value={s}>
                {s} ({(info?.[s] ?? 0).toLocaleString('en-US')})
              </option>
            ))}
          </select>
        </label>
        <form className="go" onSubmit={(e) => { e.preventDefault(); go(); }}>
          <label>
            Digit index <input value={indexText} inputMode="numeric" size={6} onChange={(e) => setIndexText(e.target.value)} aria-invalid={error ? true : undefined} />
          </label>
          <button type="submit">Go</button>
        </form>
        <div className="nav">
          <button type="button" onClick={() => step(-1)} disabled={!count}>← Previous</button>
          <button type="button" onClick={() => step(1)} disabled={!count}>Next →</button>
          <button type="button" onClick={random} disabled={!count}>Random</button>
        </div>
        <label className="check" title={set === 'test' ? '' : 'Choose the test set to filter'}>
          <input type="checkbox" checked={wrongOnly} disabled={set !== 'test' || !prediction} onChange={(e) => setWrongOnly(e.target.checked)} />
          Misclassified only
        </label>
      </div>
      {error && <p className="field-error">{error}</p>}
      <div className="viewer-body">
        <DigitCanvas pixels={digit?.pixels ?? null} label={digit ? `${set} digit ${digit.index}, label ${digit.label}` : 'no digit yet'} />
        <div className="reading">
          <p className="label-line">
            {digit ? (
              <>
                <span className="muted">{set} #{digit.index.toLocaleString('en-US')}</span> · label <strong>{digit.label}</strong>
              </>
            ) : null}
          </p>
          <p className={`verdict${prediction && digit && prediction.digit !== digit.label ? ' wrong' : ''}`} aria-live="polite">{verdict}</p>
          {filtering && wrong && <p className="muted small">{wrong.length.toLocaleString('en-US')} of 10,000 test digits misread ({wrong.length ? `${wrong.indexOf(index) + 1} of ${wrong.length}` : 'none'})</p>}
          <ActivationBars activations={prediction?.activations ?? null} label={digit?.label} caption="Output activations" />
        </div>
      </div>
    </section>
  );
}
