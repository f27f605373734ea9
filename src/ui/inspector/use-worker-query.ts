/**
 * A question to a worker, asked again whenever its key changes: the one way views fetch what they show
 * from a worker. An answer that arrives after a newer question (or after the view went) is dropped, and
 * a failure becomes `error`, which the view shows in an alert.
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../nn/format';

export interface WorkerAnswer<T> {
  /** The latest answer (it stays while a newer question is pending); null until the first one. */
  value: T | null;
  /** The key `value` answers, so a view can tell a stale answer from a current one. */
  key: string | null;
  /** Why the latest question failed; cleared by the next answer. */
  error: string | null;
}

const NONE = { value: null, key: null, error: null };

/**
 * Ask `ask(api)` whenever `api` or `key` changes; nothing is asked while either is null. `ask` and
 * `onAnswer` (called with each answer that is still current) may be new functions on every render: the
 * ones of the latest render are used.
 */
export function useWorkerQuery<Api, T>(
  api: Api | null,
  key: string | null,
  ask: (api: Api) => Promise<T>,
  onAnswer?: (value: T) => void,
): WorkerAnswer<T> {
  const [answer, setAnswer] = useState<WorkerAnswer<T>>(NONE);
  const latest = useRef({ ask, onAnswer });
  // Before the effect below, which reads it (effects run in order).
  useEffect(() => {
    latest.current = { ask, onAnswer };
  });

  useEffect(() => {
    if (api === null || key === null) return;
    let current = true;
    latest.current.ask(api).then(
      (value) => {
        if (!current) return;
        setAnswer({ value, key, error: null });
        latest.current.onAnswer?.(value);
      },
      (e: unknown) => current && setAnswer((a) => ({ ...a, error: errorMessage(e) })),
    );
    return () => {
      current = false;
    };
  }, [api, key]);

  return answer;
}
