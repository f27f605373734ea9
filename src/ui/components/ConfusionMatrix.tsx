/** The test set's confusion matrix for the selected run: rows are labels, columns what the network read. A cell opens those digits in the viewer. */
import { memo } from 'react';
import type { Remote } from '../worker-client';
import type { InspectingApi } from '../../worker/protocol';
import { useWorkerQuery } from '../use-worker-query';
import { Alert } from './Alert';

interface Props {
  api: Remote<InspectingApi> | null;
  modelVersion: number;
  /** Which network the matrix is for, e.g. `Run 2 after epoch 5`; null when none is selected. */
  modelLabel: string | null;
  onOpen(label: number, predicted: number): void;
}

export const ConfusionMatrix = memo(function ConfusionMatrix({ api, modelVersion, modelLabel, onOpen }: Props) {
  const answer = useWorkerQuery(api, modelLabel && `${modelVersion}:${modelLabel}`, async (evaluator) => ({
    counts: await evaluator.confusion(),
    label: modelLabel,
  }));
  if (answer.error) return <Alert>Could not count the confusion matrix: {answer.error}</Alert>;
  const shown = modelLabel ? answer.value?.counts : null;
  if (!shown) return <p className="muted">Train a run to see which digits it confuses.</p>;
  const largestOff = Math.max(1, ...Array.from(shown).filter((_, i) => i % 11 !== 0));
  return (
    <table className="confusion" aria-label="Confusion matrix">
      <caption className="muted small">
        {answer.value?.label}: the 10,000 test digits by label (rows) and by what the network read (columns). Click a cell to see those
        digits.
      </caption>
      <thead>
        <tr>
          <th scope="col" aria-label="label \\ read as">
            ↓ label · read →
          </th>
          {Array.from({ length: 10 }, (_, p) => (
            <th scope="col" key={p}>
              {p}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: 10 }, (_, label) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {Array.from({ length: 10 }, (_, predicted) => {
              const n = shown[label * 10 + predicted];
              const diagonal = label === predicted;
              const strength = diagonal ? 0 : n / largestOff;
              return (
                <td
                  key={predicted}
                  className={diagonal ? 'diagonal' : undefined}
                  style={strength ? { background: `rgba(214, 69, 65, ${0.12 + 0.75 * strength})` } : undefined}
                >
                  <button
                    type="button"
                    disabled={n === 0}
                    onClick={() => onOpen(label, predicted)}
                    aria-label={`${n} test digits labelled ${label} read as ${predicted}`}
                  >
                    {n}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
});
