/** The latest Compare, summed up per network over its seeds, beside the book's figures; it fills in as the runs end. */
import { memo, useCallback, useId, useState } from 'react';
import { compareRuns, isBookRun, type ComparisonRow } from '../../nn/comparison';
import { canContinue, hasStalled, isActive, type Run, networkName } from '../runs/run';

/** Whether a run's last accuracy is final: it trained to its end (or early stopping ended it, as the book's does). */
function isFinal(run: Run): boolean {
  return run.status === 'finished' || run.status === 'stopped early';
}

/** The runs of the latest comparison on the page (empty when there is none). */
export function latestComparison(runs: Run[]): Run[] {
  const latest = Math.max(-1, ...runs.flatMap((run) => (run.comparison === null ? [] : [run.comparison])));
  return runs.filter((run) => run.comparison === latest);
}

/** The comparison's rows: each run's test accuracy per epoch, time per epoch, and whether its last epoch stalled. */
export function comparisonRows(runs: Run[]): ComparisonRow[] {
  const outcomes = runs.map((run) => ({
    network: networkName(run.sizes, run.config),
    seed: run.config.seed,
    accuracy: run.accuracy.map((a) => a.percent),
    seconds: run.accuracy.flatMap((a) => (a.seconds === null ? [] : [a.seconds])),
    stalled: hasStalled(run),
  }));
  return compareRuns(outcomes, runs.length > 0 && isBookRun(runs[0].config));
}

const pct = (x: number) => `${x.toFixed(2)}%`;

/** Whether the box is narrower than what it holds (it scrolls sideways), followed as either changes size. */
function useOverflow() {
  const [overflows, setOverflows] = useState(false);
  // A callback ref with a cleanup (React 19): the observer lives exactly as long as the box.
  const box = useCallback((element: HTMLDivElement | null) => {
    if (!element || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => setOverflows(element.scrollWidth > element.clientWidth + 1));
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return { box, overflows };
}

export const ComparisonTable = memo(function ComparisonTable({ runs, onContinue }: { runs: Run[]; onContinue(runs: Run[]): void }) {
  const compared = latestComparison(runs);
  const captionId = useId();
  const { box, overflows } = useOverflow();
  if (!compared.length) return null;
  // Only a run that trained to its end has a final accuracy: one still training, interrupted, stopped or
  // failed is left out of the figures, and the caption says how many are.
  const final = compared.filter(isFinal);
  const rows = comparisonRows(final);
  // Under way here or in another tab: the comparison goes on, so nothing is offered to continue yet.
  const training = compared.filter((run) => isActive(run) || run.status === 'elsewhere').length;
  const notCounted = compared.length - final.length - training;
  // Runs a reload or Stop cut short (or never let begin): one click takes the whole comparison on.
  const unfinished = training === 0 ? compared.filter(canContinue) : [];
  return (
    <div className="comparison">
      {/* Outside the scrolling box, so a phone shows all of it; the table is described by it. */}
      <p className="small caption" id={captionId}>
        Compare: {compared.length} runs, {final.length === compared.length ? 'all finished' : `${final.length} finished`}
        {training > 0 && `, ${training} still to train`}
        {notCounted > 0 && `, ${notCounted} ended early (interrupted, stopped or failed) and not counted`}. Final test accuracy over the
        finished seeds of each network.
      </p>
      {unfinished.length > 0 && (
        <button type="button" className="continue-comparison" onClick={() => onContinue(unfinished)}>
          Continue the comparison ({unfinished.length} run{unfinished.length === 1 ? '' : 's'})
        </button>
      )}
      {overflows && (
        <p className="small scroll-hint" aria-hidden="true">
          Wider than the screen: swipe the table sideways for all nine columns.
        </p>
      )}
      <div ref={box} className="table-scroll" tabIndex={0} role="region" aria-label="Comparison, scrollable">
        <table aria-label="Comparison" aria-describedby={captionId}>
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Seeds</th>
              <th scope="col">Mean</th>
              <th scope="col">Min</th>
              <th scope="col">Max</th>
              <th scope="col">Best epoch (mean)</th>
              <th scope="col">s / epoch</th>
              <th scope="col">Stalled</th>
              <th scope="col">The book</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={9}>No run of it has finished yet.</td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.network}>
                <th scope="row">{row.network}</th>
                <td>{row.seeds}</td>
                <td>{pct(row.mean)}</td>
                <td>{pct(row.min)}</td>
                <td>{pct(row.max)}</td>
                <td>{row.bestEpoch}</td>
                <td>{row.secondsPerEpoch.toFixed(2)}</td>
                <td>
                  {row.stalled} of {row.seeds}
                </td>
                <td>{row.book === null ? '—' : pct(row.book)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
