/**
 * The Network region: the selected run's layers for one digit (the viewer's, or the pad's drawing): the
 * input image, every hidden neuron lit by its activation, the ten outputs, and the connections from the
 * last hidden layer to the outputs (red positive, blue negative, stronger for larger weights). It follows
 * the run as it trains, a few times a second at most (a slow pace or a pause shows the network mid-epoch).
 * Hover or tap a first-layer neuron, or pick it by number, for its weight image and bias.
 */
import { memo, useId, useMemo, useState, useSyncExternalStore } from 'react';
import type { ModelParameters } from '../../worker/protocol';
import { DigitCanvas } from '../app/DigitCanvas';
import type { Run } from '../runs/run';
import { activationsOf } from './forward';
import { ConvolutionalLayers } from './ConvolutionalLayers';
import type { FocusDigit } from './focus-digit';
import { isConvolutional, multilayerOf } from '../../nn/any-model';
import { StepView } from './StepView';
import { NeuronPicture } from './NeuronPicture';
import { REDRAW_MS, useThrottled } from './use-throttled';

export type { FocusDigit };

/**
 * The drawing's plan, in its own units: wide on a laptop; on a phone narrower and taller, so that scaled
 * to the screen its words stay about 13 px (the wide plan would shrink them to 8).
 */
interface Layout {
  width: number;
  height: number;
  /** The input picture's side. */
  input: number;
  /** Where the hidden layers sit between the input picture and the outputs. */
  hiddenFrom: number;
  hiddenTo: number;
  outputX: number;
}
const WIDE: Layout = { width: 660, height: 400, input: 112, hiddenFrom: 150, hiddenTo: 470, outputX: 560 };
const NARROW: Layout = { width: 400, height: 420, input: 84, hiddenFrom: 140, hiddenTo: 240, outputX: 300 };
/** Room above the neurons for each layer's name and size, on two lines. */
const TOP = 40;

/** A layer's name over it, centred: `hidden` and, below, `(30)`. */
function LayerName({ x, name, size }: { x: number; name: string; size: number }) {
  return (
    <text x={x} y={TOP - 24} textAnchor="middle" className="layer-name">
      <tspan>{name}</tspan>
      <tspan x={x} dy={15}>
        ({size})
      </tspan>
    </text>
  );
}

