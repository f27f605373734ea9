/** The page: settings, live training view, runs, log, drawing pad, inside the network and the digit viewer. */
import { PartBoundary } from './PartBoundary';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { DEFAULT_CONFIG, type ConfigField, type TrainConfig } from '../../nn/config';
import { ReproduceBook } from '../book/ReproduceBook';
import { parseTrainConfig } from '../../nn/settings';
import { AccuracyChart, MetricToggles, type Metric } from '../chart/AccuracyChart';
import { LayerSpeedChart } from '../chart/LayerSpeedChart';
import { Alerts, LoadingData, SiteFooter, SiteHeader } from './PageFrame';
import { ComparisonTable } from '../compare/ComparisonTable';
import { Ensemble } from '../compare/Ensemble';
import { ConfusionMatrix } from '../inspector/ConfusionMatrix';
import { Controls, type ControlsProps, type FieldValues } from '../settings/Controls';
import { DigitViewer, type CellFocus } from '../inspector/DigitViewer';
import { DrawingPad } from '../pad/DrawingPad';
import { EpochProgress } from '../runs/EpochProgress';
import { ModelFiles } from '../models/ModelFiles';
import { RunsList } from '../runs/RunsList';
import { TrainingLog } from '../runs/TrainingLog';
import { WeightMaps } from '../inspector/WeightMaps';
import { inspectedLabelOf, isActive, runLabel, type Run } from '../runs/run';
import { personalDigitsOf } from '../pad/teach/my-digits';
import { useMyDigits } from '../pad/teach/use-my-digits';
import { fieldValuesFromSearch, searchOf } from '../settings/settings-url';
import { comparedConfig, withFieldChanged } from '../settings/network-kind';
import { useAppUpdate } from './use-app-update';
import { useInspector, type Inspector } from '../inspector/use-inspector';
import { useRuns, type RunsControls } from '../runs/use-runs';
import { NetworkDiagram, type FocusDigit } from '../network/NetworkDiagram';
import { BackpropView } from '../network/BackpropView';
import { CopyLink } from '../settings/CopyLink';
import { useViewMode } from './view-mode';

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

/** The settings fields, kept in the URL so that a link reproduces a run (same seed, same curve). */
function useSettings() {
  const [values, setValues] = useState<FieldValues>(() => fieldValuesFromSearch(location.search));
  const parsed = useMemo(() => parseTrainConfig(values), [values]);
  const fieldErrors = useMemo(() => (parsed.ok ? [] : parsed.errors), [parsed]);
  useEffect(() => {
    const search = searchOf(values, location.search);
    if (search !== location.search) history.replaceState(history.state, '', search + location.hash);
  }, [values]);
  const changeField = useCallback((field: ConfigField, value: string) => setValues((v) => withFieldChanged(v, field, value)), []);
  return { values, parsed, fieldErrors, changeField };
}

/**
 * Train and Compare with the settings as they are. Stable callbacks: the memoised views re-render only
 * when what they show changes, not on every progress event (the page's thread must stay free while two
 * runs train).
 */
function useStarts(parsed: ReturnType<typeof parseTrainConfig>, runs: Pick<RunsControls, 'start' | 'compare' | 'reproduce'>) {
  const { start, compare: compareWith } = runs;
  const train = useCallback(() => parsed.ok && start(parsed.value), [parsed, start]);
  const compare = useCallback(() => parsed.ok && compareWith(parsed.value), [parsed, compareWith]);
  const { reproduce } = runs;
  // A comparison of two networks of any kind: the book's experiments run the same way (one comparison, its seeds each).
  const compareKinds = useCallback(
    (choice: string) => parsed.ok && reproduce([parsed.value, comparedConfig(parsed.value, choice)], parsed.value.seedsPerNetwork),
    [parsed, reproduce],
  );
  return { train, compare, compareKinds };
}

