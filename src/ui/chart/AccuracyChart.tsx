/** Test accuracy per epoch, one line per visible run, in percent; a text alternative names the latest figures. */
import { memo, useDeferredValue } from 'react';
import { Line } from 'react-chartjs-2';
import {
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
  type Plugin,
  Filler,
} from 'chart.js';
import { describeConfig, type EpochPoint, type Run, networkName } from '../runs/run';
import type { WithinPoint } from '../runs/keeping/kept-schema';
import { latestComparison } from '../compare/ComparisonTable';
import { chartColours, chartFont, PRESENT_TEXT_SCALE } from './look';

/** What network2.py can monitor each epoch; each is a toggle above the chart. */
export type Metric = 'testAccuracy' | 'trainingAccuracy' | 'testCost' | 'trainingCost';
export const METRICS: {
  metric: Metric;
  label: string;
  short: string;
  value(p: EpochPoint): number | null;
  dash: number[];
  cost: boolean;
}[] = [
  { metric: 'testAccuracy', label: 'Test accuracy', short: 'test', value: (p) => p.percent, dash: [], cost: false },
  { metric: 'trainingAccuracy', label: 'Training accuracy', short: 'training', value: (p) => p.trainingPercent, dash: [6, 4], cost: false },
  { metric: 'testCost', label: 'Test cost', short: 'test cost', value: (p) => p.testCost, dash: [2, 3], cost: true },
  { metric: 'trainingCost', label: 'Training cost', short: 'training cost', value: (p) => p.trainingCost, dash: [8, 3, 2, 3], cost: true },
];

ChartJS.register(LinearScale, CategoryScale, PointElement, LineElement, Legend, Tooltip, Filler);

interface Props {
  runs: Run[];
  colorOf(runKey: string): string;
  dark: boolean;
  /** Presenting: the canvas's words larger. */
  large?: boolean;
  metrics: ReadonlySet<Metric>;
}

export function AccuracyChart({ runs, colorOf, dark, large = false, metrics }: Props) {
  const visible = runs.filter((run) => !run.hidden);
  const compared = latestComparison(runs);
  // Progress events re-render the page many times a second; the chart changes only when an epoch ends.
  const epochsOf = (list: Run[]) =>
    list.map((run) => `${run.key}:${run.accuracy.length}:${run.within.length}:${run.config.epochs}`).join('|');
  const signature = `${[...metrics].join(',')}|${epochsOf(visible)}|bands:${epochsOf(compared)}`;
  // Drawing the chart is the page's biggest piece of work (no GPU here): defer it to its own task, so
  // it never adds to the render that handles a worker's message.
  const deferred = useDeferredValue({ signature, visible, compared, metrics });
  return (
    <ChartView
      signature={deferred.signature}
      visible={deferred.visible}
      compared={deferred.compared}
      colorOf={colorOf}
      dark={dark}
      large={large}
      metrics={deferred.metrics}
    />
  );
}

/** One network of a comparison: its runs' test accuracy per epoch as a band (min to max) and a mean line. */
interface Band {
  network: string;
  color: string;
  seeds: number;
  min: { x: number; y: number }[];
  max: { x: number; y: number }[];
  mean: { x: number; y: number }[];
  /** How many of the runs reached each epoch (the band at an epoch is over these alone). */
  reached: number[];
}

/** The bands of a comparison's networks, each in the colour of its first run. */
export function bandsOf(compared: Run[], colorOf: (runKey: string) => string): Band[] {
  const networks = [...new Set(compared.map((run) => networkName(run.sizes, run.config)))];
  return networks.map((network) => {
    const mine = compared.filter((run) => networkName(run.sizes, run.config) === network);
    const band: Band = { network, color: colorOf(mine[0].key), seeds: mine.length, min: [], max: [], mean: [], reached: [] };
    const epochs = Math.max(0, ...mine.map((run) => run.accuracy.length));
    for (let epoch = 0; epoch < epochs; epoch++) {
      const values = mine.flatMap((run) => (run.accuracy[epoch] ? [run.accuracy[epoch].percent] : []));
      band.min.push({ x: epoch, y: Math.min(...values) });
      band.max.push({ x: epoch, y: Math.max(...values) });
      band.mean.push({ x: epoch, y: values.reduce((a, b) => a + b, 0) / values.length });
      band.reached.push(values.length);
    }
    return band;
  });
}

