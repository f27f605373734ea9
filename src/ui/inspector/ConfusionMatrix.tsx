/**
 * The test set's confusion matrix for the selected run: rows are labels, columns what the network read.
 * A cell opens those digits in the viewer. One Tab stop: the arrow keys (and Home, End) move inside it.
 */
import { memo, useRef, useState, type KeyboardEvent } from 'react';
import type { Remote } from '../platform/worker-client';
import type { InspectingApi } from '../../worker/protocol';
import { DIGITS } from '../../nn/mnist-shape';
import { useWorkerQuery } from './use-worker-query';
import { Alert } from '../app/Alert';

interface Props {
  api: Remote<InspectingApi> | null;
  modelVersion: number;
  /** Which network the matrix is for, e.g. `Run 2 after epoch 5`; null when none is selected. */
  modelLabel: string | null;
  onOpen(label: number, predicted: number): void;
}

const DIGIT_LIST = Array.from({ length: DIGITS }, (_, d) => d);

/** Where an arrow key takes the focus from cell (row, col); null for other keys. */
function moveFrom(key: string, row: number, col: number): [number, number] | null {
  const last = DIGITS - 1;
  const clamp = (n: number) => Math.min(last, Math.max(0, n));
  switch (key) {
    case 'ArrowUp':
      return [clamp(row - 1), col];
    case 'ArrowDown':
      return [clamp(row + 1), col];
    case 'ArrowLeft':
      return [row, clamp(col - 1)];
    case 'ArrowRight':
      return [row, clamp(col + 1)];
    case 'Home':
      return [row, 0];
    case 'End':
      return [row, last];
    default:
      return null;
  }
}

/** Off-diagonal cells redden with their count; the darkest still keeps 4.5:1 contrast with the text. */
function cellBackground(count: number, largestOff: number): string | undefined {
  const strength = count / largestOff;
  return strength ? `rgba(214, 69, 65, ${0.12 + 0.6 * strength})` : undefined;
}

export const ConfusionMatrix = memo(function ConfusionMatrix({ api, modelVersion, modelLabel, onOpen }: Props) {
  const answer = useWorkerQuery(api, modelLabel && `${modelVersion}:${modelLabel}`, async (evaluator) => ({
    counts: await evaluator.confusion(),
    label: modelLabel,
  }));
  /** The cell that holds the matrix's one Tab stop. */
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const table = useRef<HTMLTableElement>(null);
  if (answer.error) return <Alert>Could not count the confusion matrix: {answer.error}</Alert>;
  const shown = modelLabel ? answer.value?.counts : null;
  if (!shown) return <p className="muted">Train a run to see which digits it confuses.</p>;
  const largestOff = Math.max(1, ...Array.from(shown).filter((_, i) => i % (DIGITS + 1) !== 0));

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const next = moveFrom(event.key, ...active);
    if (!next) return;
    event.preventDefault();
    setActive(next);
    table.current?.querySelector<HTMLButtonElement>(`[data-cell="${next[0]}-${next[1]}"]`)?.focus();
  };

  return (
    <div className="matrix-scroll">
      <table ref={table} className="confusion" aria-label="Confusion matrix" onKeyDown={onKeyDown}>
        <caption className="muted small">
          {answer.value?.label}: the 10,000 test digits by label (rows) and by what the network read (columns). The diagonal is what{' '}
          <a
            href="http://neuralnetworksanddeeplearning.com/chap1.html#implementing_our_network_to_classify_digits"
            target="_blank"
            rel="noreferrer"
          >
            chapter 1
          </a>
          ’s evaluate() counts; the rest shows which digits it takes for which. Choose a cell to see those digits; the arrow keys move
          between cells.
        </caption>
        <thead>
          <tr>
            <th scope="col" aria-label="label \\ read as">
              ↓ label · read →
            </th>
            {DIGIT_LIST.map((p) => (
              <th scope="col" key={p}>
                {p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DIGIT_LIST.map((label) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {DIGIT_LIST.map((predicted) => {
                const n = shown[label * DIGITS + predicted];
                const diagonal = label === predicted;
                const background = diagonal ? undefined : cellBackground(n, largestOff);
                return (
                  <td key={predicted} className={diagonal ? 'diagonal' : undefined} style={background ? { background } : undefined}>
                    <button
                      type="button"
                      data-cell={`${label}-${predicted}`}
                      tabIndex={active[0] === label && active[1] === predicted ? 0 : -1}
                      aria-disabled={n === 0 ? true : undefined}
                      onFocus={() => setActive([label, predicted])}
                      onClick={() => n > 0 && onOpen(label, predicted)}
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
    </div>
  );
});