/** The selected run's network and name, for downloads: a new object only when either changes. */
function useSelectedModel(selected: Run | null) {
  const parameters = selected?.parameters ?? null;
  const name = selected?.name ?? null;
  return useMemo(() => (parameters && name ? { name, parameters } : null), [parameters, name]);
}

/** Which measurements the chart shows. */
function useMetrics() {
  const [metrics, setMetrics] = useState<ReadonlySet<Metric>>(() => new Set(['testAccuracy']));
  const toggleMetric = (metric: Metric) =>
    setMetrics((current) => {
      const next = new Set(current);
      if (!next.delete(metric)) next.add(metric);
      return next;
    });
  return { metrics, toggleMetric };
}

export function App() {
  const { values, parsed, fieldErrors, changeField } = useSettings();
  const runs = useRuns();
  const { state } = runs;
  const selected = state.runs.find((run) => run.key === state.selectedKey) ?? null;
  const inspector = useInspector(selected?.parameters ?? null, selected?.testReadings ?? null);
  const dark = usePrefersDark();
  const update = useAppUpdate();
  const colorOf = useRunColours(state.runs);
  const running = state.runs.some(isActive);
  const [focus, setFocus] = useState<CellFocus | null>(null);
  /** The digit the Network region draws: the viewer's, or the pad's drawing, whichever changed last. */
  const [focusDigit, setFocusDigit] = useState<FocusDigit | null>(null);

  const { train, compare, compareKinds } = useStarts(parsed, runs);
  const { continueRun } = runs;
  const continueRuns = useCallback((list: Run[]) => list.forEach(continueRun), [continueRun]);
  const openCell = useCallback((label: number, predicted: number) => setFocus({ label, predicted }), []);
  const troubled = state.runs.filter((run) => run.error);
  const selectedModel = useSelectedModel(selected);
  const inspectedLabel = inspectedLabelOf(state.runs, inspector.evaluatedModel);
  const myDigits = useMyDigits();
  const { fineTune } = runs;
  const tuneSelected = useCallback(() => {
    if (selected?.parameters && myDigits.digits.length) fineTune(selected, personalDigitsOf(myDigits.digits));
  }, [selected, myDigits.digits, fineTune]);
  const mode = useViewMode();
  const { setMode } = mode;
  const present = useCallback(() => setMode({ present: true }), [setMode]);
  return (
    <>
      <SiteHeader />
      {mode.present && (
        <button type="button" className="exit-present" onClick={() => setMode({ present: false })}>
          Leave the presentation
        </button>
      )}
      <main className={mode.present ? 'layout present' : 'layout'}>
        <Alerts
          inspector={inspector}
          troubled={troubled}
          update={update}
          notices={inspector.info?.notice ? [inspector.info.notice, ...runs.notices] : runs.notices}
          onRemove={runs.remove}
          onContinue={runs.continueRun}
        />
        <LoadingData inspector={inspector} />
        {/* Two columns on a wide screen, each as tall as its cards; one column (by grid areas) on a narrow one. */}
        <div className="column left">
          <PartBoundary part="The settings">
            <SettingsCard
              values={values}
              errors={fieldErrors}
              running={running}
              ready={runs.ready}
              onChange={changeField}
              onTrain={train}
              onStop={runs.stopAll}
              onCompare={compare}
              onCompareWith={compareKinds}
              fixed={mode.fixed}
              onPresent={present}
              onUnfix={() => setMode({ fixed: false })}
            />
          </PartBoundary>
          <PartBoundary part="Reproduce the book" stores={['runs']}>
            <ReproduceBook
              runs={runs.state.runs}
              seeds={parsed.ok ? parsed.value.seedsPerNetwork : DEFAULT_CONFIG.seedsPerNetwork}
              ready={runs.ready}
              onReproduce={runs.reproduce}
            />
          </PartBoundary>
          <PartBoundary part="The runs" stores={['runs']}>
            <RunsCard
              runs={runs}
              settings={parsed.ok ? parsed.value : null}
              colorOf={colorOf}
              evaluator={inspector.evaluator}
              selectedModel={selectedModel}
            />
          </PartBoundary>
        </div>
        <div className="column right">
          <TrainingColumn runs={runs} colorOf={colorOf} dark={dark} presenting={mode.present} onContinue={continueRuns} />
        </div>
        <PartBoundary part="The drawing pad and My digits" stores={['digits']}>
          <DrawingPad
            api={inspector.api}
            modelVersion={inspector.modelVersion}
            runName={selected?.parameters ? selected.name : null}
            canTrain={parsed.ok && runs.ready}
            onTrain={train}
            myDigits={myDigits}
            tuneSource={selected?.parameters ? runLabel(selected) : null}
            tuneBlocked={selected && isActive(selected) ? `Wait until ${selected.name} has finished, or stop it.` : null}
            onFineTune={tuneSelected}
            onDigit={setFocusDigit}
          />
        </PartBoundary>
        <PartBoundary part="The network drawing" stores={['runs']}>
          <NetworkDiagram run={selected} digit={focusDigit} />
        </PartBoundary>
        <PartBoundary part="The backpropagation view" stores={['runs']}>
          <BackpropView run={selected} digit={focusDigit} />
        </PartBoundary>
        <PartBoundary part="The weights and misreadings" stores={['runs']}>
          <InsideCard
            run={selected}
            onStart={runs.start}
            evaluator={inspector.evaluator}
            evaluationVersion={inspector.evaluationVersion}
            inspectedLabel={inspectedLabel}
            onOpenCell={openCell}
          />
        </PartBoundary>
        <PartBoundary part="The digit viewer">
          <DigitViewer
            api={inspector.api}
            evaluator={inspector.evaluator}
            info={inspector.info}
            modelVersion={inspector.modelVersion}
            evaluationVersion={inspector.evaluationVersion}
            runName={selected?.name ?? null}
            focus={focus}
            onFocusChange={setFocus}
            onDigit={setFocusDigit}
          />
        </PartBoundary>
      </main>
      <SiteFooter offline={update.offlineReady && inspector.info?.kept === true} />
    </>
  );
}