interface ViewProps {
  signature: string;
  visible: Run[];
  /** The latest comparison's runs, drawn as bands whether or not each is shown. */
  compared: Run[];
  colorOf(runKey: string): string;
  dark: boolean;
  large: boolean;
  metrics: ReadonlySet<Metric>;
}

type MetricSpec = (typeof METRICS)[number];

/**
 * The x axis: epoch 0 to the longest trained run's last epoch (at least 1, so one epoch is a point inside it);
 * from the start (−1) when a run was measured within its first epoch.
 */
export function epochRange(visible: Run[]): [number, number] {
  const trained = visible.filter((run) => run.source === null);
  const fromStart = trained.some((run) => run.within.some((p) => p.epoch === 0));
  return [fromStart ? -1 : 0, Math.max(1, ...trained.map((run) => run.config.epochs - 1))];
}

/** A point of a line: `within` when it was measured mid-epoch (the book's epoch points have none). */
interface ChartPoint {
  x: number;
  y: number;
  within?: WithinPoint;
}

/**
 * Where a measurement within epoch e sits on the axis: between the points of epochs e − 1 and e, as far
 * along as the epoch had gone (the start of epoch 0 at −1).
 */
export const withinX = (p: WithinPoint): number => p.epoch - 1 + p.examples / p.examplesTotal;

/** A run's test accuracy: its epochs and, merged in order, what was measured within them. */
function testAccuracyPoints(run: Run): ChartPoint[] {
  const epochs: ChartPoint[] = run.accuracy.map((a) => ({ x: a.epoch, y: a.percent }));
  const within: ChartPoint[] = run.within.map((p) => ({ x: withinX(p), y: p.percent, within: p }));
  return [...epochs, ...within].sort((a, b) => a.x - b.x);
}

/** `after 5,000 of 50,000 examples of epoch 0` */
export const withinWords = (p: WithinPoint): string =>
  p.examples === 0 && p.epoch === 0
    ? 'before training'
    : `after ${p.examples.toLocaleString('en-US')} of ${p.examplesTotal.toLocaleString('en-US')} examples of epoch ${p.epoch}` +
      (p.digits ? ` (on the first ${p.digits.toLocaleString('en-US')} test digits)` : '');

/** How a value reads in a label: accuracy in percent, cost as a number. */
const valueText = (m: MetricSpec, y: number): string => (m.cost ? y.toFixed(4) : `${y.toFixed(2)}%`);

/**
 * One line per visible run and shown measurement (test accuracy always, so a run without epochs is in the
 * legend). A model loaded from a file was never trained here: it is a dashed level across the chart,
 * named by its file, not a curve.
 */
export function chartData(visible: Run[], shown: MetricSpec[], colorOf: (runKey: string) => string, [first, last]: [number, number]) {
  const series = visible.flatMap((run) =>
    shown
      .filter((m) => run.source === null || m.metric === 'testAccuracy')
      .map((m) => {
        const points: ChartPoint[] =
          m.metric === 'testAccuracy' && run.source === null
            ? testAccuracyPoints(run)
            : run.accuracy.flatMap((a) => {
                const y = m.value(a);
                return y === null ? [] : [{ x: a.epoch, y }];
              });
        const loaded = run.source !== null && points.length > 0;
        return {
          run,
          m,
          loaded,
          points: loaded
            ? [
                { x: first, y: points[0].y },
                { x: last, y: points[0].y },
              ]
            : points,
        };
      }),
  );
  const kept = series.filter((s) => s.points.length || s.m.metric === 'testAccuracy');
  const datasets = kept.map(({ run, m, loaded, points }) => ({
    label: loaded
      ? `${run.name}: loaded from ${run.source}`
      : `${run.name}${m.metric === 'testAccuracy' ? '' : ` ${m.short}`}: ${describeConfig(run.sizes, run.config, run.source)}`,
    data: points,
    yAxisID: m.cost ? 'cost' : 'y',
    borderColor: colorOf(run.key),
    backgroundColor: colorOf(run.key),
    borderDash: loaded ? [10, 5] : m.dash,
    // Only the epochs' points are marked: the measurements within epochs draw the line between them.
    pointRadius: pointRadiusOf(points, loaded),
    borderWidth: 2,
    tension: 0.15,
  }));
  // Each line's latest value, written at its end.
  const latest = kept.map(({ m, points }) => (points.length ? valueText(m, points[points.length - 1].y) : null));
  const accuracies = kept.filter((s) => !s.m.cost).flatMap((s) => s.points.map((p) => p.y));
  return { datasets, latest, accuracies };
}

