/**
 * `Reproduce the book`: each MNIST experiment of chapters 1, 3 and 5 one click away. A click trains it over
 * the seeds asked for (as a comparison: its bands on the chart, its row in the Comparison table), and the
 * entry sets our figures, mean and range over the seeds, beside the book's one run.
 */
import { memo } from 'react';
import type { TrainConfig } from '../../nn/config';
import { bestAccuracy, isActive, type Run, networkName } from '../runs/run';
import { BOOK_EXPERIMENTS, type BookExperiment } from '../../nn/book';

/** Each network's figures over the runs of one reproduction: the best and the last epoch's accuracy, mean and range. */
export function reproduced(runs: Run[]): string[] {
  const networks = [...new Set(runs.map((run) => networkName(run.sizes, run.config)))];
  return networks.map((network) => {
    const mine = runs.filter((run) => networkName(run.sizes, run.config) === network);
    const done = mine.filter((run) => run.status === 'finished' || run.status === 'stopped early');
    if (done.length < mine.length) {
      const training = mine.filter(isActive).length;
      return `${network}: ${done.length} of ${mine.length} seeds finished${training ? ', training' : ''}`;
    }
    const summary = (values: number[]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const range = values.length > 1 ? ` (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}%)` : '';
      return `${mean.toFixed(2)}%${range}`;
    };
    const best = summary(done.map((run) => bestAccuracy(run) ?? 0));
    const last = summary(done.map((run) => run.accuracy.at(-1)?.percent ?? 0));
    return `${network}: best ${best}, last ${last} over ${done.length} seed${done.length === 1 ? '' : 's'}`;
  });
}

/** A run's settings, whatever its seed, in one order (kept runs come back with their fields in the schema's). */
function settingsKey(config: TrainConfig): string {
  const ignored = new Set<string>(['seed', 'seedsPerNetwork']);
  return JSON.stringify(
    Object.entries(config)
      .filter(([name]) => !ignored.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * The runs of `experiment`'s latest reproduction: the newest comparison whose runs are all of its settings
 * (any seed) and cover every one of them. Read from the runs themselves, so it holds across reloads.
 */
export function reproductionOf(experiment: BookExperiment, runs: readonly Run[]): Run[] {
  const wanted = new Set(experiment.configs.map(settingsKey));
  const comparisons = [...new Set(runs.flatMap((run) => (run.comparison === null ? [] : [run.comparison])))].sort((a, b) => b - a);
  for (const comparison of comparisons) {
    const mine = runs.filter((run) => run.comparison === comparison);
    const keys = new Set(mine.map((run) => settingsKey(run.config)));
    if ([...keys].every((key) => wanted.has(key)) && keys.size === wanted.size) return mine;
  }
  return [];
}

export const ReproduceBook = memo(function ReproduceBook({
  runs,
  seeds,
  ready,
  onReproduce,
}: {
  runs: Run[];
  /** Seeds each experiment trains with (the form's `Seeds per network`). */
  seeds: number;
  ready: boolean;
  onReproduce(configs: TrainConfig[], seeds: number): Promise<number | null>;
}) {
  return (
    <section className="card book" aria-labelledby="book-title">
      <h2 id="book-title">Reproduce the book</h2>
      <p className="small muted">
        Every MNIST experiment the book reports in chapters 1, 3 and 5, set up and trained over {seeds} seed{seeds === 1 ? '' : 's'} (the
        form’s Seeds per network): the book’s one run beside our mean and range. Each opens the book at its section.
      </p>
      <ul className="experiments" aria-label="Reproduce the book">
        {BOOK_EXPERIMENTS.map((experiment) => {
          const ours = reproduced(reproductionOf(experiment, runs));
          return (
            <li key={experiment.id}>
              <div>
                <span className="chapter">Ch. {experiment.chapter}</span>{' '}
                <a href={experiment.url} target="_blank" rel="noreferrer">
                  {experiment.title}
                </a>
              </div>
              <div className="small">
                The book: {experiment.book}
                {ours.map((line) => (
                  <div key={line}>Ours: {line}</div>
                ))}
              </div>
              <button
                type="button"
                disabled={!ready}
                onClick={() => void onReproduce(experiment.configs, seeds)}
                aria-label={`Reproduce: ${experiment.title}`}
              >
                Reproduce
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
});
