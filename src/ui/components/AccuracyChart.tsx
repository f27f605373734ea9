/** Test accuracy per epoch, one line per visible run, in percent; a text alternative names the latest figures. */
import { memo, useDeferredValue } from 'react';
import { Line } from 'react-chartjs-2';
import { CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip, type ChartOptions } from 'chart.js';
import { describeConfig, type EpochPoint, type Run } from '../run';

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

ChartJS.register(LinearScale, CategoryScale, PointElement, LineElement, Legend, Tooltip);

interface Props {
  runs: Run[];
  colorOf(runId: number): string;
  dark: boolean;
  metrics: ReadonlySet<Metric>;
}

export function AccuracyChart({ runs, colorOf, dark, metrics }: Props) {
  const visible = runs.filter((run) => !run.hidden);
  // Progress events re-render the page many times a second; the chart changes only when an epoch ends.
  const signature = `${[...metrics].join(',')}|${visible.map((run) => `${run.id}:${run.accuracy.length}:${run.config.epochs}`).join('|')}`;
  // Drawing the chart is the page's biggest piece of work (no GPU here): defer it to its own task, so
  // it never adds to the render that handles a worker's message.
  const deferred = useDeferredValue({ signature, visible, metrics });
  return <ChartView signature={deferred.signature} visible={deferred.visible} colorOf={colorOf} dark={dark} metrics={deferred.metrics} />;
}

interface ViewProps {
  signature: string;
  visible: Run[];
  colorOf(runId: number): string;
  dark: boolean;
  metrics: ReadonlySet<Metric>;
}

type MetricSpec = (typeof METRICS)[number];

/** One line per visible run and shown measurement (test accuracy always, so a run without epochs is in the legend). */
function chartData(visible: Run[], shown: MetricSpec[], colorOf: (runId: number) => string) {
  const series = visible.flatMap((run) =>
    shown.map((m) => ({
      run,
      m,
      points: run.accuracy.flatMap((a) => {
        const y = m.value(a);
        return y === null ? [] : [{ x: a.epoch, y }];
      }),
    })),
  );
  const datasets = series
    .filter((s) => s.points.length || s.m.metric === 'testAccuracy')
    .map(({ run, m, points }) => ({
      label: `${run.name}${m.metric === 'testAccuracy' ? '' : ` ${m.short}`}: ${describeConfig(run.sizes, run.config, run.source)}`,
      data: points,
      yAxisID: m.cost ? 'cost' : 'y',
      borderColor: colorOf(run.id),
      backgroundColor: colorOf(run.id),
      borderDash: m.dash,
      pointRadius: points.length > 40 ? 0 : 2.5,
      borderWidth: 2,
      tension: 0.15,
    }));
  const accuracies = series.filter((s) => !s.m.cost).flatMap((s) => s.points.map((p) => p.y));
  return { datasets, accuracies };
}

/** Axes from 0 to the longest run's last epoch, accuracy from the nearest 5% below the lowest point, cost on the right. */
function chartOptions({ datasets, accuracies }: ReturnType<typeof chartData>, maxEpochs: number, dark: boolean): ChartOptions<'line'> {
  const hasCost = datasets.some((d) => d.yAxisID === 'cost');
  const hasAccuracy = datasets.some((d) => d.yAxisID === 'y');
  const low = accuracies.length ? Math.max(0, Math.floor(Math.min(...accuracies) / 5) * 5) : 80;
  const grid = dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.08)';
  const text = dark ? '#c9d1d9' : '#3b4252';
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: {
        type: 'linear',
        min: 0,
        max: maxEpochs - 1,
        title: { display: true, text: 'epoch', color: text },
        ticks: { precision: 0, color: text },
        grid: { color: grid },
      },
      y: {
        type: 'linear',
        display: hasAccuracy || !hasCost,
        min: low,
        max: 100,
        title: { display: true, text: 'accuracy (%)', color: text },
        ticks: { callback: (v) => `${v}%`, color: text },
        grid: { color: grid },
      },
      cost: {
        type: 'linear',
        display: hasCost,
        position: 'right',
        min: 0,
        title: { display: true, text: 'cost (with the L2 term)', color: text },
        ticks: { color: text },
        grid: { drawOnChartArea: false },
      },
    },
    plugins: {
      legend: { position: 'bottom', labels: { color: text, boxWidth: 14 } },
      tooltip: {
        callbacks: {
          label: (item) => {
            const cost = (item.dataset as { yAxisID?: string }).yAxisID === 'cost';
            return `${item.dataset.label?.split(':')[0]}: ${(item.parsed.y ?? 0).toFixed(cost ? 4 : 2)}${cost ? '' : '%'}`;
          },
        },
      },
    },
  };
}

/** The chart in words: each visible run's latest figures. */
function chartSummary(visible: Run[], shown: MetricSpec[]): string {
  if (!visible.length) return 'No runs yet.';
  return visible
    .map((run) => {
      const name = `${run.name} (${describeConfig(run.sizes, run.config, run.source)})`;
      const last = run.accuracy.at(-1);
      if (!last) return `${name}: no epoch yet`;
      const extras = shown
        .filter((m) => m.metric !== 'testAccuracy')
        .flatMap((m) => {
          const v = m.value(last);
          return v === null ? [] : [`${m.short} ${m.cost ? v.toFixed(4) : `${v.toFixed(2)}%`}`];
        });
      return `${name}: ${last.percent.toFixed(2)}% after epoch ${last.epoch}${extras.length ? ` (${extras.join(', ')})` : ''}`;
    })
    .join('; ');
}

const ChartView = memo(
  function ChartView({ visible, colorOf, dark, metrics }: ViewProps) {
    const shown = METRICS.filter((m) => metrics.has(m.metric));
    const data = chartData(visible, shown, colorOf);
    const options = chartOptions(data, Math.max(1, ...visible.map((run) => run.config.epochs)), dark);
    return (
      <figure className="chart">
        <div className="chart-box">
          <Line
            data={{ datasets: data.datasets }}
            options={options}
            role="img"
            aria-label="Accuracy per epoch"
            aria-describedby="chart-summary"
          />
        </div>
        <figcaption id="chart-summary" className="visually-hidden">
          {chartSummary(visible, shown)}
        </figcaption>
      </figure>
    );
  },
  (before, after) => before.signature === after.signature && before.dark === after.dark && before.colorOf === after.colorOf,
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