/** The radius of each point of a line: none for a level or a measurement within an epoch, none when there are many. */
function pointRadiusOf(points: ChartPoint[], loaded: boolean): number | number[] {
  const epochs = points.filter((p) => !p.within).length;
  const radius = loaded || epochs > 40 ? 0 : epochs === 1 ? 4 : 2.5;
  return points.some((p) => p.within) ? points.map((p) => (p.within ? 0 : radius)) : radius;
}

/** Band edge datasets are named so: the legend leaves them out (the mean line names the band). */
const BAND_EDGE = / band (min|max)$/;

/** The comparison's bands added to the chart's lines: each a filled area between its min and max, and its mean line. */
function withBands(data: ReturnType<typeof chartData>, bands: Band[]): ReturnType<typeof chartData> {
  const datasets = [...data.datasets] as (ReturnType<typeof chartData>['datasets'][number] & { fill?: string | boolean })[];
  const latest = [...data.latest];
  for (const band of bands) {
    const edge = { yAxisID: 'y', borderColor: 'transparent', borderDash: [], borderWidth: 0, pointRadius: 0, tension: 0.15 };
    datasets.push({ ...edge, label: `${band.network} band max`, data: band.max, backgroundColor: `${band.color}33`, fill: '+1' });
    datasets.push({ ...edge, label: `${band.network} band min`, data: band.min, backgroundColor: `${band.color}33`, fill: false });
    datasets.push({
      label: `${band.network}: mean of ${band.seeds} seed${band.seeds === 1 ? '' : 's'}, band min–max`,
      data: band.mean,
      yAxisID: 'y',
      borderColor: band.color,
      backgroundColor: band.color,
      borderDash: [],
      borderWidth: 3,
      pointRadius: band.mean.length === 1 ? 4 : band.mean.length > 40 ? 0 : 2,
      tension: 0.15,
      fill: false,
    });
    latest.push(null, null, band.mean.length ? `${band.mean[band.mean.length - 1].y.toFixed(2)}%` : null);
  }
  const accuracies = [...data.accuracies, ...bands.flatMap((b) => [...b.min, ...b.max].map((p) => p.y))];
  return { datasets, latest, accuracies };
}

