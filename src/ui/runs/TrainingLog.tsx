/** The book's output, one line per finished epoch, newest at the bottom and kept in view. */
import { useEffect, useRef, memo } from 'react';
import type { LogLine } from './run-state';

export const TrainingLog = memo(function TrainingLog({ lines, colorOf }: { lines: LogLine[]; colorOf(runKey: string): string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    // Focusable, so the keyboard can scroll it; the list inside keeps its list semantics.
    <div ref={ref} role="log" aria-label="Training log" className="log" tabIndex={0}>
      <ol>
        {lines.length === 0 && <li className="empty">Press Train: each epoch prints a line here, as network.py does.</li>}
        {lines.map((line, i) => (
          <li key={i} style={{ borderLeftColor: colorOf(line.runKey) }} title={line.detail}>
            {line.text}
          </li>
        ))}
      </ol>
    </div>
  );
});
