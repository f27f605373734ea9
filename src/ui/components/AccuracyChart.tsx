/** Test accuracy per epoch, one line per visible run, in percent; a text alternative names the latest figures. */
import { memo } from 'react';
import { Line } from 'react-chartjs-2';
import { CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip, type ChartOptions } from 'chart.js';
import { describeConfig, type Run } from '../run-state';

ChartJS.register(LinearScale, CategoryScale, PointElement, LineElement, Legend, Tooltip);

interface Props {
  runs: Run[];
  colorOf(runId: number): string;
  dark: boolean;
}

export function AccuracyChart({ runs, colorOf, dark }: Props) {
  const visible = runs.filter((run) => !run.hidden);
  // Progress events re-render the page many times a second; the chart changes only when an epoch ends.
  const signature = visible.map((run) => `${run.id}:${run.accuracy.length}:${run.config.epochs}`).join('|');
  return <ChartView signature={signature} visible={visible} colorOf={colorOf} dark={dark} />;
}

interface ViewProps {
  signature: string;
  visible: Run[];
  colorOf(runId: number): string;
  dark: boolean;
}

const ChartView = memo(
  function ChartView({ visible, colorOf, dark }: ViewProps) {
    const data = {
      datasets: visible.map((run) => ({
        label: `${run.name}: ${describeConfig(run.sizes, run.config)}`,
        data: run.accuracy.map((a) => ({ x: a.epoch, y: a.percent })),
        borderColor: colorOf(run.id),
        backgroundColor: colorOf(run.id),
        pointRadius: run.accuracy.length > 40 ? 0 : 2.5,
        borderWidth: 2,
        tension: 0.15,
      })),
    };
    const allPoints = visible.flatMap((run) => run.accuracy.map((a) => a.percent));
    const low = allPoints.length ? Math.max(0, Math.floor(Math.min(...allPoints) / 5) * 5) : 80;
    const maxEpochs = Math.max(1, ...visible.map((run) => run.config.epochs));
    const grid = dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.08)';
    const text = dark ? '#c9d1d9' : '#3b4252';
    const options: ChartOptions<'line'> = {
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
          min: low,
          max: 100,
          title: { display: true, text: 'test accuracy (%)', color: text },
          ticks: { callback: (v) => `${v}%`, color: text },
          grid: { color: grid },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: text, boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label?.split(':')[0]}: ${(item.parsed.y ?? 0).toFixed(2)}%` } },
      },
    };
    const summary = visible.length
      ? visible
          .map((run) => {
            const last = run.accuracy.at(-1);
            return `${run.name} (${describeConfig(run.sizes, run.config)}): ${last ? `${last.percent.toFixed(2)}% after epoch ${last.epoch}` : 'no epoch yet'}`;
          })
          .join('; ')
      : 'No runs yet.';
    return (
      <figure className="chart">
        <div className="chart-box">
          <Line data={data} options={options} role="img" aria-label="Accuracy per epoch" aria-describedby="chart-summary" />
        </div>
        <figcaption id="chart-summary" className="visually-hidden">
          {summary}
        </figcaption>
      </figure>
    );
  },
  (before, after) => before.signature === after.signature && before.dark === after.dark && before.colorOf === after.colorOf,
);