/** A run's colour: it follows its number, so it is the same in every tab and after a reload. */
function useRunColours(runs: Run[]): (key: string) => string {
  const numberOf = useMemo(() => new Map(runs.map((run) => [run.key, run.number])), [runs]);
  return useCallback((key: string) => PALETTE[((numberOf.get(key) ?? 1) - 1) % PALETTE.length], [numberOf]);
}

/** The right-hand column: each run's progress, the chart and the comparison, and the log. */
function TrainingColumn({
  runs: {
    state: { runs, log, selectedKey },
    watch,
    setWatch,
    step,
    start,
  },
  colorOf,
  dark,
  presenting,
  onContinue,
}: {
  runs: RunsControls;
  colorOf(key: string): string;
  dark: boolean;
  /** The charts' words larger, for a projector. */
  presenting: boolean;
  onContinue(runs: Run[]): void;
}) {
  const { metrics, toggleMetric } = useMetrics();
  return (
    <>
      <PartBoundary part="The progress of the runs" stores={['runs']}>
        <EpochProgress runs={runs} watch={watch} onWatch={setWatch} onStep={step} />
      </PartBoundary>
      <section className="card training" aria-labelledby="training-title">
        <h2 id="training-title">Training</h2>
        <p className="small muted">
          Each run’s test accuracy after every epoch: the digits of the 10,000 it reads right, as network.py’s evaluate() counts them.{' '}
          <a
            href="http://neuralnetworksanddeeplearning.com/chap1.html#implementing_our_network_to_classify_digits"
            target="_blank"
            rel="noreferrer"
          >
            Chapter 1: the network at work
          </a>
        </p>
        <PartBoundary part="The chart" stores={['runs']}>
          <MetricToggles metrics={metrics} onToggle={toggleMetric} />
          <AccuracyChart runs={runs} colorOf={colorOf} dark={dark} large={presenting} metrics={metrics} />
        </PartBoundary>
        <PartBoundary part="The comparison" stores={['runs']}>
          <ComparisonTable runs={runs} onContinue={onContinue} />
        </PartBoundary>
        <PartBoundary part="The learning speed per layer" stores={['runs']}>
          <LayerSpeedChart run={runs.find((run) => run.key === selectedKey) ?? null} dark={dark} large={presenting} onStart={start} />
        </PartBoundary>
      </section>
      <section className="card log-card" aria-labelledby="log-title">
        <h2 id="log-title">Log</h2>
        <PartBoundary part="The log" stores={['runs']}>
          <TrainingLog lines={log} colorOf={colorOf} />
        </PartBoundary>
      </section>
    </>
  );
}