/** Whether the screen is a phone's (the layout's one-column, phone-size break). */
function useNarrow(): boolean {
  const query = '(max-width: 480px)';
  return useSyncExternalStore(
    (changed) => {
      const list = matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => matchMedia(query).matches,
  );
}

/** A neuron's place and size in the drawing. */
interface Spot {
  x: number;
  y: number;
  size: number;
}

/** The places of a layer of `n` neurons around `x`: one column (chapter 1's 30 too), or a block of columns when they are many. */
function layerSpots(n: number, x: number, height: number): Spot[] {
  const rows = n <= 32 ? n : 25;
  const columns = Math.ceil(n / rows);
  const size = Math.min(14, (height - 2 * TOP) / rows - 2);
  const pitch = size + 2;
  const top = TOP + (height - 2 * TOP - rows * pitch) / 2;
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

/** The drawing itself: redrawn only when the network, the digit or the picked neuron changes, not on a run's progress. */
const Diagram = memo(function Diagram({
  parameters,
  digit,
  layers,
  picked,
  onPick,
}: {
  parameters: ModelParameters;
  digit: FocusDigit;
  /** The digit's activations in every layer (forward.ts), input to output. */
  layers: Float32Array[];
  picked: number;
  onPick(neuron: number): void;
}) {
  const { width, height, input, hiddenFrom, hiddenTo, outputX } = useNarrow() ? NARROW : WIDE;
  const hidden = layers.slice(1, -1);
  const output = layers.at(-1)!;
  const answer = output.indexOf(Math.max(...output));
  const step = hidden.length > 1 ? (hiddenTo - hiddenFrom) / (hidden.length - 1) : 0;
  const spots = hidden.map((a, l) => layerSpots(a.length, hidden.length > 1 ? hiddenFrom + l * step : (hiddenFrom + hiddenTo) / 2, height));
  const outputs = Array.from({ length: 10 }, (_, d) => ({ x: outputX, y: TOP + 12 + d * ((height - 2 * TOP - 24) / 9), size: 22 }));
  const last = spots.at(-1)!;
  const w = parameters.weights.at(-1)!;
  let largest = 1e-9;
  for (let i = 0; i < w.length; i++) largest = Math.max(largest, Math.abs(w[i]));
  const fromCount = last.length;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="network-diagram"
      role="img"
      aria-label={`${parameters.sizes.join('-')} reading ${digit.name}: it answers ${answer}`}
    >
      <LayerName x={10 + input / 2} name="input" size={parameters.sizes[0]} />
      <foreignObject x={10} y={height / 2 - input / 2} width={input} height={input}>
        <DigitCanvas pixels={digit.pixels} label={digit.name} size={input} />
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
          <LayerName x={(layer[0].x + layer.at(-1)!.x) / 2} name="hidden" size={layer.length} />
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
      <LayerName x={outputX} name="output" size={10} />
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
});

export const NetworkDiagram = memo(function NetworkDiagram({ run, digit }: { run: Run | null; digit: FocusDigit | null }) {
  const id = useId();
  /** Drawn, or folded away (then nothing is computed for it while a run trains). */
  const [shown, setShown] = useState(true);
  // A run at a slow pace or paused shows its network as it is now; otherwise its last epoch's.
  const latest = run?.live ?? run?.parameters ?? null;
  const now = useThrottled(shown ? latest : null, REDRAW_MS);
  const [picked, setPicked] = useState(0);
  const convolutional = now && isConvolutional(now) ? now : null;
  const multilayer = multilayerOf(now);
  const firstLayer = multilayer?.sizes[1] ?? 0;
  const neuron = Math.min(picked, Math.max(0, firstLayer - 1));
  // Once per redraw: the drawing and the neuron's words share them.
  const layers = useMemo(() => (shown && multilayer && digit ? activationsOf(multilayer, digit.input) : null), [shown, multilayer, digit]);
  let body;
  if (!shown) body = null;
  else if (!latest) body = <p className="muted">Train a run (or load a model) to see its network read a digit here.</p>;
  else if (!digit) body = <p className="muted">Pick a digit in the digit viewer, or draw one on the pad.</p>;
  else if (convolutional)
    body = (
      <>
        <ConvolutionalLayers parameters={convolutional} digit={digit} />
        {run?.lastStep && <StepView step={run.lastStep} miniBatchSize={run.config.miniBatchSize} />}
      </>
    );
  else if (!multilayer || !layers) body = null;
  else
    body = (
      <>
        <Diagram parameters={multilayer} digit={digit} layers={layers} picked={neuron} onPick={setPicked} />
        <div className="neuron-detail">
          <NeuronPicture weights={multilayer.weights[0]} row={neuron} label={`Input weights of hidden neuron ${neuron}`} />
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
            lights up to {layers[1][neuron].toFixed(2)} for this digit; its bias is {multilayer.biases[0][neuron].toFixed(2)}. Its 784 input
            weights, as a picture (red positive, blue negative), are what it looks for: σ(w·x + b) is large where the digit’s ink falls on
            red.
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
        {run && convolutional && digit
          ? `${run.name}${run.live ? ' as it is now' : run.accuracy.length ? ` after epoch ${run.accuracy.length - 1}` : ''} reading ${digit.name}: chapter 6’s layers, each feature map dark where it fires; the filters are what the first layer looks for, in every place of the image.`
          : run && now && digit
            ? `${run.name}${run.live ? ' as it is now' : run.accuracy.length ? ` after epoch ${run.accuracy.length - 1}` : ''} reading ${digit.name}: each hidden neuron shaded by how strongly it fires (black 1, white 0), and the last hidden layer’s weights to the ten outputs.`
            : 'The selected run’s layers for one digit.'}{' '}
        {convolutional ? (
          <a href="http://neuralnetworksanddeeplearning.com/chap6.html#introducing_convolutional_networks" target="_blank" rel="noreferrer">
            Chapter 6: convolutional networks
          </a>
        ) : (
          <a
            href="http://neuralnetworksanddeeplearning.com/chap1.html#the_architecture_of_neural_networks"
            target="_blank"
            rel="noreferrer"
          >
            Chapter 1: the architecture
          </a>
        )}
      </p>
      {body}
    </section>
  );
});
