/**
 * The page's tabs in one browser: they tell each other when a run is kept or removed (BroadcastChannel),
 * and a tab that trains a run holds a Web Lock named after it for as long as it does, so another tab can
 * tell a run under way elsewhere from one whose tab was closed or reloaded mid-run (the lock is let go
 * when a tab goes away, whatever the reason). Where either API is missing the page works alone.
 */

export type TabMessage = { type: 'kept'; key: string } | { type: 'forgotten'; key: string };

const CHANNEL = 'mnist-live-runs';
const LOCK_PREFIX = 'mnist-live-run-';
const lockName = (key: string) => `${LOCK_PREFIX}${key}`;

let channel: BroadcastChannel | null = null;
function openChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  channel ??= new BroadcastChannel(CHANNEL);
  return channel;
}

/** Tell the other tabs (never this one) that a run was kept or removed. */
export function tellOtherTabs(message: TabMessage): void {
  openChannel()?.postMessage(message);
}

/** Hear the other tabs; returns the function that stops listening. */
export function listenToOtherTabs(onMessage: (message: TabMessage) => void): () => void {
  // The same object that posts: a BroadcastChannel never hears its own messages, so a tab hears only others.
  const shared = openChannel();
  if (!shared) return () => {};
  const listener = (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message && (message.type === 'kept' || message.type === 'forgotten') && typeof message.key === 'string') onMessage(message);
  };
  shared.addEventListener('message', listener);
  return () => shared.removeEventListener('message', listener);
}

const locks = (): LockManager | undefined => globalThis.navigator?.locks;

/**
 * Hold run `key`'s lock while this tab trains it. Resolves to the function that lets it go, or to null
 * when another tab holds it already (that tab trains the run).
 */
export function holdRunLock(key: string): Promise<(() => void) | null> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => {});
  return new Promise((resolve) => {
    void manager
      .request(lockName(key), { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(null);
        return new Promise<void>((release) => resolve(release));
      })
      .catch(() => resolve(() => {}));
  });
}

/** Whether another tab trains run `key` now (false where Web Locks are missing: nobody can say). */
export async function trainedElsewhere(key: string): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  try {
    return await manager.request(lockName(key), { ifAvailable: true }, (lock) => lock === null);
  } catch {
    return false;
  }
}

/** Resolves when no tab trains run `key` any more (the tab that did ended the run, or went away). */
export async function whenTrainedNowhere(key: string, signal: AbortSignal): Promise<void> {
  const manager = locks();
  if (!manager) return;
  await manager.request(lockName(key), { signal }, () => undefined);
}

/** Resolves when no tab of this browser trains any run: it waits for each run under way, then looks again. */
export async function whenNothingTrains(): Promise<void> {
  const manager = locks();
  if (!manager) return;
  for (let names = await runLocksHeld(); names.length; names = await runLocksHeld()) {
    await Promise.all(names.map((name) => manager.request(name, () => undefined).catch(() => undefined)));
  }
}

/** Whether no tab of this browser trains or has queued a run now (false where Web Locks are missing: nobody can say). */
export async function nothingTrainsNow(): Promise<boolean> {
  if (!locks()) return false;
  try {
    return (await runLocksHeld()).length === 0;
  } catch {
    return false;
  }
}

async function runLocksHeld(): Promise<string[]> {
  try {
    const { held = [] } = (await locks()?.query()) ?? {};
    return held.flatMap(({ name }) => (name?.startsWith(LOCK_PREFIX) ? [name] : []));
  } catch {
    return [];
  }
}
