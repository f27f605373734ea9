/**
 * The Network region: the selected run's layers for one digit (the viewer's, or the pad's drawing): the
 * input image, every hidden neuron lit by its activation, the ten outputs, and the connections from the
 * last hidden layer to the outputs (red positive, blue negative, stronger for larger weights). It follows
 * the run as it trains, a few times a second at most (a slow pace or a pause shows the network mid-epoch).
 * Hover or tap a first-layer neuron, or pick it by number, for its weight image and bias.
 */
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ModelParameters } from '../../worker/protocol';
import { DigitCanvas } from '../app/DigitCanvas';
import type { Run } from '../runs/run';
import { activationsOf } from './forward';
import { StepView } from './StepView';
import { NeuronPicture } from './NeuronPicture';

/** The digit the diagram shows: its pixels (bytes, for the picture), the network's input, and what it is. */
export interface FocusDigit {
  pixels: Uint8Array;
  input: Float32Array;
  name: string;
}

/** How often the drawing follows a training run: a screen shows no more, and the page's thread stays free. */
const REDRAW_MS = 250;

/** `value`, changed at most every `ms` (the latest one wins). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    const timer = setTimeout(
      () => {
        last.current = performance.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}

const WIDTH = 660;
const HEIGHT = 380;
const TOP = 20;
/** Where the hidden layers sit between the input picture and the outputs. */
const HIDDEN_FROM = 150;
const HIDDEN_TO = 470;
const OUTPUT_X = 560;

/** A neuron's place and size in the drawing. */
interface Spot {
  x: number;
  y: number;
  size: number;
}

/** The places of a layer of `n` neurons around `x`: one column, or a block of columns when they are many. */
function layerSpots(n: number, x: number): Spot[] {
  const rows = Math.min(n, 25);
  const columns = Math.ceil(n / rows);
  const size = Math.min(14, (HEIGHT - 2 * TOP) / rows - 2);
  const pitch = size + 2;
  const top = TOP + (HEIGHT - 2 * TOP - rows * pitch) / 2;
  return Array.from({ length: n }, (_, j) => ({
    x: x + (Math.floor(j / rows) - (columns - 1) / 2) * pitch,
    y: top + (j % rows) * pitch + pitch / 2,
    size,
  }));
}

/** Grey for an activation: black at 1, white at 0 (as ink). */
const ink = (a: number): string => {
  const v = Math.round(255 * (1 - a));
  return `rgb(${v},${v},${v})`;
};

