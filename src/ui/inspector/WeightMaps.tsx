/**
 * Inside the network: each first-layer hidden neuron's 784 input weights as a 28 × 28 heat map, redrawn
 * as the run trains (each epoch; a few times a second at a slow pace). For a run trained here from its
 * seed they can also show where the weights started and what training changed, with a sentence on why
 * chapter 1's N(0, 1) start looks like noise; a click opens a neuron large.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { multilayerOf } from '../../nn/any-model';
import type { Network3Parameters } from '../../nn/network3/layers';
import type { Remote } from '../platform/worker-client';
import type { InspectingApi, ModelParameters } from '../../worker/protocol';
import type { TrainConfig } from '../../nn/config';
import { IMAGE_SIDE, INPUTS } from '../../nn/mnist-shape';
import type { Run } from '../runs/run';
import { movedShare, neuronWeights, rangeOf, typicalMovedShare, WEIGHT_VIEWS, weightColours, type WeightView } from './weight-images';

/** At most this many neurons are drawn (the first ones); 100 fit a laptop screen. */
const MAX_NEURONS = 100;

/** Draw hidden neuron `neuron`'s 784 input weights (a row of `weights`) into `ctx` as a 28 × 28 picture. */
export function drawNeuron(ctx: CanvasRenderingContext2D, weights: Float32Array, neuron: number): void {
  paint(ctx, weights.subarray(neuron * INPUTS, (neuron + 1) * INPUTS));
}

function paint(ctx: CanvasRenderingContext2D, row: Float32Array): void {
  const image = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  image.data.set(weightColours(row));
  ctx.putImageData(image, 0, 0);
}

/** `12%`; below one percent with a decimal, so a small move never reads as nothing. */
const percentText = (share: number): string => `${(share * 100).toFixed(share < 0.01 ? 2 : 0)}%`;

/**
 * The first-layer weights run `run` started from, when it started from its seed here (a loaded or
 * fine-tuned network did not), asked of the inspecting worker once per network and seed.
 */
