/** Views that follow a training run redraw a few times a second at most: a screen shows no more. */
import { useEffect, useRef, useState } from 'react';

/** How often a view follows a training run, and the page's thread stays free. */
export const REDRAW_MS = 250;

/** `value`, changed at most every `ms` (the latest one wins). */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    const timer = setTimeout(
      () => {
        last.current = performance.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}
