/**
 * How the page is shown, from its address: `present` (for a projector: large type, the progress, chart,
 * network and log filling the screen) and `fixed` (a teacher's link: the settings come with it, folded
 * away, so a class trains exactly that run). Both stay in the URL beside the settings.
 */
import { useCallback, useEffect, useState } from 'react';

export interface ViewMode {
  present: boolean;
  fixed: boolean;
}

export function viewModeOf(search: string): ViewMode {
  const params = new URLSearchParams(search);
  return { present: params.get('present') === '1', fixed: params.get('fixed') === '1' };
}

/** `url` with the mode's flags set (or taken out). */
export function withViewMode(url: string, change: Partial<ViewMode>): string {
  const next = new URL(url);
  for (const [name, on] of Object.entries(change)) {
    if (on) next.searchParams.set(name, '1');
    else next.searchParams.delete(name);
  }
  return next.toString();
}

/** The page's mode, and a way to change it (the address follows, so a reload keeps it). */
export function useViewMode(): ViewMode & { setMode(change: Partial<ViewMode>): void } {
  const [mode, setState] = useState(() => viewModeOf(location.search));
  const setMode = useCallback((change: Partial<ViewMode>) => {
    history.replaceState(history.state, '', withViewMode(location.href, change));
    setState(viewModeOf(location.search));
    // The presentation starts at its top: the progress, then the chart.
    if (change.present) window.scrollTo(0, 0);
  }, []);
  // Large type everywhere (the page's sizes are in rem): on the root element.
  useEffect(() => {
    document.documentElement.classList.toggle('presenting', mode.present);
  }, [mode.present]);
  return { ...mode, setMode };
}
