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
import type { SpeedPoint } from '../runs/keeping/kept-schema';
import { speedAt } from '../runs/run-state';
import { chartColours, chartFont } from './look';

ChartJS.register(LogarithmicScale, LinearScale, CategoryScale, PointElement, LineElement, Legend, Tooltip);

const CHAPTER_5 = 'http://neuralnetworksanddeeplearning.com/chap5.html';
/** One colour per hidden layer, first to last (light to dark: the first learns slowest). */
const LAYER_COLOURS = ['#e377c2', '#ff7f0e', '#2ca02c', '#1f77b4', '#9467bd'];

/** network2.py's settings in chapter 5's deep-network runs: λ = 5.0, η = 0.1, mini-batch 10, 30 epochs. */
export function chapter5Config(hidden: number[]): TrainConfig {
  return { ...DEFAULT_CONFIG, hidden, cost: 'cross-entropy', init: 'scaled', lambda: 5, eta: 0.1, epochs: 30 };
}

/** Mini-batches trained when `s` was measured within the first epoch (null for the start and epoch ends). */
const batchesAt = (s: SpeedPoint, miniBatchSize: number): number | null => (s.examples === undefined ? null : s.examples / miniBatchSize);
const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 'es'}`;
function pointName(s: SpeedPoint, miniBatchSize: number): string {
  const batches = batchesAt(s, miniBatchSize);
  if (batches !== null) return `after ${plural(batches, 'mini-batch')} of epoch ${s.epoch}`;
  return s.epoch < 0 ? 'start' : `after epoch ${s.epoch}`;
}
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
            {[...run.speeds]
              .sort((a, b) => speedAt(a) - speedAt(b))
              .map((s) => (
                <tr key={speedAt(s)}>
                  <th scope="row">{pointName(s, run.config.miniBatchSize)}</th>
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

/** One line per hidden layer through `points` (x, then each layer's length), on a log scale of speed. */
function SpeedLines({
  label,
  describedBy,
  layers,
  points,
  x,
  dark,
  large,
}: {
  label: string;
  describedBy: string;
  layers: number;
  points: { x: number; lengths: number[] }[];
  x: { type: 'linear' | 'logarithmic'; min: number; max: number; title: string; tick: (v: number) => string | number };
  dark: boolean;
  large: boolean;
}) {
  const { text, grid } = chartColours(dark);
  const font = chartFont(large);
  const datasets = Array.from({ length: layers }, (_, l) => ({
    label: `hidden layer ${l + 1}`,
    data: points.map((p) => ({ x: p.x, y: p.lengths[l] })),
    borderColor: LAYER_COLOURS[l % LAYER_COLOURS.length],
    backgroundColor: LAYER_COLOURS[l % LAYER_COLOURS.length],
    borderWidth: 2,
    pointRadius: points.length > 40 ? 0 : 2.5,
  }));
  return (
    <div className="chart-box speed-box">
      <Line
        data={{ datasets }}
        role="img"
        aria-label={label}
        aria-describedby={describedBy}
        options={{
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          parsing: false,
          scales: {
            x: {
              // Chart.js types a scale's options by one scale type; linear and logarithmic take the same fields here.
              type: x.type as 'linear',
              min: x.min,
              max: x.max,
              title: { display: true, text: x.title, color: text, font },
              ticks: { precision: 0, color: text, font, maxRotation: 0, callback: (v) => x.tick(Number(v)) },
              grid: { color: grid },
            },
            y: {
              type: 'logarithmic',
              title: { display: true, text: '‖∂C/∂b‖ (log scale)', color: text, font },
              ticks: { color: text, font },
              grid: { color: grid },
            },
          },
          plugins: { legend: { position: 'bottom', labels: { color: text, font } } },
        }}
      />
    </div>
  );
}

/** Each layer's speed at `s`, and how many times the last's is the first's. */
function speedWords(s: SpeedPoint, miniBatchSize: number): string {
  const layers = s.lengths.length;
  return (
    `${pointName(s, miniBatchSize)}: ${s.lengths.map((v, l) => `hidden layer ${l + 1} ${speedText(v)}`).join(', ')}` +
    (s.lengths[0] > 0
      ? `; the last hidden layer learns ${(s.lengths[layers - 1] / s.lengths[0]).toFixed(1)} times as fast as the first`
      : '')
  );
}

/** How many times as fast as the first hidden layer the last learns at `s`. */
const ratio = (s: SpeedPoint): number => s.lengths[s.lengths.length - 1] / s.lengths[0];

/** How the gap between the first and last hidden layers changes over `points` (the ones measured), in words. */
function ratioWords(points: (SpeedPoint | undefined)[], miniBatchSize: number): string {
  const parts = points.flatMap((s) =>
    s && s.lengths[0] > 0 ? [`${ratio(s).toFixed(1)} ${s.epoch < 0 ? 'at the start' : pointName(s, miniBatchSize)}`] : [],
  );
  if (!parts.length) return '';
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  return `How many times as fast as the first the last hidden layer learns: ${listed}.`;
}

/** Log-scale ticks of mini-batches: 1, 10, 100, … and the epoch's end. */
const batchTick = (batchesPerEpoch: number) => (v: number) =>
  v === batchesPerEpoch || Math.log10(v) % 1 === 0 ? v.toLocaleString('en-US') : '';

/** The charts, their words and table, for run `run` (two or more hidden layers). */
function Speeds({ run, dark, large }: { run: Run; dark: boolean; large: boolean }) {
  const layers = run.sizes.length - 2;
  const { miniBatchSize } = run.config;
  const epochs = run.speeds.filter((s) => s.examples === undefined).sort((a, b) => a.epoch - b.epoch);
  // The first epoch on its own, mini-batch by mini-batch (log scale): its marks, then its end.
  const firstEnd = epochs.find((s) => s.epoch === 0);
  const marks = run.speeds.filter((s) => s.examples !== undefined && s.epoch === 0).sort((a, b) => speedAt(a) - speedAt(b));
  const batchesPerEpoch = Math.ceil((marks[0]?.examplesTotal ?? run.config.trainingExamples) / miniBatchSize);
  const firstEpoch = [
    ...marks.map((s) => ({ x: batchesAt(s, miniBatchSize)!, lengths: s.lengths })),
    ...(firstEnd ? [{ x: batchesPerEpoch, lengths: firstEnd.lengths }] : []),
  ];
  const start = epochs.find((s) => s.epoch < 0);
  const latest = [...run.speeds].sort((a, b) => speedAt(a) - speedAt(b)).at(-1);
  const lastMark = marks.at(-1);
  return (
    <>
      <SpeedLines
        label="Learning speed per layer"
        describedBy="speed-summary"
        layers={layers}
        points={epochs.map((s) => ({ x: s.epoch, lengths: s.lengths }))}
        x={{ type: 'linear', min: -1, max: Math.max(1, run.config.epochs - 1), title: 'epoch', tick: (v) => (v === -1 ? 'start' : v) }}
        dark={dark}
        large={large}
      />
      <p id="speed-summary" className="small">
        {latest ? `${run.name} ${speedWords(latest, miniBatchSize)}.` : `${run.name}: no measurement yet.`}
      </p>
      {firstEpoch.length > 1 && (
        <>
          <h4 className="speed-first-title">The first epoch, mini-batch by mini-batch</h4>
          <SpeedLines
            label="Learning speed in the first epoch"
            describedBy="speed-first-summary"
            layers={layers}
            points={firstEpoch}
            x={{
              type: 'logarithmic',
              min: 1,
              max: batchesPerEpoch,
              title: 'mini-batches of epoch 0 (log scale)',
              tick: batchTick(batchesPerEpoch),
            }}
            dark={dark}
            large={large}
          />
          <p id="speed-first-summary" className="small">
            {ratioWords([start, lastMark, firstEnd], miniBatchSize)}
          </p>
        </>
      )}
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
  large = false,
  onStart,
}: {
  run: Run | null;
  dark: boolean;
  /** Presenting: the canvas's words larger. */
  large?: boolean;
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
        <Speeds run={run} dark={dark} large={large} />
      ) : (
        <p className="small">
          {deep ? `${run.name} has no measurement yet.` : 'Select or train a network with two or more hidden layers to see it here.'}
        </p>
      )}
      <p className="small">
        <button type="button" onClick={() => onStart(chapter5Config([30, 30, 30]))}>
          Train [784, 30, 30, 30, 10] as chapter 5 does
        </button>{' '}
        <button type="button" onClick={() => onStart({ ...chapter5Config([30, 30, 30]), init: 'large' })}>
          The same from N(0, 1) weights
        </button>
      </p>
      <p className="small muted">
        Chapter 5 traces the gap to a product of terms w·σ′(z) from layer to layer: σ′ is at most ¼, so with network2’s small N(0, 1/√n)
        weights each term shrinks the gradient. Chapter 1’s larger N(0, 1) weights offset part of it: at the start the last hidden layer
        learns 5–10 times as fast as the first instead of 17–25 (seeds 1–3), and after 30 epochs both reach about 96.3% here. Larger weights
        are no cure either: the book shows how they can make the gradient explode instead, and how saturated neurons (σ′ near 0) learn
        slowly; chapter 6 turns to other neurons.
      </p>
    </section>
  );
});
