/** The page's frame: its header and footer, the alerts and notices above everything, and MNIST's loading bar. */
import { canContinue, keptWords, type Run } from '../runs/run';
import type { AppUpdate } from './use-app-update';
import type { Inspector } from '../inspector/use-inspector';
import { Alert } from './Alert';

export function SiteHeader() {
  return (
    <>
      <nav className="skip-links" aria-label="Skip links">
        <a href="#drawing-pad">Skip to the drawing pad</a>
        <a href="#digit-viewer">Skip to the digit viewer</a>
      </nav>
      <header className="site-header">
        <h1>Watch a network learn to read handwriting</h1>
        <p>
          The network of Michael Nielsen’s{' '}
          <a href="http://neuralnetworksanddeeplearning.com/chap1.html">Neural Networks and Deep Learning</a>, chapter 1 (
          <code>network.py</code>): sigmoid neurons, quadratic cost, mini-batch stochastic gradient descent, trained here on the real MNIST
          digits in a background thread of your browser — and chapter 3’s improvements when you want them.
        </p>
      </header>
    </>
  );
}

/** Things gone wrong (each with its remedy), the update banner, and the runs' notices. */
export function Alerts({
  inspector,
  troubled,
  update,
  notices,
  onRemove,
  onContinue,
}: {
  inspector: Inspector;
  troubled: Run[];
  update: AppUpdate & { reload(): void };
  notices: string[];
  onRemove(key: string): void;
  onContinue(run: Run): void;
}) {
  return (
    <div className="alerts">
      {inspector.error && <Alert action={{ label: 'Retry', onClick: inspector.retry }}>Could not load MNIST: {inspector.error}</Alert>}
      {troubled.map((run) =>
        canContinue(run) ? (
          // Its epochs are kept: the remedy is to go on.
          <Alert key={run.key} action={{ label: `Continue ${run.name}`, onClick: () => onContinue(run) }}>
            {run.name} stopped: {run.error}. {keptWords(run)}: continue it from there.
          </Alert>
        ) : (
          <Alert key={run.key} action={{ label: `Remove ${run.name}`, onClick: () => onRemove(run.key) }}>
            {run.name} {run.status === 'diverged' ? 'diverged' : 'failed'}: {run.error}
          </Alert>
        ),
      )}
      {update.updateReady && (
        <p className="notice update" role="status">
          <span>
            {update.reloadToTrain
              ? 'A new version of this page took over in another tab, and this tab’s older files are gone: reload to train (your runs are kept).'
              : `A new version is ready${update.reloadPending ? ': the page reloads as soon as no run is training.' : '.'}`}
          </span>
          <button type="button" onClick={update.reload} disabled={update.reloadPending}>
            Reload
          </button>
        </p>
      )}
      {notices.map((notice) => (
        <p className="notice" role="status" key={notice}>
          {notice}
        </p>
      ))}
    </div>
  );
}

/** MNIST's download and decompression, until the reader has it. */
export function LoadingData({ inspector }: { inspector: Inspector }) {
  if (inspector.info || inspector.error) return null;
  return (
    <div className="loading-data">
      <span>{inspector.progress?.phase === 'decompress' ? 'Decompressing MNIST…' : 'Downloading MNIST (11 MB, once)…'}</span>
      <progress aria-label="Loading MNIST" max={1} value={inspector.progress?.fraction ?? 0} />
    </div>
  );
}

export function SiteFooter({ offline }: { offline: boolean }) {
  return (
    <footer className="site-footer muted small">
      MNIST from Yann LeCun, Corinna Cortes and Chris Burges, shipped with this page. Same algorithm and numbers as the book’s
      <code> network.py</code> and <code>network2.py</code>; runs are kept in this browser only, and nothing leaves it.
      {/* Only once the app is kept and MNIST is too (checked, and written to Cache Storage). */}
      {offline && <span className="offline-ready"> This page is kept in this browser and works offline.</span>}
    </footer>
  );
}
