/** The Epoch progress bar of the latest active run, with its speed and the time left. */
import { isActive, type Run } from '../run-state';

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function EpochProgress({ runs }: { runs: Run[] }) {
  const active = runs.filter(isActive);
  const run = active.at(-1);
  const total = run?.examplesTotal || 1;
  const done = run?.examplesDone ?? 0;
  let detail = 'Idle.';
  if (run?.status === 'loading') {
    detail = `${run.name}: ${run.loading ? `${run.loading.phase === 'download' ? 'downloading' : 'decompressing'} MNIST… ${Math.round(run.loading.fraction * 100)}%` : 'starting the worker…'}`;
  } else if (run) {
    const perSecond = run.examplesPerSecond;
    const epochsLeft = run.config.epochs - run.epoch - 1;
    const left = perSecond > 0 ? (run.examplesTotal - done + epochsLeft * run.examplesTotal) / perSecond : Number.NaN;
    detail = `${run.name}: epoch ${run.epoch + 1} of ${run.config.epochs} · ${done.toLocaleString('en-US')} / ${run.examplesTotal.toLocaleString('en-US')} examples · ${perSecond > 0 ? `${Math.round(perSecond).toLocaleString('en-US')} examples/s` : 'measuring speed'} · about ${formatSeconds(left)} left`;
  }
  if (active.length > 1) detail += ` (${active.length} runs training)`;
  return (
    <div className="epoch-progress">
      <div
        role="progressbar"
        aria-label="Epoch progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={detail}
        className="bar"
      >
        <div className="fill" style={{ width: `${(100 * done) / total}%` }} />
      </div>
      <p className="muted small" aria-live="off">
        {detail}
      </p>
    </div>
  );
}
