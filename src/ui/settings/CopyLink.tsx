/**
 * `Copy link`: the page's address, which carries the settings (seed included), so whoever opens it trains
 * the same run and gets the same curve. Where the clipboard is refused (an insecure origin, a denied
 * permission) the link is shown, selected, to copy by hand.
 */
import { useRef, useState } from 'react';

export function CopyLink() {
  const [state, setState] = useState<{ copied: boolean; url: string } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      setState({ copied: true, url });
    } catch {
      setState({ copied: false, url });
      // Selected once shown, so Ctrl+C (or the phone's Copy) is one step.
      requestAnimationFrame(() => field.current?.select());
    }
  };
  return (
    <div className="copy-link">
      <button type="button" onClick={() => void copy()}>
        Copy link
      </button>
      <span role="status" className="small">
        {state?.copied && 'Copied. The link opens this page with these settings, seed included: the same run, the same curve.'}
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
