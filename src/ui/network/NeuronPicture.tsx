/** One hidden neuron's 784 input weights (or a change to them) as a 28 × 28 picture: red positive, blue negative. */
import { useEffect, useRef } from 'react';
import { IMAGE_SIDE } from '../../nn/mnist-shape';
import { drawNeuron } from '../inspector/WeightMaps';

/** Row `row` of `weights` (784 values a row), drawn; `label` names it for a screen reader. */
export function NeuronPicture({ weights, row, label }: { weights: Float32Array; row: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) drawNeuron(ctx, weights, row);
  }, [weights, row]);
  return <canvas ref={ref} width={IMAGE_SIDE} height={IMAGE_SIDE} className="weight-image" role="img" aria-label={label} />;
}
