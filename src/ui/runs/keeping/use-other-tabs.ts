/**
 * This browser's other tabs, as the page's runs see them: a run another tab trains is followed until it
 * ends there; a run kept or removed there appears, moves on or goes here too (tabs.ts carries the words).
 */
import { useCallback, useEffect, useRef } from 'react';
import { interruptedNotice, type Run } from '../run';
import { readKept, type KeptRun } from './run-store';
import { listenToOtherTabs, trainedElsewhere, whenTrainedNowhere } from './tabs';

/** Where a kept record stands now: 'training' means under way in another tab, or interrupted. */
export async function statusNow(record: KeptRun): Promise<Run['status']> {
  if (record.status !== 'training') return record.status;
  if (allEpochsKept(record)) return 'finished';
  return (await trainedElsewhere(record.key)) ? 'elsewhere' : 'interrupted';
}

/**
 * A run whose last epoch is kept has finished, whatever happened after (its tab closed before the end
 * was written, or the end is still on its way to storage).
 */
function allEpochsKept(record: KeptRun): boolean {
  return record.accuracy.length >= record.config.epochs;
}

/**
 * How long a tab that watched a run end elsewhere waits for that tab's last write before it calls the run
 * interrupted: the other tab lets go of the run's lock as the run ends, and writes its end just after.
 */
const LAST_WRITE_GRACE_MS = 1500;

/** How a run that another tab has let go of ended: as its record says, once its last write has landed. */
async function endedStatus(key: string): Promise<{ record: KeptRun; status: Run['status'] } | null> {
  let record = await readKept(key);
  if (record?.status === 'training' && !allEpochsKept(record)) {
    await new Promise((wait) => setTimeout(wait, LAST_WRITE_GRACE_MS));
    record = await readKept(key);
  }
  // The other tab has let the run's lock go, so statusNow cannot find it under way there.
  return record ? { record, status: await statusNow(record) } : null;
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
          const ended = await endedStatus(key);
          if (!ended) return;
          const run = adopt(ended.record, ended.status);
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
          // A run called interrupted a moment ago whose tab has now written how it ended.
          if (status !== 'interrupted') forgetNotices(record.key);
          if (status === 'elsewhere') watchElsewhere(record.key);
        });
      }),
    [ready, idOfKey, removeHere, forgetNotices, trainsHere, adopt, watchElsewhere, stopWatching],
  );
}
