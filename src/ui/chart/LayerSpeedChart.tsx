/**
 * Chapter 5's picture: how fast each hidden layer of a deep network learns, ‖∂C/∂bˡ‖ over the first 1,000
 * training images, before training and after each epoch, on a log scale; with its table, the book's figures,
 * and a run of the book's deep network one click away.
 */
import { memo } from 'react';
import { Line } from 'react-chartjs-2';
import { CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import { DEFAULT_CONFIG, type TrainConfig } from '../../nn/config';
import type { Run } from '../runs/run';

ChartJS.register(LogarithmicScale, LinearScale, CategoryScale, PointElement, LineElement, Legend, Tooltip);

const CHAPTER_5 = 'http://neuralnetworksanddeeplearning.com/chap5.html';
/** One colour per hidden layer, first to last (light to dark: the first learns slowest). */
const LAYER_COLOURS = ['#e377c2', '#ff7f0e', '#2ca02c', '#1f77b4', '#9467bd'];

/** network2.py's settings in chapter 5's deep-network runs: λ = 5.0, η = 0.1, mini-batch 10, 30 epochs. */
export function chapter5Config(hidden: number[]): TrainConfig {
  return { ...DEFAULT_CONFIG, hidden, cost: 'cross-entropy', init: 'scaled', lambda: 5, eta: 0.1, epochs: 30 };
}

const epochName = (epoch: number): string => (epoch < 0 ? 'start' : `after epoch ${epoch}`);
const speedText = (v: number): string => (v >= 0.01 ? v.toFixed(3) : v.toExponential(2));

function SpeedTable({ run }: { run: Run }) {
  const layers = run.sizes.length - 2;
  return (
    <details className="chart-table">
      <summary>The speeds as a table</summary>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Learning speed per layer, scrollable">
        <table className="numbers">
          <caption>‖∂C/∂b‖ of each hidden layer over the first 1,000 training images</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              {Array.from({ length: layers }, (_, l) => (
                <th scope="col" key={l}>
                  Hidden layer {l + 1}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {run.speeds.map((s) => (
              <tr key={s.epoch}>
                <th scope="row">{epochName(s.epoch)}</th>
                {s.lengths.map((v, l) => (
                  <td key={l}>{speedText(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The chart, its words and table, for run `run` (two or more hidden layers). */
function Speeds({ run, dark }: { run: Run; dark: boolean }) {
  const layers = run.sizes.length - 2;
  const text = dark ? '#c9d1d9' : '#3b4252';
  const grid = dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.08)';
  const datasets = Array.from({ length: layers }, (_, l) => ({
    label: `hidden layer ${l + 1}`,
    data: run.speeds.map((s) => ({ x: s.epoch, y: s.lengths[l] })),
    borderColor: LAYER_COLOURS[l % LAYER_COLOURS.length],
    backgroundColor: LAYER_COLOURS[l % LAYER_COLOURS.length],
    borderWidth: 2,
    pointRadius: run.speeds.length > 40 ? 0 : 2.5,
  }));
  const latest = run.speeds.at(-1);
  const words = latest
    ? `${run.name} ${epochName(latest.epoch)}: ${latest.lengths.map((v, l) => `hidden layer ${l + 1} ${speedText(v)}`).join(', ')}` +
      (latest.lengths[0] > 0
        ? `; the last hidden layer learns ${(latest.lengths[layers - 1] / latest.lengths[0]).toFixed(1)} times as fast as the first.`
        : '.')
    : `${run.name}: no measurement yet.`;
  return (
    <>
      <div className="chart-box speed-box">
        <Line
          data={{ datasets }}
          role="img"
          aria-label="Learning speed per layer"
          aria-describedby="speed-summary"
          options={{
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            parsing: false,
            scales: {
              x: {
                type: 'linear',
                min: -1,
                max: Math.max(1, run.config.epochs - 1),
                title: { display: true, text: 'epoch', color: text },
                ticks: { precision: 0, color: text, callback: (v) => (v === -1 ? 'start' : v) },
                grid: { color: grid },
              },
              y: {
                type: 'logarithmic',
                title: { display: true, text: '‖∂C/∂b‖ (log scale)', color: text },
                ticks: { color: text },
                grid: { color: grid },
              },
            },
            plugins: { legend: { position: 'bottom', labels: { color: text } } },
          }}
        />
      </div>
      <p id="speed-summary" className="small">
        {words}
      </p>
      <SpeedTable run={run} />
    </>
  );
}

/**
 * The speed of learning per layer for the selected run when it is deep; otherwise what chapter 5 shows and
 * a way to train its network.
 */
export const LayerSpeedChart = memo(function LayerSpeedChart({
  run,
  dark,
  onStart,
}: {
  run: Run | null;
  dark: boolean;
  onStart(config: TrainConfig): void;
}) {
  const deep = run !== null && run.sizes.length >= 4 && run.source === null;
  return (
    <section className="layer-speeds" aria-labelledby="speed-title">
      <h3 id="speed-title">Why deep networks learn slowly</h3>
      <p className="small muted">
        How fast each hidden layer learns: the length of the cost’s gradient with respect to its biases, over the first 1,000 training
        images. In a deep sigmoid network the early layers learn many times slower than the late ones, the vanishing gradient of{' '}
        <a href={CHAPTER_5} target="_blank" rel="noreferrer">
          chapter 5
        </a>
        . The book’s runs (network2, λ = 5.0, η = 0.1, 30 epochs): [784, 30, 30, 10] 96.90%, [784, 30, 30, 30, 10] 96.57%, [784, 30, 30, 30,
        30, 10] 96.53%, no better than one hidden layer’s 96.48%.
      </p>
      {deep && run.speeds.length > 0 ? (
        <Speeds run={run} dark={dark} />
      ) : (
        <p className="small">
          {deep ? `${run.name} has no measurement yet.` : 'Select or train a network with two or more hidden layers to see it here.'}{' '}
          <button type="button" onClick={() => onStart(chapter5Config([30, 30, 30]))}>
            Train [784, 30, 30, 30, 10] as chapter 5 does
          </button>
        </p>
      )}
    </section>
  );
});
