/**
 * The Epoch progress bar of the latest active run (the whole run: every epoch's examples), with its
 * speed, the time left (measurements included) and its latest epoch line; once it has ended, its
 * outcome, with a link to the chart, until dismissed.
 * Its own card: on a phone it sticks to the top of the screen while a run trains and after it ends until
 * the person scrolls on, so Train is never tapped into silence, and a run shorter than a glance leaves its
 * result in view.
 */
import { useEffect, useId, useState } from 'react';
import type { StepSize, Watch } from '../../worker/protocol';
import { isActive, runOutcome, secondsLeft, type Run } from './run';

/** The paces a person can pick: mini-batches a second (null: as fast as this machine trains). */
const PACES: [pace: number | null, label: string][] = [
  [null, 'Full speed'],
  [100, '100 mini-batches/s'],
  [10, '10 mini-batches/s'],
  [1, '1 mini-batch/s'],
];

/** `epoch 2 · mini-batch 1,234 of 5,000`: where a watched run stands, in the log's epoch numbers. */
export function positionWords(run: Pick<Run, 'epoch' | 'examplesDone' | 'examplesTotal' | 'config'>): string {
  const m = run.config.miniBatchSize;
  const batches = Math.ceil(run.examplesTotal / m);
  const done = Math.min(batches, Math.ceil(run.examplesDone / m));
  return `epoch ${run.epoch} · mini-batch ${done.toLocaleString('en-US')} of ${batches.toLocaleString('en-US')}`;
}

/**
 * Pace, Pause/Resume and the steps: for every run this page trains (a Compare's runs move together).
 * The pace may be set before Train, and changed while a run trains.
 */