function Diagram({
  parameters,
  digit,
  picked,
  onPick,
}: {
  parameters: ModelParameters;
  digit: FocusDigit;
  picked: number;
  onPick(neuron: number): void;
}) {
  const layers = useMemo(() => activationsOf(parameters, digit.input), [parameters, digit]);
  const hidden = layers.slice(1, -1);
  const output = layers.at(-1)!;
  const answer = output.indexOf(Math.max(...output));
  const step = hidden.length > 1 ? (HIDDEN_TO - HIDDEN_FROM) / (hidden.length - 1) : 0;
  const spots = hidden.map((a, l) => layerSpots(a.length, hidden.length > 1 ? HIDDEN_FROM + l * step : (HIDDEN_FROM + HIDDEN_TO) / 2));
  const outputs = Array.from({ length: 10 }, (_, d) => ({ x: OUTPUT_X, y: TOP + 12 + d * ((HEIGHT - 2 * TOP - 24) / 9), size: 22 }));
  const last = spots.at(-1)!;
  const w = parameters.weights.at(-1)!;
  let largest = 1e-9;
  for (let i = 0; i < w.length; i++) largest = Math.max(largest, Math.abs(w[i]));
  const fromCount = last.length;
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="network-diagram"
      role="img"
      aria-label={`${parameters.sizes.join('-')} reading ${digit.name}: it answers ${answer}`}
    >
      <text x={10} y={TOP - 6} className="layer-name">
        input (784)
      </text>
      <foreignObject x={10} y={HEIGHT / 2 - 56} width={112} height={112}>
        <DigitCanvas pixels={digit.pixels} label={digit.name} size={112} />
      </foreignObject>
      {/* The last hidden layer's weights to each output: red positive, blue negative. */}
      <g className="connections">
        {outputs.map((o, d) =>
          last.map((h, j) => {
            const weight = w[d * fromCount + j];
            const strength = Math.abs(weight) / largest;
            return (
              <line
                key={`${d}-${j}`}
                x1={h.x + h.size / 2}
                y1={h.y}
                x2={o.x - o.size / 2}
                y2={o.y}
                stroke={weight >= 0 ? '#d62728' : '#1f77b4'}
                strokeOpacity={0.05 + 0.6 * strength}
                strokeWidth={0.4 + 1.6 * strength}
              />
            );
          }),
        )}
      </g>
      {spots.map((layer, l) => (
        <g key={l}>
          <text x={layer[0].x - 20} y={TOP - 6} className="layer-name">
            hidden ({layer.length})
          </text>
          {layer.map((s, j) => (
            <rect
              key={j}
              x={s.x - s.size / 2}
              y={s.y - s.size / 2}
              width={s.size}
              height={s.size}
              rx={s.size / 4}
              fill={ink(hidden[l][j])}
              className={l === 0 && j === picked ? 'neuron picked' : 'neuron'}
              onMouseEnter={l === 0 ? () => onPick(j) : undefined}
              onClick={l === 0 ? () => onPick(j) : undefined}
            >
              <title>{`hidden neuron ${j}: ${hidden[l][j].toFixed(2)}`}</title>
            </rect>
          ))}
        </g>
      ))}
      <text x={OUTPUT_X - 20} y={TOP - 6} className="layer-name">
        output
      </text>
      {outputs.map((o, d) => (
        <g key={d}>
          <circle cx={o.x} cy={o.y} r={o.size / 2} fill={ink(output[d])} className={d === answer ? 'neuron answer' : 'neuron'} />
          <text x={o.x + 18} y={o.y + 4} className={d === answer ? 'digit-name answer' : 'digit-name'}>
            {d} · {output[d].toFixed(2)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export const NetworkDiagram = memo(function NetworkDiagram({ run, digit }: { run: Run | null; digit: FocusDigit | null }) {
  const id = useId();
  /** Drawn, or folded away (then nothing is computed for it while a run trains). */
  const [shown, setShown] = useState(true);
  // A run at a slow pace or paused shows its network as it is now; otherwise its last epoch's.
  const latest = run?.live ?? run?.parameters ?? null;
  const now = useThrottled(shown ? latest : null, REDRAW_MS);
  const [picked, setPicked] = useState(0);
  const firstLayer = now?.sizes[1] ?? 0;
  const neuron = Math.min(picked, Math.max(0, firstLayer - 1));
  const first = useMemo(() => (shown && now && digit ? activationsOf(now, digit.input)[1] : null), [shown, now, digit]);
  let body;
  if (!shown) body = null;
  else if (!latest) body = <p className="muted">Train a run (or load a model) to see its network read a digit here.</p>;
  else if (!digit) body = <p className="muted">Pick a digit in the digit viewer, or draw one on the pad.</p>;
  else if (!now) body = null;
  else
    body = (
      <>
        <Diagram parameters={now} digit={digit} picked={neuron} onPick={setPicked} />
        <div className="neuron-detail">
          <NeuronPicture weights={now.weights[0]} row={neuron} label={`Input weights of hidden neuron ${neuron}`} />
          <p className="small">
            <label htmlFor={`${id}-neuron`}>Hidden neuron</label>{' '}
            <input
              id={`${id}-neuron`}
              type="number"
              min={0}
              max={firstLayer - 1}
              value={neuron}
              onChange={(event) => setPicked(Math.max(0, Math.min(firstLayer - 1, Number(event.target.value) || 0)))}
            />{' '}
            lights up to {first?.[neuron].toFixed(2)} for this digit; its bias is {now.biases[0][neuron].toFixed(2)}. Its 784 input weights,
            as a picture (red positive, blue negative), are what it looks for: σ(w·x + b) is large where the digit’s ink falls on red.
          </p>
        </div>
        {run?.lastStep && <StepView step={run.lastStep} miniBatchSize={run.config.miniBatchSize} />}
      </>
    );
  return (
    <section className="card network" role="region" aria-labelledby={`${id}-title`}>
      <div className="card-title">
        <h2 id={`${id}-title`}>Network</h2>
        <button type="button" aria-expanded={shown} onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide the drawing' : 'Show the drawing'}
        </button>
      </div>
      <p className="small muted">
        {run && now && digit
          ? `${run.name}${run.live ? ' as it is now' : run.accuracy.length ? ` after epoch ${run.accuracy.length - 1}` : ''} reading ${digit.name}: each hidden neuron shaded by how strongly it fires (black 1, white 0), and the last hidden layer’s weights to the ten outputs.`
          : 'The selected run’s layers for one digit.'}
      </p>
      {body}
    </section>
  );
});