function useStartingWeights(api: Remote<InspectingApi> | null, run: Run | null): Float32Array | null {
  const known = run !== null && run.config.kind === 'mlp' && run.source === null && run.tuning === null && run.startedFrom === null;
  const key = known ? `${run.sizes.join('-')}|${run.config.seed}|${run.config.init}` : null;
  const [start, setStart] = useState<{ key: string; weights: Float32Array } | null>(null);
  const sizes = run?.sizes;
  const seed = run?.config.seed;
  const init = run?.config.init;
  useEffect(() => {
    if (!api || !key || !sizes || seed === undefined || !init) return;
    let current = true;
    api.startingWeights([...sizes], seed, init).then(
      (weights) => current && setStart({ key, weights }),
      // Without it the pictures show the weights as they are, as before.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api, key, sizes, seed, init]);
  return start && start.key === key ? start.weights : null;
}

/** One neuron's picture in `view`; redrawn when its weights change. */
function NeuronCanvas({
  now,
  start,
  neuron,
  view,
  className,
  label,
}: {
  now: Float32Array;
  start: Float32Array | null;
  neuron: number;
  view: WeightView;
  className?: string;
  label?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) paint(ctx, neuronWeights(now, start, neuron, view));
  }, [now, start, neuron, view]);
  return (
    <canvas
      ref={ref}
      width={IMAGE_SIDE}
      height={IMAGE_SIDE}
      className={className}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    />
  );
}

/** Why the pictures look as they do, from how the run started and how far training has moved it. */
function WhyTheyLook({ run, moved, onStart }: { run: Run; moved: number; onStart(config: TrainConfig): void }) {
  const chapter1 = run.config.init === 'large';
  const other: TrainConfig = { ...run.config, init: chapter1 ? 'scaled' : 'large' };
  return (
    <p className="why-weights small">
      {chapter1 ? (
        <>
          <strong>Why they look like noise:</strong> chapter 1 draws every weight from N(0, 1), and training has moved a typical neuron’s by{' '}
          {percentText(moved)} of their starting size,{' '}
          {moved < 1
            ? 'so each picture is still more its random start than what it learned'
            : 'so what it learned now outweighs its random start'}
          . “What training changed” shows what each neuron learned underneath. Chapter 3 draws them from N(0, 1/√784), 28 times smaller, so
          what training adds shows.
        </>
      ) : (
        <>
          <strong>Chapter 3’s start:</strong> every weight drawn from N(0, 1/√784), 28 times smaller than chapter 1’s N(0, 1). Training has
          moved a typical neuron’s by {percentText(moved)} of their starting size, so{' '}
          {moved > 1 ? 'each picture shows mostly what the neuron learned' : 'what they learn soon outweighs where they started'}.
        </>
      )}{' '}
      <a href="http://neuralnetworksanddeeplearning.com/chap3.html#weight_initialization" target="_blank" rel="noreferrer">
        Chapter 3: weight initialisation
      </a>{' '}
      <button type="button" className="link-button" onClick={() => onStart(other)}>
        Train {run.name}’s network with chapter {chapter1 ? 3 : 1}’s start
      </button>
    </p>
  );
}

/** Why a run's start cannot be shown: it was not drawn here from a seed. */
function StartUnknown({ run }: { run: Run }) {
  if (run.source !== null) return <p className="small muted">Where a loaded network’s weights started is not known.</p>;
  if (run.tuning) return <p className="small muted">It started from {run.tuning.from}’s weights.</p>;
  if (run.startedFrom) return <p className="small muted">It started from the weights of {run.startedFrom}.</p>;
  return null;
}

/** One neuron, large: its pictures side by side, its bias and range, how far it moved; previous and next. */
function NeuronDialog({
  run,
  now,
  parameters,
  start,
  neuron,
  neurons,
  onNeuron,
  onClose,
}: {
  run: Run;
  now: Float32Array;
  parameters: ModelParameters;
  start: Float32Array | null;
  neuron: number;
  neurons: number;
  onNeuron(neuron: number): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const [low, high] = rangeOf(neuronWeights(now, null, neuron, 'now'));
  const views = start ? WEIGHT_VIEWS : WEIGHT_VIEWS.slice(0, 1);
  return (
    <dialog ref={ref} className="neuron-dialog" aria-labelledby="neuron-dialog-title" onClose={onClose}>
      <h3 id="neuron-dialog-title">
        Hidden neuron {neuron} of {run.name}
      </h3>
      <div className="neuron-views">
        {views.map(({ view, label }) => (
          <figure key={view}>
            <NeuronCanvas now={now} start={start} neuron={neuron} view={view} label={`Hidden neuron ${neuron}: ${label.toLowerCase()}`} />
            <figcaption>{label}</figcaption>
          </figure>
        ))}
      </div>
      <p className="small">
        Bias {parameters.biases[0][neuron].toFixed(3)}; its 784 weights run from {low.toFixed(2)} to {high.toFixed(2)}
        {start ? `; training has moved them by ${percentText(movedShare(now, start, neuron))} of their starting size` : ''}. Each picture is
        scaled to its own largest weight: red positive, blue negative, white near zero.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={() => onNeuron((neuron + neurons - 1) % neurons)}>
          Previous neuron
        </button>
        <button type="button" onClick={() => onNeuron((neuron + 1) % neurons)}>
          Next neuron
        </button>
        <button type="button" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/**
 * What of a run the maps show: its network (as it is now, or its last epoch's) and how it started. A run's
 * progress changes it many times a second; the maps need not hear of it.
 */
function sameNetwork(before: { run: Run | null }, after: { run: Run | null }): boolean {
  const [a, b] = [before.run, after.run];
  if (!a || !b) return a === b;
  return (
    a.key === b.key &&
    a.live === b.live &&
    a.parameters === b.parameters &&
    a.name === b.name &&
    a.config === b.config &&
    a.source === b.source &&
    a.tuning === b.tuning &&
    a.startedFrom === b.startedFrom
  );
}

export const WeightMaps = memo(
  function WeightMaps({ run, api, onStart }: { run: Run | null; api: Remote<InspectingApi> | null; onStart(config: TrainConfig): void }) {
    // Mid-epoch at a slow pace or paused, the network as it is now; else its last epoch's.
    const model = run?.live ?? run?.parameters ?? null;
    const parameters = multilayerOf(model);
    const start = useStartingWeights(api, run);
    const [chosen, setView] = useState<WeightView>('now');
    const [open, setOpen] = useState<number | null>(null);
    const view = start ? chosen : 'now';
    if (run && model && !parameters) {
      return (
        <figure className="weight-maps" aria-label="First-layer weights">
          <figcaption>
            {run.name} is a chapter 6 network: its first layer is{' '}
            {`${(model as Network3Parameters).layers[0].kind === 'conv-pool' ? 'a set of 5 × 5 filters, each looking for one small feature in every place of the digit' : 'a fully connected layer'}`}
            . The Network region draws its filters and what they find in the chosen digit.
          </figcaption>
        </figure>
      );
    }
    if (!run || !parameters) {
      return (
        <figure className="weight-maps" aria-label="First-layer weights">
          <figcaption>Train a run to see what its hidden neurons look for.</figcaption>
        </figure>
      );
    }
    const now = parameters.weights[0];
    const hidden = parameters.sizes[1];
    const neurons = Math.min(MAX_NEURONS, hidden);
    const whose = neurons < hidden ? `the first ${neurons} of ${run.name}’s ${hidden}` : `each of ${run.name}’s ${neurons}`;
    return (
      <figure className="weight-maps" aria-label="First-layer weights">
        <figcaption>
          What {whose} hidden neurons looks for: its 784 input weights as a 28 × 28 picture, red positive, blue negative. Click one to see
          it large.
        </figcaption>
        {start && (
          <fieldset className="segmented weight-view">
            <legend>Show the weights</legend>
            {WEIGHT_VIEWS.map(({ view: v, label }) => (
              <label key={v}>
                <input type="radio" name="weight-view" value={v} checked={view === v} onChange={() => setView(v)} />
                {label}
              </label>
            ))}
          </fieldset>
        )}
        {start && <WhyTheyLook run={run} moved={typicalMovedShare(now, start, hidden)} onStart={onStart} />}
        {!start && <StartUnknown run={run} />}
        <div className="tiles">
          {Array.from({ length: neurons }, (_, j) => (
            <button
              key={j}
              type="button"
              className="tile"
              aria-label={`Weights of hidden neuron ${j}`}
              title="Open large"
              onClick={() => setOpen(j)}
            >
              <NeuronCanvas now={now} start={start} neuron={j} view={view} />
            </button>
          ))}
        </div>
        {open !== null && open < neurons && (
          <NeuronDialog
            run={run}
            now={now}
            parameters={parameters}
            start={start}
            neuron={open}
            neurons={neurons}
            onNeuron={setOpen}
            onClose={() => setOpen(null)}
          />
        )}
      </figure>
    );
  },
  (before, after) => before.api === after.api && before.onStart === after.onStart && sameNetwork(before, after),
);
