/** The page: settings, live training view, runs, log, drawing pad, inside the network and the digit viewer. */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { parseTrainConfig, type ConfigField } from '../nn/config';
import { AccuracyChart, MetricToggles, type Metric } from './components/AccuracyChart';
import { Alert } from './components/Alert';
import { ConfusionMatrix } from './components/ConfusionMatrix';
import { Controls, type FieldValues } from './components/Controls';
import { DigitViewer, type CellFocus } from './components/DigitViewer';
import { DrawingPad } from './components/DrawingPad';
import { EpochProgress } from './components/EpochProgress';
import { ModelFiles } from './components/ModelFiles';
import { RunsList } from './components/RunsList';
import { TrainingLog } from './components/TrainingLog';
import { WeightMaps } from './components/WeightMaps';
import { isActive } from './run-state';
import { fieldValuesFromSearch, searchOf } from './settings-url';
import { useAppUpdate } from './use-app-update';
import { useInspector } from './use-inspector';
import { useRuns } from './use-runs';

const PALETTE = ['#2f6fde', '#e0662b', '#1c9a6c', '#b8409a', '#8a6d1f', '#5b5fc7', '#c23b3b', '#2a8fa6'];

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
  const [values, setValues] = useState<FieldValues>(() => fieldValuesFromSearch(location.search));
  const parsed = useMemo(() => parseTrainConfig(values), [values]);
  const fieldErrors = useMemo(() => (parsed.ok ? [] : parsed.errors), [parsed]);
  const runs = useRuns();
  const { state } = runs;
  const selected = state.runs.find((run) => run.id === state.selectedId) ?? null;
  const inspector = useInspector(selected?.parameters ?? null);
  const dark = usePrefersDark();
  const update = useAppUpdate();
  const colorOf = useCallback((id: number) => PALETTE[(id - 1) % PALETTE.length], []);
  const running = state.runs.some(isActive);
  const [metrics, setMetrics] = useState<ReadonlySet<Metric>>(() => new Set(['testAccuracy']));
  const [focus, setFocus] = useState<CellFocus | null>(null);

  // The settings live in the URL, so a link reproduces a run (same seed, same curve).
  useEffect(() => {
    const search = searchOf(values);
    if (search !== location.search) history.replaceState(history.state, '', search + location.hash);
  }, [values]);

  // Stable callbacks: the memoised views below re-render only when what they show changes, not on
  // every progress event (the page's thread must stay free while two runs train).
  const { start } = runs;
  const train = useCallback(() => parsed.ok && start(parsed.value), [parsed, start]);
  const compare = useCallback(() => {
    if (!parsed.ok) return;
    start({ ...parsed.value, hidden: [30] });
    start({ ...parsed.value, hidden: [100] });
  }, [parsed, start]);
  const changeField = useCallback((field: ConfigField, value: string) => setValues((v) => ({ ...v, [field]: value })), []);
  const openCell = useCallback((label: number, predicted: number) => setFocus({ label, predicted }), []);
  const toggleMetric = (metric: Metric) =>
    setMetrics((current) => {
      const next = new Set(current);
      if (!next.delete(metric)) next.add(metric);
      return next;
    });
  const troubled = state.runs.filter((run) => run.error);
  const selectedParameters = selected?.parameters ?? null;
  const selectedName = selected?.name ?? null;
  const selectedModel = useMemo(
    () => (selectedParameters && selectedName ? { name: selectedName, parameters: selectedParameters } : null),
    [selectedParameters, selectedName],
  );
  // The run (and epoch) whose network the inspector worker holds right now.
  const inspected = state.runs.find((run) => run.parameters !== null && run.parameters === inspector.evaluatedModel) ?? null;
  const inspectedLabel =
    inspected &&
    (inspected.source !== null ? `${inspected.name} (loaded)` : `${inspected.name} after epoch ${inspected.accuracy.length - 1}`);

  return (
    <>
      <header className="site-header">
        <h1>Watch a network learn to read handwriting</h1>
        <p>
          The network of Michael Nielsen’s{' '}
          <a href="http://neuralnetworksanddeeplearning.com/chap1.html">Neural Networks and Deep Learning</a>, chapter 1 (
          <code>network.py</code>): sigmoid neurons, quadratic cost, mini-batch stochastic gradient descent, trained here on the real MNIST
          digits in a background thread of your browser — and chapter 3’s improvements when you want them.
        </p>
      </header>
      <main className="layout">
        <div className="alerts">
          {inspector.error && <Alert action={{ label: 'Retry', onClick: inspector.retry }}>Could not load MNIST: {inspector.error}</Alert>}
          {troubled.map((run) => (
            <Alert key={run.id} action={{ label: `Remove ${run.name}`, onClick: () => runs.remove(run.id) }}>
              {run.name} {run.status === 'diverged' ? 'diverged' : 'failed'}: {run.error}
            </Alert>
          ))}
          {update.updateReady && (
            <p className="notice update" role="status">
              <span>A new version is ready{update.reloadPending ? ': the page reloads as soon as no run is training.' : '.'}</span>
              <button type="button" onClick={update.reload} disabled={update.reloadPending}>
                Reload
              </button>
            </p>
          )}
          {runs.notices.map((notice) => (
            <p className="notice" role="status" key={notice}>
              {notice}
            </p>
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
            errors={fieldErrors}
            running={running}
            ready={runs.ready}
            onChange={changeField}
            onTrain={train}
            onStop={runs.stopAll}
            onCompare={compare}
          />
          <p className="muted small">
            The book’s run: 784-30-10, 30 epochs, mini-batch 10, η = 3.0 reaches about 95%; 100 hidden neurons about 96.6% — or, now and
            then, a run stalls near 88%. Chapter 3’s cross-entropy, λ = 5.0, scaled initialisation and η = 0.5 take 100 hidden neurons to
            about 98%.
          </p>
        </section>
        <section className="card training" aria-labelledby="training-title">
          <h2 id="training-title">Training</h2>
          <EpochProgress runs={state.runs} />
          <MetricToggles metrics={metrics} onToggle={toggleMetric} />
          <AccuracyChart runs={state.runs} colorOf={colorOf} dark={dark} metrics={metrics} />
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
            onContinue={runs.continueRun}
          />
          <ModelFiles api={inspector.evaluator} selected={selectedModel} onImported={runs.addImported} />
        </section>
        <section className="card log-card" aria-labelledby="log-title">
          <h2 id="log-title">Log</h2>
          <TrainingLog lines={state.log} colorOf={colorOf} />
        </section>
        <DrawingPad
          api={inspector.api}
          modelVersion={inspector.modelVersion}
          runName={selected?.parameters ? selected.name : null}
          canTrain={parsed.ok && runs.ready}
          onTrain={train}
        />
        <section className="card inside" aria-labelledby="inside-title">
          <h2 id="inside-title">Inside the network{selected?.parameters ? ` · ${selected.name}` : ''}</h2>
          <div className="inside-body">
            <WeightMaps parameters={selected?.parameters ?? null} runName={selected?.name ?? null} />
            <ConfusionMatrix
              api={inspector.evaluator}
              modelVersion={inspector.evaluationVersion}
              modelLabel={inspectedLabel}
              onOpen={openCell}
            />
          </div>
        </section>
        <DigitViewer
          api={inspector.api}
          evaluator={inspector.evaluator}
          info={inspector.info}
          modelVersion={inspector.modelVersion}
          evaluationVersion={inspector.evaluationVersion}
          runName={selected?.name ?? null}
          focus={focus}
          onFocusChange={setFocus}
        />
      </main>
      <footer className="site-footer muted small">
        MNIST from Yann LeCun, Corinna Cortes and Chris Burges, shipped with this page. Same algorithm and numbers as the book’s
        <code> network.py</code> and <code>network2.py</code>; runs are kept in this browser only, and nothing leaves it.
        {/* Once the app is kept and MNIST has loaded (which keeps the files before it says so). */}
        {update.offlineReady && inspector.info && (
          <span className="offline-ready"> This page is kept in this browser and works offline.</span>
        )}
      </footer>
    </>
  );
}
