/**
 * Several runs of each network (one per seed), summed up per network: the final accuracy's mean, min
 * and max, the epoch where the mean curve peaks, the time per epoch, how many runs stalled, and the
 * book's own figure beside it. The page's Comparison table and the CLI's summary say the same. Pure.
 */

/** What a run contributes: its network's name (`784-30-10`), its test accuracy (%) and training seconds per epoch, and whether it stalled. */
export interface RunOutcome {
  network: string;
  seed: number;
  accuracy: number[];
  seconds: number[];
  stalled: boolean;
}

export interface ComparisonRow {
  network: string;
  seeds: number;
  /** Final test accuracy (%) over the seeds. */
  mean: number;
  min: number;
  max: number;
  /** The epoch where the mean accuracy over the seeds is highest (only epochs every run reached). */
  bestEpoch: number;
  /** Training seconds per epoch, the median over every epoch of every run. */
  secondsPerEpoch: number;
  /** Runs whose network, after its last epoch, (almost) never read some digit. */
  stalled: number;
  /** The book's figure for this network at its chapter 1 settings (30 epochs, batch 10, η = 3.0), when it gives one. */
  book: number | null;
}

/** Whether `config` is chapter 1's run as the book reports it (30 epochs of all 50,000, batch 10, η = 3.0, quadratic, N(0, 1)), so its figures stand beside ours. */
export function isBookRun(config: {
  epochs: number;
  miniBatchSize: number;
  eta: number;
  cost: string;
  lambda: number;
  init: string;
  trainingExamples: number;
}): boolean {
  return (
    config.epochs === 30 &&
    config.miniBatchSize === 10 &&
    config.eta === 3 &&
    config.cost === 'quadratic' &&
    config.lambda === 0 &&
    config.init === 'large' &&
    config.trainingExamples === 50_000
  );
}

/** Chapter 1's reported best accuracies: 95.42% with 30 hidden neurons, 96.59% with 100. */
export const BOOK_FIGURES: Record<string, number> = { '784-30-10': 95.42, '784-100-10': 96.59 };

/** The median of `xs` (the mean of the middle two for an even count): seconds per epoch here, noisy timings in the bench. */
export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One row per network, in the order the networks first appear; runs with no finished epoch are left
 * out. `withBook` says whether the runs used the book's chapter 1 settings, so its figures apply.
 */
export function compareRuns(runs: RunOutcome[], withBook: boolean): ComparisonRow[] {
  const networks = [...new Set(runs.map((r) => r.network))];
  return networks.flatMap((network) => {
    const mine = runs.filter((r) => r.network === network && r.accuracy.length > 0);
    if (!mine.length) return [];
    const finals = mine.map((r) => r.accuracy[r.accuracy.length - 1]);
    const common = Math.min(...mine.map((r) => r.accuracy.length));
    const meanAt = (epoch: number) => mine.reduce((sum, r) => sum + r.accuracy[epoch], 0) / mine.length;
    let bestEpoch = 0;
    for (let epoch = 1; epoch < common; epoch++) if (meanAt(epoch) > meanAt(bestEpoch)) bestEpoch = epoch;
    return [
      {
        network,
        seeds: mine.length,
        mean: finals.reduce((a, b) => a + b, 0) / finals.length,
        min: Math.min(...finals),
        max: Math.max(...finals),
        bestEpoch,
        secondsPerEpoch: median(mine.flatMap((r) => r.seconds)),
        stalled: mine.filter((r) => r.stalled).length,
        book: withBook ? (BOOK_FIGURES[network] ?? null) : null,
      },
    ];
  });
}

/** The rows as a Markdown table, as the CLI prints it and the README quotes it. */
export function formatComparison(rows: ComparisonRow[]): string {
  const pct = (x: number) => `${x.toFixed(2)}%`;
  const lines = [
    '| network | seeds | final accuracy, mean | min | max | best epoch (mean) | s / epoch | stalled | the book |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows
      .map((r) =>
        [
          r.network,
          r.seeds,
          pct(r.mean),
          pct(r.min),
          pct(r.max),
          r.bestEpoch,
          r.secondsPerEpoch.toFixed(2),
          `${r.stalled} of ${r.seeds}`,
          r.book === null ? '—' : pct(r.book),
        ].join(' | '),
      )
      .map((cells) => `| ${cells} |`),
  ];
  return lines.join('\n');
}
