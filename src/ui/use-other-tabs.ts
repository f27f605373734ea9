/**
 * This browser's other tabs, as the page's runs see them: a run another tab trains is followed until it
 * ends there; a run kept or removed there appears, moves on or goes here too (tabs.ts carries the words).
 */
import { useCallback, useEffect, useRef } from 'react';
import { interruptedNotice, type Run } from './run';
import { readKept, type KeptRun } from './run-store';
import { listenToOtherTabs, trainedElsewhere, whenTrainedNowhere } from './tabs';

/** Where a kept record stands now: 'training' means under way in another tab, or interrupted. */
export async function statusNow(record: KeptRun): Promise<Run['status']> {
  if (record.status !== 'training') return record.status;
  return (await trainedElsewhere(record.key)) ? 'elsewhere' : 'interrupted';
}

/** Follow runs that another tab trains; when that tab lets one go, show how it ended (or that it was interrupted). */
export function useWatchElsewhere(
  adopt: (record: KeptRun, status: Run['status']) => Run,
  notify: (text: string, runKey?: string | null) => void,
) {
  /** Runs of other tabs being watched until they end there, by key. */
  const watching = useRef(new Map<string, AbortController>());
  const watchElsewhere = useCallback(
    (key: string) => {
      if (watching.current.has(key)) return;
      const stop = new AbortController();
      watching.current.set(key, stop);
      void whenTrainedNowhere(key, stop.signal)
        .then(async () => {
          watching.current.delete(key);
          const record = await readKept(key);
          if (!record) return;
          const run = adopt(record, record.status === 'training' ? 'interrupted' : record.status);
          if (run.status === 'interrupted') notify(interruptedNotice(run), run.key);
        })
        .catch(() => watching.current.delete(key));
    },
    [adopt, notify],
  );
  useEffect(() => {
    const watched = watching.current;
    return () => {
      for (const stop of watched.values()) stop.abort();
    };
  }, []);
  const stopWatching = useCallback((key: string) => watching.current.get(key)?.abort(), []);
  return { watchElsewhere, stopWatching };
}

/** What the page does when another tab speaks. */
interface TabHandlers {
  removeHere(id: number): void;
  forgetNotices(key: string): void;
  trainsHere(id: number): boolean;
  adopt(record: KeptRun, status: Run['status']): Run;
  watchElsewhere(key: string): void;
  stopWatching(key: string): void;
}

/** Listen to the other tabs: a run kept there appears (or moves on) here; a run removed there goes here too. */
export function useOtherTabs(ready: boolean, idOfKey: { current: Map<string, number> }, on: TabHandlers) {
  const { removeHere, forgetNotices, trainsHere, adopt, watchElsewhere, stopWatching } = on;
  useEffect(
    () =>
      listenToOtherTabs((message) => {
        // Until the kept runs are restored, restoring reads the latest of every run anyway.
        if (!ready) return;
        const id = idOfKey.current.get(message.key);
        if (message.type === 'forgotten') {
          if (id !== undefined) removeHere(id);
          forgetNotices(message.key);
          idOfKey.current.delete(message.key);
          stopWatching(message.key);
          return;
        }
        if (id !== undefined && trainsHere(id)) return;
        void readKept(message.key).then(async (record) => {
          if (!record) return;
          const status = await statusNow(record);
          adopt(record, status);
          if (status === 'elsewhere') watchElsewhere(record.key);
        });
      }),
    [ready, idOfKey, removeHere, forgetNotices, trainsHere, adopt, watchElsewhere, stopWatching],
  );
}
