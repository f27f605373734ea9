/** The page: settings, live training view, runs, log and digit viewer. */
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import { DEFAULT_CONFIG, parseTrainConfig, type ConfigField } from '../nn/config';
import { AccuracyChart } from './components/AccuracyChart';
import { Alert } from './components/Alert';
import { Controls, type FieldValues } from './components/Controls';
import { DigitViewer } from './components/DigitViewer';
import { DrawingPad } from './components/DrawingPad';
import { EpochProgress } from './components/EpochProgress';
import { RunsList } from './components/RunsList';
import { TrainingLog } from './components/TrainingLog';
import { isActive } from './run-state';
import { useInspector } from './use-inspector';
import { useRuns } from './use-runs';

const PALETTE = ['#2f6fde', '#e0662b', '#1c9a6c', '#b8409a', '#8a6d1f', '#5b5fc7', '#c23b3b', '#2a8fa6'];

const INITIAL_VALUES: FieldValues = {
  hidden: DEFAULT_CONFIG.hidden.join(', '),
  epochs: String(DEFAULT_CONFIG.epochs),
  miniBatchSize: String(DEFAULT_CONFIG.miniBatchSize),
  eta: DEFAULT_CONFIG.eta.toFixed(1),
  seed: String(DEFAULT_CONFIG.seed),
  trainingExamples: String(DEFAULT_CONFIG.trainingExamples),
};

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
function usePrefersDark(): boolean {
  return useSyncExternalStore(
    (notify) => {
      darkQuery?.addEventListener('change', notify);
      return () => darkQuery?.removeEventListener('change', notify);
    },
    () => darkQuery?.matches ?? false,
  );
}

export function App() {
  const [values, setValues] = useState<FieldValues>(INITIAL_VALUES);
  const parsed = useMemo(() => parseTrainConfig(values), [values]);
  const runs = useRuns();
  const { state } = runs;
  const selected = state.runs.find((run) => run.id === state.selectedId) ?? null;
  const inspector = useInspector(selected?.parameters ?? null);
  const dark = usePrefersDark();
  const colorOf = useCallback((id: number) => PALETTE[(id - 1) % PALETTE.length], []);
  const running = state.runs.some(isActive);

  const train = () => parsed.ok && runs.start(parsed.value);
  const compare = () => {
    if (!parsed.ok) return;
    runs.start({ ...parsed.value, hidden: [30] });
    runs.start({ ...parsed.value, hidden: [100] });
  };
  const troubled = state.runs.filter((run) => run.error);

  return (
    <>
      <header className="site-header">
        <h1>Watch a network learn to read handwriting</h1>
        <p>
          The network of Michael Nielsen’s <a href="http://neuralnetworksanddeeplearning.com/chap1.html">Neural Networks and Deep Learning</a>,
          chapter 1 (<code>network.py</code>): sigmoid neurons, quadratic cost, mini-batch stochastic gradient descent, trained here on the
          real MNIST digits in a background thread of your browser.
        </p>
      </header>
      <main className="layout">
        <div className="alerts">
          {inspector.error && (
            <Alert action={{ label: 'Retry', onClick: inspector.retry }}>Could not load MNIST: {inspector.error}</Alert>
          )}
          {troubled.map((run) => (
            <Alert key={run.id} action={{ label: `Remove ${run.name}`, onClick: () => runs.remove(run.id) }}>
              {run.name} {run.status === 'diverged' ? 'diverged' : 'failed'}: {run.error}
            </Alert>
          ))}
        </div>
        {!inspector.info && !inspector.error && (
          <div className="loading-data">
            <span>{inspector.progress?.phase === 'decompress' ? 'Decompressing MNIST…' : 'Downloading MNIST (11 MB, once)…'}</span>
            <progress aria-label="Loading MNIST" max={1} value={inspector.progress?.fraction ?? 0} />
          </div>
        )}
        <section className="card settings" aria-labelledby="settings-title">
          <h2 id="settings-title">Settings</h2>
          <Controls
            values={values}
            errors={parsed.ok ? [] : parsed.errors}
            running={running}
            onChange={(field: ConfigField, value: string) => setValues((v) => ({ ...v, [field]: value }))}
            onTrain={train}
            onStop={runs.stopAll}
            onCompare={compare}
          />
          <p className="muted small">
            The book’s run: 784-30-10, 30 epochs, mini-batch 10, η = 3.0 reaches about 95%; 100 hidden neurons about 96.6% — or, now
            and then, a run stalls near 88%.
          </p>
        </section>
        <section className="card training" aria-labelledby="training-title">
          <h2 id="training-title">Training</h2>
          <EpochProgress runs={state.runs} />
          <AccuracyChart runs={state.runs} colorOf={colorOf} dark={dark} />
        </section>
        <section className="card runs-card" aria-labelledby="runs-title">
          <h2 id="runs-title">Runs</h2>
          <RunsList
            runs={state.runs}
            selectedId={state.selectedId}
            colorOf={colorOf}
            onToggleHidden={runs.toggleHidden}
            onSelect={runs.select}
            onRemove={runs.remove}
          />
        </section>
        <section className="card log-card" aria-labelledby="log-title">
          <h2 id="log-title">Log</h2>
          <TrainingLog lines={state.log} colorOf={colorOf} />
        </section>
        <DrawingPad
          api={inspector.api}
          modelVersion={inspector.modelVersion}
          runName={selected?.parameters ? selected.name : null}
          canTrain={parsed.ok}
          onTrain={train}
        />
        <DigitViewer api={inspector.api} info={inspector.info} modelVersion={inspector.modelVersion} runName={selected?.name ?? null} />
      </main>
      <footer className="site-footer muted small">
        MNIST from Yann LeCun, Corinna Cortes and Chris Burges, shipped with this page. Same algorithm and numbers as the book’s
        <code> network.py</code>; nothing leaves your browser.
      </footer>
    </>
  );
}