/** Writes each line's latest value just right of its last point (the labels come in the plugin's options). */
const latestLabels: Plugin<'line', { labels: (string | null)[]; color: string; size: number }> = {
  id: 'latestLabels',
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `600 ${options.size ?? 11}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    chart.data.datasets.forEach((dataset, i) => {
      const label = options.labels?.[i];
      const point = chart.getDatasetMeta(i).data.at(-1);
      if (!label || !point || !chart.isDatasetVisible(i)) return;
      ctx.fillStyle = String(dataset.borderColor ?? options.color);
      ctx.fillText(label, point.x + 6, point.y);
    });
    ctx.restore();
  },
};

/**
 * Axes with room around the data: epochs from the range given, accuracy from 5% below the lowest point
 * (rounded down to 5%) to 100%, cost on the right from 0; space on the right for the latest values.
 */
function chartOptions(
  { datasets, latest, accuracies }: ReturnType<typeof chartData>,
  [first, last]: [number, number],
  dark: boolean,
  large: boolean,
): ChartOptions<'line'> {
  const hasCost = datasets.some((d) => d.yAxisID === 'cost');
  const hasAccuracy = datasets.some((d) => d.yAxisID === 'y');
  const low = accuracies.length ? Math.max(0, Math.floor((Math.min(...accuracies) - 2) / 5) * 5) : 80;
  const { text, grid } = chartColours(dark);
  const font = chartFont(large);
  const margin = (last - first) * 0.03 + 0.25;
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    // Room for the latest values written right of the lines.
    layout: { padding: { right: large ? Math.round(56 * PRESENT_TEXT_SCALE) : 56, top: 8 } },
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: {
        type: 'linear',
        min: first - margin,
        max: last + margin,
        title: { display: true, text: 'epoch', color: text, font },
        ticks: {
          precision: 0,
          stepSize: last - first > 20 ? 5 : 1,
          includeBounds: false,
          color: text,
          font,
          callback: (value) => (value === -1 ? 'start' : value),
        },
        grid: { color: grid },
      },
      y: {
        type: 'linear',
        display: hasAccuracy || !hasCost,
        min: low,
        max: 100,
        title: { display: true, text: 'accuracy (%)', color: text, font },
        ticks: { callback: (v) => `${v}%`, includeBounds: false, color: text, font },
        grid: { color: grid },
      },
      cost: {
        type: 'linear',
        display: hasCost,
        position: 'right',
        min: 0,
        title: { display: true, text: 'cost (with the L2 term)', color: text, font },
        ticks: { color: text, font },
        grid: { drawOnChartArea: false },
      },
    },
    plugins: {
      legend: {
        position: 'bottom',
        labels: {
          color: text,
          // Each metric is its own line style (solid, dashed, dotted, dash-dot), and the legend draws the
          // line as the chart does, so four metrics of one run (one colour) are told apart here too.
          usePointStyle: true,
          pointStyle: 'line',
          pointStyleWidth: 30,
          // A phone's chart is narrow: smaller words, so no label runs off the canvas.
          font: (context) => chartFont(large, context.chart.width < 480 ? 10.5 : 12),
          filter: (item) => !BAND_EDGE.test(item.text),
          // On a phone a run's label keeps its name and network (`Run 1 test cost: 784-30-10`); its settings
          // are on its card and in the chart's table.
          generateLabels: (chart) =>
            ChartJS.defaults.plugins.legend.labels
              .generateLabels(chart)
              .map((item) => (chart.width < 480 ? { ...item, text: item.text.replace(/^(Run \d+[^:]*: [\d-]+), η=.*$/, '$1') } : item)),
        },
      },
      tooltip: {
        callbacks: {
          label: (item) => {
            const cost = (item.dataset as { yAxisID?: string }).yAxisID === 'cost';
            const within = (item.raw as ChartPoint).within;
            const value = `${item.dataset.label?.split(':')[0]}: ${(item.parsed.y ?? 0).toFixed(cost ? 4 : 2)}${cost ? '' : '%'}`;
            return within ? `${value} ${withinWords(within)}` : value;
          },
        },
      },
      // @ts-expect-error: the options of this file's own plugin, which Chart.js's types do not list
      latestLabels: { labels: latest, color: text, size: chartFont(large, 11).size },
    },
  };
}

/** The chart as a table: test accuracy per epoch (rows) of each visible trained run (columns), and the loaded models' figures. */
function AccuracyTable({ visible }: { visible: Run[] }) {
  const trained = visible.filter((run) => run.source === null);
  const loaded = visible.filter((run) => run.source !== null && run.accuracy.length);
  const epochs = Math.max(0, ...trained.map((run) => run.accuracy.length));
  return (
    <details className="chart-table">
      <summary>The chart as a table</summary>
      {trained.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Accuracy per epoch, scrollable">
          <table>
            <caption className="visually-hidden">Test accuracy per epoch, by run</caption>
            <thead>
              <tr>
                <th scope="col">Epoch</th>
                {trained.map((run) => (
                  <th scope="col" key={run.key}>
                    {run.name} ({describeConfig(run.sizes, run.config)})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: epochs }, (_, epoch) => (
                <tr key={epoch}>
                  <th scope="row">{epoch}</th>
                  {trained.map((run) => {
                    const point = run.accuracy.find((a) => a.epoch === epoch);
                    return <td key={run.key}>{point ? `${point.percent.toFixed(2)}%` : '—'}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <WithinTable runs={trained.filter((run) => run.within.length)} />
      {loaded.map((run) => (
        <p key={run.key} className="small">
          {run.name}, loaded from {run.source}: {run.accuracy[0].percent.toFixed(2)}%
        </p>
      ))}
      {!trained.length && !loaded.length && <p className="small muted">No runs on the chart yet.</p>}
    </details>
  );
}

/** The measurements within epochs (at a slow pace), run by run, as a table. */
function WithinTable({ runs }: { runs: Run[] }) {
  if (!runs.length) return null;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Test accuracy within epochs, scrollable">
      <table>
        <caption>Test accuracy within epochs (measured at a slow pace, and ten times an epoch for a chapter 6 network)</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Epoch</th>
            <th scope="col">Examples trained</th>
            <th scope="col">Test accuracy</th>
          </tr>
        </thead>
        <tbody>
          {runs.flatMap((run) =>
            run.within.map((p) => (
              <tr key={`${run.key}:${p.epoch}:${p.examples}`}>
                <th scope="row">{run.name}</th>
                <td>{p.epoch}</td>
                <td>
                  {p.examples.toLocaleString('en-US')} of {p.examplesTotal.toLocaleString('en-US')}
                </td>
                <td>
                  {p.percent.toFixed(2)}%{p.digits ? ` of the first ${p.digits.toLocaleString('en-US')}` : ''}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The chart in words: each visible run's latest figures. */
export function chartSummary(visible: Run[], shown: MetricSpec[], bands: Band[]): string {
  if (!visible.length && !bands.length) return 'No runs yet.';
  const bandLines = bands.flatMap((band) => {
    const i = band.mean.length - 1;
    if (i < 0) return [`${band.network}: ${band.seeds} seeds, no epoch yet`];
    const range = `${band.min[i].y.toFixed(2)}–${band.max[i].y.toFixed(2)}%`;
    // Only the runs that reached the epoch: an interrupted or still-training run is not counted there.
    const over =
      band.reached[i] === band.seeds ? `${band.seeds} seeds` : `${band.reached[i]} of ${band.seeds} seeds (the others have not reached it)`;
    return [`${band.network}: mean ${band.mean[i].y.toFixed(2)}% over ${over} (${range}) after epoch ${i}`];
  });
  const runLines = visible.map((run) => {
    const name = `${run.name} (${describeConfig(run.sizes, run.config, run.source)})`;
    const last = run.accuracy.at(-1);
    // Measured within the epoch under way, later than its last epoch's point.
    const latestWithin = run.within.at(-1);
    const since =
      latestWithin && latestWithin.epoch >= run.accuracy.length ? `${latestWithin.percent.toFixed(2)}% ${withinWords(latestWithin)}` : null;
    if (!last) return `${name}: ${since ?? 'no epoch yet'}`;
    const extras = shown
      .filter((m) => m.metric !== 'testAccuracy')
      .flatMap((m) => {
        const v = m.value(last);
        return v === null ? [] : [`${m.short} ${m.cost ? v.toFixed(4) : `${v.toFixed(2)}%`}`];
      });
    const epochText = `${last.percent.toFixed(2)}% after epoch ${last.epoch}${extras.length ? ` (${extras.join(', ')})` : ''}`;
    return `${name}: ${epochText}${since ? `, then ${since}` : ''}`;
  });
  return [...bandLines, ...runLines].join('; ');
}

const ChartView = memo(
  function ChartView({ visible, compared, colorOf, dark, large, metrics }: ViewProps) {
    const shown = METRICS.filter((m) => metrics.has(m.metric));
    const range = epochRange([...visible, ...compared]);
    const bands = metrics.has('testAccuracy') ? bandsOf(compared, colorOf) : [];
    const data = withBands(chartData(visible, shown, colorOf, range), bands);
    const options = chartOptions(data, range, dark, large);
    return (
      <figure className="chart">
        <div className="chart-box">
          <Line
            data={{ datasets: data.datasets }}
            options={options}
            plugins={[latestLabels]}
            role="img"
            aria-label="Accuracy per epoch"
            aria-describedby="chart-summary"
          />
        </div>
        <figcaption id="chart-summary" className="visually-hidden">
          {chartSummary(visible, shown, bands)}
        </figcaption>
        <AccuracyTable visible={visible} />
      </figure>
    );
  },
  (before, after) =>
    before.signature === after.signature && before.dark === after.dark && before.large === after.large && before.colorOf === after.colorOf,
);

/** The toggles for the chart's series. */
export function MetricToggles({ metrics, onToggle }: { metrics: ReadonlySet<Metric>; onToggle(metric: Metric): void }) {
  return (
    <fieldset className="metric-toggles">
      <legend className="visually-hidden">Show on the chart</legend>
      {METRICS.map(({ metric, label }) => (
        <label className="check" key={metric}>
          <input type="checkbox" checked={metrics.has(metric)} onChange={() => onToggle(metric)} />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
