/**
 * The service worker, seen from the page (vite.config.ts builds it): it says when the app is kept for
 * offline use, and when a new version is installed and waits. The new version takes over only when the
 * person says Reload, and never under a running training: the reload waits until no tab of this browser
 * trains (the tabs' run locks, see tabs.ts), because a page that reloads loses the epoch in progress.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { registerSW } from 'virtual:pwa-register';
import { whenNothingTrains } from '../runs/keeping/tabs';

export interface AppUpdate {
  /** The app is kept in this browser: from now on it opens and trains without a network. */
  offlineReady: boolean;
  /** A new version is installed and waits for a reload. */
  updateReady: boolean;
  /** Reload was asked for while a run trains: the page reloads when no run trains any more. */
  reloadPending: boolean;
  /**
   * A run was asked for after a newer version took this tab over: this tab's own files (its workers'
   * scripts) are gone from the cache and the server, so it must reload before it can train.
   */
  reloadToTrain: boolean;
}

/** Check for a new version this often while the page stays open (a classroom keeps it open for hours). */
const UPDATE_CHECK_MS = 60 * 60_000;

let state: AppUpdate = {
  // A page that a service worker answered is kept already; a first visit learns it from onOfflineReady.
  offlineReady: typeof navigator !== 'undefined' && !!navigator.serviceWorker?.controller,
  updateReady: false,
  reloadPending: false,
  reloadToTrain: false,
};
const listeners = new Set<() => void>();
function set(change: Partial<AppUpdate>): void {
  state = { ...state, ...change };
  listeners.forEach((notify) => notify());
}

/** Whether the new version already controls this page (another tab took it in): then a reload is enough. */
let newVersionActive = false;
/** Whether this tab asked the waiting version to take over, so it reloads as soon as it has. */
let asked = false;

const serviceWorkers =
  typeof navigator !== 'undefined' && 'serviceWorker' in navigator && import.meta.env.PROD ? navigator.serviceWorker : null;

const updateServiceWorker = serviceWorkers
  ? registerSW({
      immediate: true,
      onOfflineReady: () => set({ offlineReady: true }),
      onNeedRefresh: () => set({ updateReady: true }),
      // Workbox would reload every tab here; the controllerchange listener below decides instead.
      onNeedReload: () => {},
      onRegisteredSW: (_url, registration) => {
        if (registration) setInterval(() => void registration.update().catch(() => {}), UPDATE_CHECK_MS);
      },
    })
  : null;

// Another version took over this page. Workbox reports it only to pages that had a service worker when
// they opened, so the page watches for itself: the tab that asked reloads; any other tab that was already
// served by an older version offers Reload. (A first visit's page being taken over is not a new version.)
let servedBefore = !!serviceWorkers?.controller;
serviceWorkers?.addEventListener('controllerchange', () => {
  if (asked) return location.reload();
  if (servedBefore) {
    newVersionActive = true;
    set({ updateReady: true });
  }
  servedBefore = true;
});

/**
 * Whether this tab may start a worker: not once a newer version has taken it over (its workers' scripts
 * went with the old version). Says so in the update banner when it may not.
 */
export function canStartWorkers(): boolean {
  if (!newVersionActive) return true;
  set({ updateReady: true, reloadToTrain: true });
  return false;
}

async function reloadIntoNewVersion(): Promise<void> {
  if (state.reloadPending) return;
  set({ reloadPending: true });
  await whenNothingTrains();
  if (newVersionActive || !updateServiceWorker) {
    location.reload();
    return;
  }
  asked = true;
  await updateServiceWorker(true);
}

export function useAppUpdate(): AppUpdate & { reload(): void } {
  const current = useSyncExternalStore(
    (notify) => {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => state,
  );
  const reload = useCallback(() => void reloadIntoNewVersion(), []);
  return { ...current, reload };
}
