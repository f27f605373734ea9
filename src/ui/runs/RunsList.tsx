/** Every run of this page: settings, status, best accuracy, time and speed; each can be hidden, selected or removed. */
import type { TrainConfig } from '../../nn/config';
import {
  bestAccuracy,
  canContinue,
  canExtend,
  canTrainFurther,
  describeConfig,
  describeTuning,
  isActive,
  MORE_EPOCHS,
  stallWords,
  type Run,
} from './run';

interface Props {
  runs: Run[];
  selectedKey: string | null;
  colorOf(runKey: string): string;
  onToggleHidden(key: string): void;
  onSelect(key: string): void;
  onRemove(key: string): void;
  onContinue(run: Run): void;
  onExtend(run: Run): void;
  /** Start a new run with these settings (a stalled run's cure). */
  onStart(config: TrainConfig): void;
  /** The settings form's values, when they are valid: what `Train further` trains a loaded model with. */
  settings: TrainConfig | null;
  onTrainFurther(run: Run, settings: TrainConfig): void;
}

/** Chapter 3's cure for a stall, on the same network: cross-entropy, weights N(0, 1/√n), and the book's η for them. */
function cureOf(config: TrainConfig): TrainConfig {
  return { ...config, cost: 'cross-entropy', init: 'scaled', eta: 0.5 };
}

/** A stalled run's digits, and why, one click away, with the cure. */
function StallNote({ run, onStart }: { run: Run; onStart(config: TrainConfig): void }) {
  const words = stallWords(run.accuracy.at(-1));
  if (!words.length) return null;
  const cured = run.config.cost === 'cross-entropy' && run.config.init === 'scaled';
  return (
    <details className="stall">
      <summary>{words.join('; ')}</summary>
      <p className="small">
        After its last epoch this network reads fewer than half of the test digits of {words.length === 1 ? 'that kind' : 'those kinds'}{' '}
        right (a healthy run of chapter 1 reads every digit right 91% of the time or more). It has stalled: the output neurons of those
        digits have saturated, a weighted input z far from 0 putting σ(z) near 0 or 1, where σ′(z) ≈ 0. With the quadratic cost the gradient
        of each weight carries that factor, (a − y)·σ′(z), so a neuron learns almost nothing however wrong it is — the slowdown that opens
        chapter 3. Large N(0, 1) weights make such z common. The book’s cure: the cross-entropy cost, whose gradient (a − y) has no σ′ in
        it, and weights drawn from N(0, 1/√n).
      </p>
      {!cured && (
        <button type="button" onClick={() => onStart(cureOf(run.config))}>
          Train {describeConfig(run.sizes, run.config).split(',')[0]} with chapter 3’s cure
        </button>
      )}
    </details>
  );
}

/** A loaded model's `Train further`: its network on MNIST with the settings above, as a new run. */
function TrainFurther({
  run,
  settings,
  onTrainFurther,
}: {
  run: Run;
  settings: TrainConfig | null;
  onTrainFurther: Props['onTrainFurther'];
}) {
  const title = settings
    ? `Train this network ${settings.epochs} epochs on MNIST with the settings above (η = ${settings.eta}, mini-batch ${settings.miniBatchSize}` +
      `${settings.lambda > 0 ? `, λ = ${settings.lambda}` : ''}; its layers and cost stay the file’s), as a new run; ${run.name} stays as loaded`
    : 'Correct the settings above first: they say how to train it';
  return (
    <button
      type="button"
      onClick={() => settings && onTrainFurther(run, settings)}
      disabled={!settings}
      aria-label={`Train further from ${run.name}`}
      title={title}
    >
      Train further
    </button>
  );
}

