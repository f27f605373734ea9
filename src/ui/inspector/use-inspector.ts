/**
 * The inspecting workers, apart from the training ones: a reader that answers the digit viewer and the
 * drawing pad (one digit, one drawing: milliseconds), and an evaluator for the work that goes over the
 * whole test set (confusion matrix, misread digits, model downloads). The reader is the page's keeper of
 * MNIST: it downloads and decompresses the data when the page opens (its progress is what the page shows),
 * and every other worker gets a copy from it. Each holds the selected run's network, so the viewer and the
 * pad never wait behind an evaluation of a large network.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AnyModel, DataInfo, LoadProgress, InspectingApi } from '../../worker/protocol';
import { adoptEarlyKeeper, createWorkerClient, loadAsKeeper, loadFromKeeper, type Remote } from '../platform/worker-client';
import { errorMessage } from '../../nn/format';

export interface Inspector {
  /** The reader: samples for the viewer, readings of the pad. */
  api: Remote<InspectingApi> | null;
  /** The evaluator: whole-test-set questions and model downloads. */
  evaluator: Remote<InspectingApi> | null;
  info: DataInfo | null;
  progress: LoadProgress | null;
  error: string | null;
  /** Bumped whenever the reader's model changes, so the viewer and the pad read again. */
  modelVersion: number;
  /** Bumped whenever the evaluator's model changes, so the matrix and the lists are asked again. */
  evaluationVersion: number;
  /** The parameters the reader holds now (they lag the selected run's by one message). */
  activeModel: AnyModel | null;
  /** The parameters the evaluator holds now (they lag further behind a long evaluation). */
  evaluatedModel: AnyModel | null;
  retry(): void;
}

/** One inspecting worker: loaded once per attempt, then told of every model change. */
function useInspectingWorker(
  role: string,
  keeper: boolean,
  model: AnyModel | null,
  testReadings: Uint8Array | null,
  attempt: number,
  onProgress?: (p: LoadProgress) => void,
) {
  const [api, setApi] = useState<Remote<InspectingApi> | null>(null);
  const [info, setInfo] = useState<DataInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [activeModel, setActiveModel] = useState<AnyModel | null>(null);

  useEffect(() => {
    const crashed = (message: string) => {
      setError(`The ${role} worker stopped: ${message}`);
      load.resign(`stopped (${message}). Retry loading MNIST`);
    };
    let cancelled = false;
    const report = (p: LoadProgress) => !cancelled && onProgress?.(p);
    // The keeper main.tsx started before the first render, when there is one (not after a retry).
    const early = keeper ? adoptEarlyKeeper(crashed, report) : null;
    const client = early?.client ?? createWorkerClient('inspecting', crashed);
    // The evaluator answers questions about the test set only: it takes that set (4.6 MB), not all three (31.9 MB).
    const load =
      early?.load ?? (keeper ? loadAsKeeper(client, report) : { loaded: loadFromKeeper(client, report, ['test']), resign: () => {} });
    load.loaded
      .then((loaded) => {
        if (cancelled) return;
        setInfo(loaded);
        setError(null);
        setApi(() => client.api);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
      load.resign('was replaced');
      client.terminate();
      setApi(null);
      setInfo(null);
      setError(null);
    };
    // onProgress is a state setter (stable); role and keeper never change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    api.setModel(model, testReadings).then(
      () => {
        if (cancelled) return;
        setActiveModel(model);
        setVersion((v) => v + 1);
      },
      (e: unknown) => !cancelled && setError(`The ${role} could not take the network: ${errorMessage(e)}`),
    );
    return () => {
      cancelled = true;
    };
    // The readings come with the parameters (one event brings both).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, model, role]);

  return { api, info, error, version, activeModel };
}

/** The inspecting workers, looking with `model`; `testReadings` are its readings of the test set when its run's worker sent them. */
export function useInspector(model: AnyModel | null, testReadings: Uint8Array | null): Inspector {
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  // The reader never asks about the whole test set: only the evaluator takes the readings.
  const reader = useInspectingWorker('viewer', true, model, null, attempt, setProgress);
  const evaluator = useInspectingWorker('evaluation', false, model, testReadings, attempt);

  const retry = useCallback(() => {
    setProgress(null);
    setAttempt((a) => a + 1);
  }, []);

  // MNIST counts as loaded once both have it: every view that needs the data is then ready at once
  // (Load model, say, is not enabled while the evaluation worker still decompresses).
  const loaded = reader.api !== null && evaluator.api !== null;
  return {
    api: loaded ? reader.api : null,
    evaluator: loaded ? evaluator.api : null,
    info: loaded ? reader.info : null,
    progress,
    // The evaluator's data comes from the reader: one message is enough, the reader's first.
    error: reader.error ?? evaluator.error,
    modelVersion: reader.version,
    evaluationVersion: evaluator.version,
    activeModel: reader.activeModel,
    evaluatedModel: evaluator.activeModel,
    retry,
  };
}
