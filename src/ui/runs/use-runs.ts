/**
 * The page's runs, as React sees them: one runs controller (runs-controller.ts) for the page's life,
 * subscribed to; closing or reloading the tab while a run trains here asks first.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useAskBeforeLeaving } from '../app/ask-before-leaving';
import type { TrainConfig } from '../../nn/config';
import type { ImportedModel, PersonalDigits, StepSize, Watch } from '../../worker/protocol';
import { isActive, type Run } from './run';
import type { RunsState } from './run-state';
import { createRunsController, type RunsController } from './runs-controller';
import { browserPorts } from './browser-ports';

export interface RunsControls {
  state: RunsState;
  /** What could not be kept or restored, and runs found interrupted: shown as notices. */
  notices: string[];
  /** False until the kept runs are restored; starting a run waits for it so runs never clash. */
  ready: boolean;
  /** The pace and pause of the runs this page trains. */
  watch: Watch;
  setWatch(watch: Watch): void;
  step(size: StepSize): void;
  addImported(imported: ImportedModel, fileName: string): void;
  start(config: TrainConfig): void;
  compare(config: TrainConfig): void;
  fineTune(from: Run, digits: PersonalDigits): void;
  continueRun(run: Run): void;
  /** Train a finished run ten more epochs. */
  extend(run: Run): void;
  /** One of the book's experiments over `seeds` seeds, as a comparison; resolves to its number. */
  reproduce(configs: TrainConfig[], seeds: number): Promise<number | null>;
  /** Train a loaded model further with these settings, as a new run. */
  trainFurther(run: Run, settings: TrainConfig): void;
  stopAll(): void;
  remove(key: string): void;
  toggleHidden(key: string): void;
  select(key: string): void;
}

/** The controller's commands as the page calls them: bound once, so they never change between renders. */
function commandsOf(controller: RunsController): Omit<RunsControls, 'state' | 'notices' | 'ready' | 'watch'> {
  return {
    setWatch: (watch) => controller.setWatch(watch),
    step: (size) => controller.step(size),
    addImported: (imported, fileName) => void controller.addImported(imported, fileName),
    start: (config) => void controller.start(config),
    compare: (config) => void controller.compare(config),
    fineTune: (from, digits) => void controller.fineTune(from, digits),
    continueRun: (run) => controller.continueRun(run),
    extend: (run) => controller.extend(run),
    trainFurther: (run, settings) => void controller.trainFurther(run, settings),
    reproduce: (configs, seeds) => controller.reproduce(configs, seeds),
    stopAll: () => controller.stopAll(),
    remove: (key) => void controller.remove(key),
    toggleHidden: (key) => controller.toggleHidden(key),
    select: (key) => controller.select(key),
  };
}

export function useRuns(): RunsControls {
  const [{ controller, commands }] = useState(() => {
    const created = createRunsController(browserPorts());
    return { controller: created, commands: commandsOf(created) };
  });
  useEffect(() => controller.open(), [controller]);
  const { state, notices, ready, watch } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  // Closing or reloading the tab while a run trains here asks first (the finished epochs are kept either way).
  useAskBeforeLeaving(state.runs.some(isActive));
  return { state, notices, ready, watch, ...commands };
}
