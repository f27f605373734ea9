/**
 * Each part of the page fails alone: an error while drawing one card shows what failed in that card,
 * with Try again, and leaves the rest of the page working. A part drawn from something this browser keeps
 * (the runs, My digits) also offers, as a last resort, to set that store aside, and nothing else.
 */
import { useState, type ReactNode } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { errorMessage } from '../../nn/format';
import { setAsideAllRuns } from '../runs/keeping/run-store';
import { setAsideAllDigits } from '../pad/teach/my-digits';

/** The kept stores a part is drawn from, each with what setting it aside means, in words. */
const STORES = {
  runs: { label: 'Set the kept runs aside', words: 'the runs kept in this browser', setAside: setAsideAllRuns },
  digits: { label: 'Set My digits aside', words: 'the digits kept in this browser', setAside: setAsideAllDigits },
} as const;
export type KeptStore = keyof typeof STORES;

interface PartProps {
  /** The part's name in its message: `The runs`. */
  part: string;
  /** What it is drawn from, of what this browser keeps. */
  stores?: KeptStore[];
  /** The whole page: there is no rest of the page that works. */
  whole?: boolean;
}

function PartFailed({ error, resetErrorBoundary, part, stores = [], whole = false }: FallbackProps & PartProps) {
  const [busy, setBusy] = useState(false);
  const kept = stores.map((store) => STORES[store]);
  return (
    <div role="alert" className="alert part-failed">
      <p>
        {part} could not be shown ({errorMessage(error)}).{whole ? ' Reload the page to try again.' : ' The rest of the page works.'}
        {kept.length > 0 &&
          ` If this comes back after a reload, ${kept.map((k) => k.words).join(' or ')} may be damaged: setting them aside moves them out of the page’s way (nothing else is touched) and reloads.`}
      </p>
      <p className="actions">
        <button type="button" onClick={resetErrorBoundary}>
          Try again
        </button>
        {kept.map((k) => (
          <button
            key={k.label}
            type="button"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void k.setAside().finally(() => location.reload());
            }}
          >
            {k.label}
          </button>
        ))}
      </p>
    </div>
  );
}

/** One part of the page, failing alone. */
export function PartBoundary({ children, ...props }: PartProps & { children: ReactNode }) {
  return <ErrorBoundary fallbackRender={(fallback) => <PartFailed {...fallback} {...props} />}>{children}</ErrorBoundary>;
}