/** The settings, and what the book's runs reach with them. */
function SettingsCard({ onPresent, onUnfix, ...props }: ControlsProps & { onPresent(): void; onUnfix(): void }) {
  return (
    <section className="card settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <Controls {...props} />
      {props.fixed && (
        <button type="button" className="link-button" onClick={onUnfix}>
          Change the settings
        </button>
      )}
      <CopyLink onPresent={onPresent} />
      <p className="muted small">
        The book’s run: 784-30-10, 30 epochs, mini-batch 10, η = 3.0 reaches about 95%; 100 hidden neurons about 96.6% — or, now and then, a
        run stalls near 88%. Chapter 3’s cross-entropy, λ = 5.0, scaled initialisation and η = 0.5 take 100 hidden neurons to about 98%.
      </p>
    </section>
  );
}

/** The selected run's first-layer weights and its confusion matrix on the test set. */
function InsideCard({
  run,
  onStart,
  evaluator,
  evaluationVersion,
  inspectedLabel,
  onOpenCell,
}: {
  run: Run | null;
  onStart(config: TrainConfig): void;
  evaluator: Inspector['evaluator'];
  evaluationVersion: number;
  inspectedLabel: string | null;
  onOpenCell(label: number, predicted: number): void;
}) {
  return (
    <section className="card inside" aria-labelledby="inside-title">
      <h2 id="inside-title">Weights and misreadings{run?.parameters ? ` · ${run.name}` : ''}</h2>
      <div className="inside-body">
        <WeightMaps run={run} api={evaluator} onStart={onStart} />
        <ConfusionMatrix api={evaluator} modelVersion={evaluationVersion} modelLabel={inspectedLabel} onOpen={onOpenCell} />
      </div>
    </section>
  );
}

/** The runs, each with its card, and model files in and out. */
function RunsCard({
  runs,
  settings,
  colorOf,
  evaluator,
  selectedModel,
}: {
  runs: RunsControls;
  /** The settings form's values when valid: what a loaded model trains further with. */
  settings: TrainConfig | null;
  colorOf(key: string): string;
  evaluator: Inspector['evaluator'];
  selectedModel: ReturnType<typeof useSelectedModel>;
}) {
  return (
    <section className="card runs-card" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      <RunsList
        runs={runs.state.runs}
        selectedKey={runs.state.selectedKey}
        colorOf={colorOf}
        onToggleHidden={runs.toggleHidden}
        onSelect={runs.select}
        onRemove={runs.remove}
        onContinue={runs.continueRun}
        onExtend={runs.extend}
        onStart={runs.start}
        settings={settings}
        onTrainFurther={runs.trainFurther}
      />
      <ModelFiles api={evaluator} selected={selectedModel} onImported={runs.addImported} />
      <PartBoundary part="The ensemble">
        <Ensemble runs={runs.state.runs} api={evaluator} />
      </PartBoundary>
    </section>
  );
}
