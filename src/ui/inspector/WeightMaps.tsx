/**
 * Inside the network: each first-layer hidden neuron's 784 input weights as a 28 × 28 heat map
 * (blue negative, red positive, white near zero), redrawn as epochs end.
 */
import { useEffect, useRef, memo } from 'react';
import type { ModelParameters } from '../../worker/protocol';
import { IMAGE_SIDE, INPUTS } from '../../nn/mnist-shape';

/** At most this many neurons are drawn (the first ones); 100 fit a laptop screen. */
const MAX_NEURONS = 100;
const TILE = 56;

/** Draw hidden neuron `neuron`'s 784 input weights into `ctx` as a 28 × 28 picture, red positive, blue negative. */
export function drawNeuron(ctx: CanvasRenderingContext2D, weights: Float32Array, neuron: number): void {
  const row = weights.subarray(neuron * INPUTS, (neuron + 1) * INPUTS);
  let largest = 1e-9;
  for (let p = 0; p < INPUTS; p++) largest = Math.max(largest, Math.abs(row[p]));
  const image = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  for (let p = 0; p < INPUTS; p++) {
    const v = row[p] / largest;
    // Diverging colours around white: red for positive weights, blue for negative.
    const fade = Math.round(255 * (1 - Math.abs(v)));
    image.data.set(v >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255], p * 4);
  }
  ctx.putImageData(image, 0, 0);
}

export const WeightMaps = memo(function WeightMaps({
  parameters,
  runName,
}: {
  parameters: ModelParameters | null;
  runName: string | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const neurons = parameters ? Math.min(MAX_NEURONS, parameters.sizes[1]) : 0;
  useEffect(() => {
    if (!parameters || !ref.current) return;
    ref.current.querySelectorAll('canvas').forEach((canvas, j) => {
      const ctx = canvas.getContext('2d');
      if (ctx) drawNeuron(ctx, parameters.weights[0], j);
    });
  }, [parameters, neurons]);
  return (
    <figure className="weight-maps" aria-label="First-layer weights">
      <figcaption>
        {parameters
          ? `What ${neurons < parameters.sizes[1] ? `the first ${neurons} of ${runName}’s ${parameters.sizes[1]}` : `each of ${runName}’s ${neurons}`} ` +
            'hidden neurons looks for: its 784 input weights as a 28 × 28 picture, red positive, blue negative.'
          : 'Train a run to see what its hidden neurons look for.'}
      </figcaption>
      <div ref={ref} className="tiles">
        {Array.from({ length: neurons }, (_, j) => (
          <canvas
            key={j}
            width={IMAGE_SIDE}
            height={IMAGE_SIDE}
            style={{ width: TILE, height: TILE }}
            title={`hidden neuron ${j}`}
            role="img"
            aria-label={`Weights of hidden neuron ${j}`}
          />
        ))}
      </div>
    </figure>
  );
});
