/**
 * The viewer's worker: it loads MNIST once when the page opens (with the progress the page shows the
 * first time) and answers the digit viewer with the selected run's network.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Remote } from 'comlink';
import type { DataInfo, LoadProgress, ModelParameters, TrainerApi } from '../worker/protocol';
import { callback, createTrainerClient, type TrainerClient } from './trainer-client';
import { errorMessage } from '../nn/format';

export interface Inspector {
  api: Remote<TrainerApi> | null;
  info: DataInfo | null;
  progress: LoadProgress | null;
  error: string | null;
  /** Bumped whenever the model changes, so views re-ask for predictions. */
  modelVersion: number;
  /** The parameters the worker holds now (they lag the selected run's by one message). */
  activeModel: ModelParameters | null;
  retry(): void;
}

export function useInspector(model: ModelParameters | null): Inspector {
  const client = useRef<TrainerClient | null>(null);
  const [api, setApi] = useState<Remote<TrainerApi> | null>(null);
  const [info, setInfo] = useState<DataInfo | null>(null);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [modelVersion, setModelVersion] = useState(0);
  const [activeModel, setActiveModel] = useState<ModelParameters | null>(null);

  useEffect(() => {
    const c = createTrainerClient((message) => setError(`The data worker stopped: ${message}`));
    client.current = c;
    let cancelled = false;
    c.api
      .load(callback((p) => !cancelled && setProgress(p)))
      .then((loaded) => {
        if (cancelled) return;
        setInfo(loaded);
        setApi(() => c.api);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
      c.terminate();
      client.current = null;
      setApi(null);
    };
  }, [attempt]);

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    void api.setModel(model).then(() => {
      if (cancelled) return;
      setActiveModel(model);
      setModelVersion((v) => v + 1);
    });
    return () => {
      cancelled = true;
    };
  }, [api, model]);

  const retry = useCallback(() => {
    setInfo(null);
    setProgress(null);
    setError(null);
    setAttempt((a) => a + 1);
  }, []);

  return { api, info, progress, error, modelVersion, activeModel, retry };
}
