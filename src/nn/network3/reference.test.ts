import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../data/source-node';
import { readInput } from '../math';
import { Rng } from '../rng';
import { initialParameters, MNIST_SHAPE, shapesOf, type Activation, type LayerSpec, type Network3Like } from './layers';
import { logLikelihood, referenceBackprop, referenceForward, type DropoutMasks } from './reference';

const mnist = loadMnist();
const digit = (i: number) => readInput(mnist.training, i, new Float32Array(784));

/** A small network of every kind of layer, in float64 (finite differences need the precision), with a softmax that is not all zero. */
function smallNetwork(activation: Activation, dropout: number): Network3Like {
  const layers: LayerSpec[] = [
    { kind: 'conv-pool', filters: 3, filterSize: 5, poolSize: 2, activation },
    { kind: 'conv-pool', filters: 4, filterSize: 5, poolSize: 2, activation },
    { kind: 'fully-connected', neurons: 12, activation, dropout },
    { kind: 'softmax', neurons: 10, dropout },
  ];
  const rng = new Rng(7);
  const parameters = initialParameters(MNIST_SHAPE, layers, rng).map(({ w, b }) => ({ w: Float64Array.from(w), b: Float64Array.from(b) }));
  // network3.py starts the softmax at zero; a random start checks its gradient in general.
  parameters[3].w.forEach((_, k) => (parameters[3].w[k] = rng.gaussian() * 0.3));
  return { input: MNIST_SHAPE, layers, parameters };
}

/** Keep-masks for the dropout layers, drawn once: the same masks in every pass of a finite difference. */
function masksFor(net: Network3Like, rng: Rng): DropoutMasks {
  const shapes = shapesOf(net.input, net.layers);
  return net.layers.map((layer, i) => {
    if (layer.kind === 'conv-pool' || layer.dropout === 0) return null;
    const size = shapes[i].channels * shapes[i].height * shapes[i].width;
    return Uint8Array.from({ length: size }, () => (rng.random() < layer.dropout ? 0 : 1));
  });
}

const H = 1e-6;

/** (C(θ + h) − C(θ − h)) / 2h for parameter `k` of `array`. */
function numerical(
  net: Network3Like,
  array: Float64Array | Float32Array,
  k: number,
  x: Float32Array,
  label: number,
  masks?: DropoutMasks,
): number {
  const kept = array[k];
  array[k] = kept + H;
  const plus = logLikelihood(referenceForward(net, x, masks).activations.at(-1)!, label);
  array[k] = kept - H;
  const minus = logLikelihood(referenceForward(net, x, masks).activations.at(-1)!, label);
  array[k] = kept;
  return (plus - minus) / (2 * H);
}

describe("chapter 6's oracle (network3.py, line by line)", () => {
  it('gives the shapes network3.py gives: 28 → 24 → 12 after one conv-pool layer of 5 × 5 and 2 × 2, 12 → 8 → 4 after a second', () => {
    const shapes = shapesOf(MNIST_SHAPE, [
      { kind: 'conv-pool', filters: 20, filterSize: 5, poolSize: 2, activation: 'relu' },
      { kind: 'conv-pool', filters: 40, filterSize: 5, poolSize: 2, activation: 'relu' },
      { kind: 'fully-connected', neurons: 100, activation: 'relu', dropout: 0 },
      { kind: 'softmax', neurons: 10, dropout: 0 },
    ]);
    expect(shapes.map((s) => [s.channels, s.height, s.width])).toEqual([
      [1, 28, 28],
      [20, 12, 12],
      [40, 4, 4],
      [100, 1, 1],
      [10, 1, 1],
    ]);
    expect(() => shapesOf(MNIST_SHAPE, [{ kind: 'fully-connected', neurons: 10, activation: 'sigmoid', dropout: 0 }])).toThrow(
      /ends in a softmax/,
    );
    expect(() =>
      shapesOf({ channels: 1, height: 5, width: 5 }, [
        { kind: 'conv-pool', filters: 2, filterSize: 5, poolSize: 2, activation: 'relu' },
        { kind: 'softmax', neurons: 10, dropout: 0 },
      ]),
    ).toThrow(/do not fit/);
  });

  it('outputs a probability for each digit that sums to 1', () => {
    const out = referenceForward(smallNetwork('sigmoid', 0), digit(0)).activations.at(-1)!;
    expect(out).toHaveLength(10);
    expect(out.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  for (const activation of ['sigmoid', 'tanh', 'relu'] as const) {
    for (const training of [false, true]) {
      it(`backprop agrees with finite differences in every layer: ${activation}, dropout 0.3 ${training ? 'with masks (training)' : 'scaled (evaluating)'}`, () => {
        const net = smallNetwork(activation, 0.3);
        const rng = new Rng(3);
        for (const example of [0, 1]) {
          const x = digit(example);
          const label = mnist.training.labels[example];
          const masks = training ? masksFor(net, rng) : undefined;
          const { nablaW, nablaB } = referenceBackprop(net, x, label, masks);
          net.parameters.forEach(({ w, b }, layer) => {
            // The weights of largest gradient and a few at random, and every bias of the first few.
            const order = [...nablaW[layer].keys()].sort((p, q) => Math.abs(nablaW[layer][q]) - Math.abs(nablaW[layer][p]));
            const picks = [...order.slice(0, 4), ...Array.from({ length: 4 }, () => rng.int(w.length))];
            for (const k of picks) {
              const expected = numerical(net, w, k, x, label, masks);
              expect(Math.abs(nablaW[layer][k] - expected), `layer ${layer + 1} w[${k}]`).toBeLessThan(1e-6 + 1e-5 * Math.abs(expected));
            }
            for (let k = 0; k < Math.min(b.length, 4); k++) {
              const expected = numerical(net, b, k, x, label, masks);
              expect(Math.abs(nablaB[layer][k] - expected), `layer ${layer + 1} b[${k}]`).toBeLessThan(1e-6 + 1e-5 * Math.abs(expected));
            }
          });
        }
      });
    }
  }
});
