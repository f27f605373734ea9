/**
 * `Copy link`: the page's address, which carries the settings (seed included), so whoever opens it trains
 * the same run and gets the same curve. Where the clipboard is refused (an insecure origin, a denied
 * permission) the link is shown, selected, to copy by hand.
 */
import { useRef, useState } from 'react';
import { withViewMode } from '../app/view-mode';

/** Copy link, Copy a link with the settings fixed, and Present (the projector's view). */
export function CopyLink({ onPresent }: { onPresent(): void }) {
  const [state, setState] = useState<{ copied: boolean; url: string; fixed: boolean } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const copy = async (fixed: boolean) => {
    const url = withViewMode(location.href, { fixed, present: false });
    try {
      await navigator.clipboard.writeText(url);
      setState({ copied: true, url, fixed });
    } catch {
      setState({ copied: false, url, fixed });
      // Selected once shown, so Ctrl+C (or the phone's Copy) is one step.
      requestAnimationFrame(() => field.current?.select());
    }
  };
  return (
    <div className="copy-link">
      <button type="button" onClick={() => void copy(false)}>
        Copy link
      </button>
      <button
        type="button"
        onClick={() => void copy(true)}
        title="For a class: the link opens with these settings folded away, so everyone trains this run"
      >
        Copy link with the settings fixed
      </button>
      <button
        type="button"
        onClick={onPresent}
        title="For a projector: large type, the progress, chart, network and log filling the screen"
      >
        Present
      </button>
      <span role="status" className="small">
        {state?.copied &&
          (state.fixed
            ? 'Copied. The link opens with these settings folded away and fixed: everyone trains this run.'
            : 'Copied. The link opens this page with these settings, seed included: the same run, the same curve.')}
        {state && !state.copied && 'The browser would not copy it; copy the link from here:'}
      </span>
      {state && !state.copied && (
        <input
          ref={field}
          className="copy-link-field"
          readOnly
          value={state.url}
          aria-label="Link to these settings"
          onFocus={(e) => e.target.select()}
        />
      )}
    </div>
  );
}
