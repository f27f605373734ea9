/**
 * The page's runs: their record (the pure reducer in run-state.ts), their workers (use-run-workers.ts)
 * and their keeping in this browser and its other tabs (use-kept-runs.ts). Each finished epoch is kept
 * before the worker trains the next; closing the tab mid-run asks first.
 */
import { useCallback, useReducer } from 'react';
import { useAskBeforeLeaving } from '../app/ask-before-leaving';
import type { TrainConfig } from '../../nn/config';
import { DEFAULT_CONFIG, networkSizes } from '../../nn/config';
import { canContinue, isActive, type Run } from './run';
import { INITIAL_RUNS, runsReducer, type RunsState } from './run-state';
import type { ImportedModel, PersonalDigits, Resume } from '../../worker/protocol';
import { FINE_TUNE_EPOCHS } from '../../nn/config';
import { useKeepWaiters, useKeptRuns } from './keeping/use-kept-runs';
import { useRunWorkers } from './use-run-workers';
import { canStartWorkers } from '../app/use-app-update';

export interface RunsControls {
  state: RunsState;
  /** What could not be kept or restored, and runs found interrupted: shown as notices. */
  notices: string[];
  /** False until the kept runs are restored; starting a run waits for it so page handles never clash. */
  ready: boolean;
  addImported(imported: ImportedModel, fileName: string): void;
  start(config: TrainConfig): void;
  /**
   * Compare 784-30-10 and 784-100-10 with `config`, each with `config.seedsPerNetwork` seeds (the seed and
   * the next ones), as runs of one comparison; they wait for free cores in turn.
   */
  compare(config: TrainConfig): void;
  /**
   * Fine-tune run `from`'s network (as it is now) on MNIST and the person's `digits`: a new run with its
   * settings for a few epochs, selected, so the pad reads with it as soon as it has an epoch.
   */
  fineTune(from: Run, digits: PersonalDigits): void;
  /** Continue an interrupted or stopped run from its last kept epoch, with its settings. */
  continueRun(run: Run): void;
  stopAll(): void;
  remove(id: number): void;
  toggleHidden(id: number): void;
  select(id: number): void;
}

/** The networks Compare trains: chapter 1's 30 and 100 hidden neurons. */
const COMPARED = [[30], [100]];

/** Early stopping's best so far, from a run's kept epochs (the first epoch with the highest count, as sgdEvents counts). */
function bestValidationOf(run: Run): Resume['bestValidation'] {
  let best: Resume['bestValidation'] = null;
  for (const point of run.accuracy) {
    if (point.validationCorrect !== null && (best === null || point.validationCorrect > best.correct))
      best = { epoch: point.epoch, correct: point.validationCorrect };
  }
  return best;
}

export function useRuns(): RunsControls {
  const [state, dispatch] = useReducer(runsReducer, INITIAL_RUNS);
  const waiters = useKeepWaiters();
  const workers = useRunWorkers(dispatch, waiters.epochKept);
  const kept = useKeptRuns(state.runs, dispatch, workers, waiters.settle);
  const { launch, trainsHere } = workers;
  const { newIdentities, forgetNotices } = kept;

  /** Start runs of `configs` (of one comparison, if given), numbered in a row. */
  const startAll = useCallback(
    async (configs: TrainConfig[], comparison?: number) => {
      if (!canStartWorkers()) return;
      const identities = await newIdentities(configs.length);
      configs.forEach((config, i) => {
        const identity = identities[i];
        dispatch({ type: 'start', ...identity, config, sizes: networkSizes(config), comparison });
        launch(identity.id, identity.key, config, null);
      });
    },
    [launch, newIdentities],
  );

  const start = useCallback((config: TrainConfig) => void startAll([config]), [startAll]);

  const compare = useCallback(
    (config: TrainConfig) => {
      // A comparison's number is its time: unique among the runs kept from earlier visits too.
      const comparison = Date.now();
      // Seed by seed, so both networks' bands fill in together.
      const configs = Array.from({ length: config.seedsPerNetwork }, (_, k) =>
        COMPARED.map((hidden) => ({ ...config, hidden, seed: config.seed + k })),
      ).flat();
      void startAll(configs, comparison);
    },
    [startAll],
  );

  const fineTune = useCallback(
    (from: Run, digits: PersonalDigits) => {
      const parameters = from.parameters;
      if (!parameters || !canStartWorkers()) return;
      // The source's settings for a few epochs, on MNIST as it is: the person's copies are distorted already,
      // and expanded data would make the wait five times as long.
      const config = { ...from.config, epochs: FINE_TUNE_EPOCHS, expand: false, distort: false, earlyStopping: 0 };
      const tuning = { from: from.name, digits: digits.labels.length };
      void newIdentities(1).then(([identity]) => {
        dispatch({ type: 'start', ...identity, config, sizes: [...from.sizes], tuning });
        launch(identity.id, identity.key, config, null, { parameters, digits });
      });
    },
    [launch, newIdentities],
  );

  const continueRun = useCallback(
    (run: Run) => {
      if (!canContinue(run) || trainsHere(run.id) || !canStartWorkers()) return;
      forgetNotices(run.key);
      dispatch({ type: 'resume', id: run.id });
      // A run that never began (a comparison's, queued when its page went) starts from the beginning.
      const resume = run.parameters
        ? { parameters: run.parameters, epochsDone: run.accuracy.length, bestValidation: bestValidationOf(run) }
        : null;
      launch(run.id, run.key, run.config, resume);
    },
    [forgetNotices, launch, trainsHere],
  );

  const addImported = useCallback(
    (imported: ImportedModel, fileName: string) => {
      const hidden = imported.model.sizes.slice(1, -1);
      const config = { ...DEFAULT_CONFIG, hidden, cost: imported.model.cost };
      void newIdentities(1).then(([identity]) => dispatch({ type: 'import', ...identity, imported, fileName, config }));
    },
    [newIdentities],
  );

  // Closing or reloading the tab while a run trains here asks first (the finished epochs are kept either way).
  useAskBeforeLeaving(state.runs.some(isActive));

  return {
    state,
    notices: kept.notices,
    ready: kept.ready,
    addImported,
    start,
    compare,
    fineTune,
    continueRun,
    stopAll: workers.stopAll,
    remove: kept.forget,
    toggleHidden: useCallback((id: number) => dispatch({ type: 'toggle-hidden', id }), []),
    select: useCallback((id: number) => dispatch({ type: 'select', id }), []),
  };
}