function statusText(run: Run): string {
  switch (run.status) {
    case 'queued':
      return 'queued: waits for a free core';
    case 'loading':
      return run.loading ? `loading MNIST (${run.loading.phase})` : 'starting';
    case 'training':
      return `epoch ${Math.min(run.epoch + 1, run.config.epochs)} of ${run.config.epochs}`;
    case 'interrupted':
      return run.accuracy.length
        ? `interrupted after epoch ${run.accuracy.length - 1} of ${run.config.epochs}`
        : `interrupted before its first epoch (of ${run.config.epochs})`;
    case 'stopped':
      return run.accuracy.length ? 'stopped' : 'stopped before its first epoch';
    case 'elsewhere':
      return `training in another tab (${run.accuracy.length} of ${run.config.epochs} epochs)`;
    default:
      return run.status;
  }
}

export function RunsList({
  runs,
  selectedKey,
  colorOf,
  onToggleHidden,
  onSelect,
  onRemove,
  onContinue,
  onExtend,
  onStart,
  settings,
  onTrainFurther,
}: Props) {
  if (runs.length === 0) return <p className="muted">No runs yet. Train one, or compare 30 and 100 hidden neurons.</p>;
  return (
    <ul className="runs" aria-label="Runs">
      {runs.map((run) => {
        const best = bestAccuracy(run);
        return (
          <li key={run.key} className={run.key === selectedKey ? 'selected' : undefined} aria-label={run.name}>
            <span className="swatch" style={{ background: colorOf(run.key) }} aria-hidden="true" />
            <div className="run-main">
              <div className="run-title">
                <strong>{run.name}</strong> <span className="muted">{describeConfig(run.sizes, run.config, run.source)}</span>
                {run.tuning && <div className="muted small">{describeTuning(run.tuning)}</div>}
                {run.startedFrom && <div className="muted small">trained further from {run.startedFrom}</div>}
              </div>
              <div className="run-stats">
                <span className={`status ${run.status}`}>{statusText(run)}</span>
                <span>best {best === null ? '—' : `${best.toFixed(2)}%`}</span>
                {run.source === null && <span>{run.trainingSeconds.toFixed(1)} s</span>}
                {run.examplesPerSecond > 0 && <span>{Math.round(run.examplesPerSecond).toLocaleString('en-US')} examples/s</span>}
              </div>
              <StallNote run={run} onStart={onStart} />
              {/* The bar's place is kept when it goes, so the cards below never move under a click. */}
              {isActive(run) ? (
                <progress aria-label={`Epoch progress of ${run.name}`} max={run.examplesTotal || 1} value={run.examplesDone} />
              ) : (
                <div className="progress-space" aria-hidden="true" />
              )}
            </div>
            <div className="run-actions">
              {canContinue(run) && (
                <button
                  type="button"
                  onClick={() => onContinue(run)}
                  aria-label={`Continue ${run.name}`}
                  title={`Train epochs ${run.accuracy.length}–${run.config.epochs - 1} with the same settings`}
                >
                  Continue
                </button>
              )}
              {canExtend(run) && (
                <button
                  type="button"
                  onClick={() => onExtend(run)}
                  aria-label={`Train ${run.name} ${MORE_EPOCHS} more epochs`}
                  title={`Train epochs ${run.config.epochs}–${run.config.epochs + MORE_EPOCHS - 1}, as if its settings had asked for them from the start`}
                >
                  {MORE_EPOCHS} more epochs
                </button>
              )}
              {canTrainFurther(run) && <TrainFurther run={run} settings={settings} onTrainFurther={onTrainFurther} />}
              <label className="check">
                <input
                  type="checkbox"
                  checked={!run.hidden}
                  onChange={() => onToggleHidden(run.key)}
                  aria-label={`Show ${run.name} on chart`}
                />
                chart
              </label>
              <button
                type="button"
                onClick={() => onSelect(run.key)}
                aria-pressed={run.key === selectedKey}
                aria-label={`View ${run.name}`}
                title="Read the pad, the viewer and the matrix with this run's network"
              >
                View
              </button>
              <button type="button" onClick={() => onRemove(run.key)} aria-label={`Remove ${run.name}`}>
                ✕
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