function WatchControls({
  watch,
  training,
  paused,
  onWatch,
  onStep,
}: {
  watch: Watch;
  training: boolean;
  paused: boolean;
  onWatch(watch: Watch): void;
  onStep(size: StepSize): void;
}) {
  const id = useId();
  return (
    <div className="watch-controls">
      <label htmlFor={`${id}-pace`} className="small">
        Pace
      </label>
      <select
        id={`${id}-pace`}
        value={watch.pace === null ? 'full' : String(watch.pace)}
        onChange={(event) => onWatch({ ...watch, pace: event.target.value === 'full' ? null : Number(event.target.value) })}
      >
        {PACES.map(([pace, label]) => (
          <option key={label} value={pace === null ? 'full' : String(pace)}>
            {label}
          </option>
        ))}
      </select>
      {watch.paused ? (
        <button type="button" onClick={() => onWatch({ ...watch, paused: false })}>
          Resume
        </button>
      ) : (
        <button type="button" onClick={() => onWatch({ ...watch, paused: true })} disabled={!training}>
          Pause
        </button>
      )}
      {watch.paused && (
        <>
          <button type="button" onClick={() => onStep('mini-batch')} disabled={!paused}>
            Step one mini-batch
          </button>
          <button type="button" onClick={() => onStep('epoch')} disabled={!paused}>
            Step one epoch
          </button>
        </>
      )}
    </div>
  );
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Seconds since the run last reported progress, counted once a second: the time left keeps counting
 * down between events (a large network's evaluation sends none for a while).
 */
function useSecondsSinceProgress(progressKey: string): number {
  const [clock, setClock] = useState({ key: '', since: 0, now: 0 });
  useEffect(() => {
    if (!progressKey) return;
    const timer = setInterval(() => {
      const now = performance.now();
      setClock((c) => (c.key === progressKey ? { ...c, now } : { key: progressKey, since: now, now }));
    }, 1000);
    return () => clearInterval(timer);
  }, [progressKey]);
  return clock.key === progressKey ? (clock.now - clock.since) / 1000 : 0;
}

/** How far the person scrolls before an ended run's outcome lets go of the top of the screen. */
const UNPIN_SCROLL_PX = 200;

/**
 * The run whose outcome the card shows once nothing trains: the last one it followed, until the person
 * dismisses it (or it is removed, or another run starts). The outcome of a run that ended by itself is
 * pinned (the card stays stuck to the top of a phone's screen) until the person scrolls on; a run the
 * person stopped is not: they know.
 */
function useFollowedRun(runs: Run[], run: Run | undefined) {
  const [followed, setFollowed] = useState<{ key: string; dismissed: boolean } | null>(null);
  /** The ended run (`id:status`) whose outcome the person has scrolled away from. */
  const [scrolledFrom, setScrolledFrom] = useState('');
  if (run && followed?.key !== run.key) setFollowed({ key: run.key, dismissed: false });
  const ended = !run && followed && !followed.dismissed ? (runs.find((r) => r.key === followed.key && !isActive(r)) ?? null) : null;
  const endedKey = ended ? `${ended.key}:${ended.status}` : '';
  const pinned = ended !== null && ended.status !== 'stopped' && scrolledFrom !== endedKey;
  useEffect(() => {
    if (!pinned) return;
    const from = window.scrollY;
    const onScroll = () => {
      if (Math.abs(window.scrollY - from) > UNPIN_SCROLL_PX) setScrolledFrom(endedKey);
    };
    addEventListener('scroll', onScroll, { passive: true });
    return () => removeEventListener('scroll', onScroll);
  }, [pinned, endedKey]);
  const dismiss = () => setFollowed((f) => f && { ...f, dismissed: true });
  return { ended, pinned, dismiss };
}

export function EpochProgress({
  runs,
  watch,
  onWatch,
  onStep,
}: {
  runs: Run[];
  watch: Watch;
  onWatch(watch: Watch): void;
  onStep(size: StepSize): void;
}) {
  // Runs waiting for a core have nothing to show yet.
  const active = runs.filter((r) => isActive(r) && r.status !== 'queued');
  const run = active.at(-1);
  const { ended, pinned, dismiss } = useFollowedRun(runs, run);
  // The bar is the whole run (an epoch of the book's network is over in a tenth of a second); the words
  // say where in it: epochs done, and the epoch under way in the log's numbering (the next line's number).
  const perEpoch = run?.examplesTotal || 1;
  const done = run?.examplesDone ?? 0;
  const total = run ? perEpoch * run.config.epochs : 1;
  const under = run?.status === 'training' || run?.status === 'paused';
  const doneInRun = under ? Math.min(total, run.epoch * perEpoch + done) : 0;
  const since = useSecondsSinceProgress(run?.status === 'training' ? `${run.key}:${run.epoch}:${done}` : '');
  let detail = 'Idle.';
  if (run?.status === 'loading') {
    const { loading } = run;
    const phase = loading?.phase === 'download' ? 'downloading' : 'decompressing';
    detail = `${run.name}: ${loading ? `${phase} MNIST… ${Math.round(loading.fraction * 100)}%` : 'starting the worker…'}`;
  } else if (run) {
    const perSecond = run.examplesPerSecond;
    const left = Math.max(0, secondsLeft(run) - since);
    const doing =
      done >= run.examplesTotal
        ? 'measuring on the test digits'
        : `${perSecond > 0 ? `${Math.round(perSecond).toLocaleString('en-US')} examples/s` : 'measuring speed'}${run.kernel ? ` on ${run.kernel}` : ''}`;
    const examples = `${done.toLocaleString('en-US')} / ${run.examplesTotal.toLocaleString('en-US')} examples`;
    if (run.status === 'paused') {
      const kept = run.keptAt !== null && run.keptAt === run.position?.example ? ' (kept here: a reload picks up at this mini-batch)' : '';
      detail = `${run.name}: paused at ${positionWords(run)}${kept}`;
    } else if (watch.pace !== null) {
      detail = `${run.name}: ${positionWords(run)} · at ${watch.pace} mini-batch${watch.pace === 1 ? '' : 'es'} a second`;
    } else {
      detail = `${run.name}: ${run.epoch} of ${run.config.epochs} epochs done · epoch ${run.epoch} · ${examples} · ${doing} · about ${formatSeconds(left)} left`;
    }
  }
  if (active.length > 1) detail += ` (${active.length} runs training)`;
  const last = run?.accuracy.at(-1);
  return (
    <section className={`card epoch-progress${run || pinned ? ' active' : ''}`} aria-label="Training progress">
      <div
        role="progressbar"
        aria-label="Epoch progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={doneInRun}
        aria-valuetext={detail}
        className="bar"
      >
        <div className="fill" style={{ width: `${(100 * doneInRun) / total}%` }} />
      </div>
      <p className="muted small" aria-live="off">
        {detail}
      </p>
      <WatchControls
        watch={watch}
        training={active.length > 0}
        paused={active.some((r) => r.status === 'paused')}
        onWatch={onWatch}
        onStep={onStep}
      />
      {run && (
        <p className="latest small">
          {last
            ? `${run.name} · Epoch ${last.epoch}: ${last.correct} / ${last.total} (${last.percent.toFixed(2)}%)`
            : `${run.name} · no epoch yet`}
        </p>
      )}
      {ended && (
        <div className="outcome" role="status">
          <p className="small">
            <strong>{runOutcome(ended)}</strong>
          </p>
          <a href="#training-title" className="small">
            See the chart
          </a>
          <button type="button" className="small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </section>
  );
}
