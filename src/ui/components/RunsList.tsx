/** Every run of this page: settings, status, best accuracy, time and speed; each can be hidden, selected or removed. */
import { bestAccuracy, canContinue, describeConfig, isActive, type Run } from '../run';

interface Props {
  runs: Run[];
  selectedId: number | null;
  colorOf(runId: number): string;
  onToggleHidden(id: number): void;
  onSelect(id: number): void;
  onRemove(id: number): void;
  onContinue(run: Run): void;
}

function statusText(run: Run): string {
  switch (run.status) {
    case 'loading':
      return run.loading ? `loading MNIST (${run.loading.phase})` : 'starting';
    case 'training':
      return `epoch ${Math.min(run.epoch + 1, run.config.epochs)} of ${run.config.epochs}`;
    case 'interrupted':
      return `interrupted after epoch ${run.accuracy.length - 1} of ${run.config.epochs}`;
    case 'elsewhere':
      return `training in another tab (${run.accuracy.length} of ${run.config.epochs} epochs)`;
    default:
      return run.status;
  }
}

export function RunsList({ runs, selectedId, colorOf, onToggleHidden, onSelect, onRemove, onContinue }: Props) {
  if (runs.length === 0) return <p className="muted">No runs yet. Train one, or compare 30 and 100 hidden neurons.</p>;
  return (
    <ul className="runs" aria-label="Runs">
      {runs.map((run) => {
        const best = bestAccuracy(run);
        return (
          <li key={run.id} className={run.id === selectedId ? 'selected' : undefined} aria-label={run.name}>
            <span className="swatch" style={{ background: colorOf(run.id) }} aria-hidden="true" />
            <div className="run-main">
              <div className="run-title">
                <strong>{run.name}</strong> <span className="muted">{describeConfig(run.sizes, run.config, run.source)}</span>
              </div>
              <div className="run-stats">
                <span className={`status ${run.status}`}>{statusText(run)}</span>
                <span>best {best === null ? '—' : `${best.toFixed(2)}%`}</span>
                {run.source === null && <span>{run.trainingSeconds.toFixed(1)} s</span>}
                {run.examplesPerSecond > 0 && <span>{Math.round(run.examplesPerSecond).toLocaleString('en-US')} examples/s</span>}
              </div>
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
              <label className="check">
                <input
                  type="checkbox"
                  checked={!run.hidden}
                  onChange={() => onToggleHidden(run.id)}
                  aria-label={`Show ${run.name} on chart`}
                />
                chart
              </label>
              <button
                type="button"
                onClick={() => onSelect(run.id)}
                aria-pressed={run.id === selectedId}
                aria-label={`View ${run.name}`}
                title="Read the pad, the viewer and the matrix with this run's network"
              >
                View
              </button>
              <button type="button" onClick={() => onRemove(run.id)} aria-label={`Remove ${run.name}`}>
                ✕
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
