/**
 * Chapter 6's ensemble, from the runs the page holds: the person ticks two or more trained networks (of any
 * kind), and the evaluator has each read the 10,000 test digits and then vote on each (ties to the surer
 * voters). The book's five dropout networks voted 99.67%; three networks that err differently can beat
 * each of them alone.
 */
import { memo, useId, useState } from 'react';
import type { InspectingApi } from '../../worker/protocol';
import { callback, type Remote } from '../platform/worker-client';
import { errorMessage } from '../../nn/format';
import { isActive, runLabel, type Run } from '../runs/run';

/** A run that can vote: it has a network and is not training. */
function canVote(run: Run): boolean {
  return run.parameters !== null && run.accuracy.length > 0 && !isActive(run) && run.status !== 'elsewhere';
}

interface Outcome {
  names: string[];
  correct: number;
  total: number;
  alone: number[];
}

const pct = (right: number, total: number) => `${((100 * right) / total).toFixed(2)}%`;

/** `Run 1, Run 2 and Run 3`. */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export const Ensemble = memo(function Ensemble({ runs, api }: { runs: Run[]; api: Remote<InspectingApi> | null }) {
  const id = useId();
  const voters = runs.filter(canVote);
  // Ticked by the person; until they tick any, the chapter 6 runs (the book's ensemble is of those).
  const [ticked, setTicked] = useState<Set<string> | null>(null);
  const chosen = ticked ?? new Set(voters.filter((run) => run.config.kind === 'convolutional').map((run) => run.key));
  const selected = voters.filter((run) => chosen.has(run.key));
  const [busy, setBusy] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (voters.length < 2) return null;
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (!next.delete(key)) next.add(key);
    setTicked(next);
  };
  const vote = async () => {
    if (!api || selected.length < 2 || busy !== null) return;
    setBusy(0);
    setError(null);
    try {
      const result = await api.ensemble(
        selected.map((run) => run.parameters!),
        callback((fraction: number) => setBusy(fraction)),
      );
      setOutcome({ names: selected.map((run) => run.name), ...result });
    } catch (e) {
      setError(`The vote could not be taken: ${errorMessage(e)}. The runs are unchanged.`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="ensemble" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>The book’s ensemble: a vote of networks</h3>
      <p className="small muted">
        Each network ticked reads every test digit, and the digit most of them read wins (a tie goes to the surer ones). The book’s five
        chapter 6 networks read 99.67% together, more than any alone.{' '}
        <a href="http://neuralnetworksanddeeplearning.com/chap6.html#using_an_ensemble_of_networks" target="_blank" rel="noreferrer">
          Chapter 6: an ensemble of networks
        </a>
      </p>
      <fieldset className="voters">
        <legend className="visually-hidden">The networks that vote</legend>
        {voters.map((run) => (
          <label key={run.key} className="check">
            <input type="checkbox" checked={chosen.has(run.key)} onChange={() => toggle(run.key)} />
            {runLabel(run)} · {run.accuracy.at(-1)!.percent.toFixed(2)}%
          </label>
        ))}
      </fieldset>
      <button type="button" onClick={vote} disabled={!api || selected.length < 2 || busy !== null}>
        Vote on the test digits
      </button>
      {selected.length < 2 && <small className="hint"> Tick two networks or more.</small>}
      <p role="status" aria-label="Ensemble" className="small">
        {busy !== null
          ? `Reading the test digits… ${Math.round(100 * busy)}%`
          : outcome &&
            `The vote of ${listed(outcome.names)}: ${pct(outcome.correct, outcome.total)} of the ${outcome.total.toLocaleString('en-US')} test digits (alone: ${outcome.alone.map((right) => pct(right, outcome.total)).join(', ')}).`}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
});
