import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../data/source-node';
import { sliceDataset } from '../dataset';
import { readInput } from '../math';
import { Rng } from '../rng';
import { shapesOf, type Activation, type LayerSpec, type Network3Like } from './layers';
import { Network3 } from './network3';
import { Network3Wasm, bestNetwork3Build } from './network3-wasm';
import { referenceBackprop, referenceForward, referenceUpdateMiniBatch, type DropoutMasks } from './reference';

const mnist = loadMnist();
const digit = (i: number) => readInput(mnist.training, i, new Float32Array(784));

const ladderLike = (activation: Activation, dropout: number): LayerSpec[] => [
  { kind: 'conv-pool', filters: 4, filterSize: 5, poolSize: 2, activation },
  { kind: 'conv-pool', filters: 6, filterSize: 5, poolSize: 2, activation },
  { kind: 'fully-connected', neurons: 20, activation, dropout },
  { kind: 'softmax', neurons: 10, dropout },
];

/** The network's parameters as the oracle's float64 network. */
const asOracle = (net: Network3): Network3Like => {
  const p = net.toParameters();
  return { ...p, parameters: p.parameters.map(({ w, b }) => ({ w: Float64Array.from(w), b: Float64Array.from(b) })) };
};

function masksFor(layers: LayerSpec[], rng: Rng): DropoutMasks {
  const shapes = shapesOf({ channels: 1, height: 28, width: 28 }, layers);
  return layers.map((layer, i) =>
    layer.kind === 'conv-pool' || layer.dropout === 0
      ? null
      : Uint8Array.from({ length: shapes[i].channels * shapes[i].height * shapes[i].width }, () => (rng.random() < layer.dropout ? 0 : 1)),
  );
}

/** |a − b| within float32's rounding of sums of a few hundred terms. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  const scale = Math.max(1e-3, ...Array.from(expected, Math.abs));
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k]), `${what}[${k}]`).toBeLessThan(2e-5 * scale);
}

/** The two fast paths: TypeScript (network3.ts) and the WebAssembly kernel where this host runs it. */
type FastPath = Pick<Network3, 'gradientOf' | 'updateMiniBatch' | 'feedforward' | 'evaluate'> & { syncToNetwork?(): void };
const PATHS: [string, (net: Network3) => FastPath][] = [
  ['TypeScript', (net) => net],
  ...(bestNetwork3Build()
    ? [[`WebAssembly (${bestNetwork3Build()})`, (net: Network3) => new Network3Wasm(net, 10)] as [string, (net: Network3) => FastPath]]
    : []),
];

describe.each(PATHS)("chapter 6's fast path against the oracle: %s", (_, fastPath) => {
  for (const activation of ['sigmoid', 'relu'] as const) {
    it(`reads, and backprops one example, as the oracle does (${activation}; dropout evaluated and masked)`, () => {
      const layers = ladderLike(activation, 0.5);
      const net = new Network3(layers, { seed: 5 });
      // A softmax start that is not all zero, so its gradient reaches every layer.
      const rng = new Rng(9);
      net.parameters[3].w.forEach((_, k) => (net.parameters[3].w[k] = rng.gaussian() * 0.3));
      const oracle = asOracle(net);
      const path = fastPath(net);
      for (const example of [0, 1, 2]) {
        const x = digit(example);
        expectClose(path.feedforward(x), referenceForward(oracle, x).activations.at(-1)!, 'output');
        for (const masks of [undefined, masksFor(layers, rng)]) {
          const fast = path.gradientOf(x, mnist.training.labels[example], masks);
          const slow = referenceBackprop(oracle, x, mnist.training.labels[example], masks);
          fast.nablaW.forEach((g, i) => expectClose(g, slow.nablaW[i], `layer ${i + 1} ∂C/∂w`));
          fast.nablaB.forEach((g, i) => expectClose(g, slow.nablaB[i], `layer ${i + 1} ∂C/∂b`));
        }
      }
    });
  }

  it('takes the same mini-batch steps as the oracle, with L2 and dropout', () => {
    const layers = ladderLike('relu', 0.5);
    const net = new Network3(layers, { seed: 2 });
    const oracle = asOracle(net);
    const path = fastPath(net);
    const rng = new Rng(11);
    for (let batch = 0; batch < 3; batch++) {
      const inputs = new Float32Array(10 * 784);
      const labels = new Uint8Array(10);
      for (let e = 0; e < 10; e++) {
        readInput(mnist.training, batch * 10 + e, inputs.subarray(e * 784, (e + 1) * 784));
        labels[e] = mnist.training.labels[batch * 10 + e];
      }
      const masks = Array.from({ length: 10 }, () => masksFor(layers, rng));
      path.updateMiniBatch(inputs, labels, 0.03, 0.1, 5000, masks);
      referenceUpdateMiniBatch(
        oracle,
        Array.from({ length: 10 }, (_, e) => inputs.subarray(e * 784, (e + 1) * 784)),
        labels,
        0.03,
        0.1,
        5000,
        masks,
      );
    }
    path.syncToNetwork?.();
    net.parameters.forEach(({ w, b }, i) => {
      expectClose(w, oracle.parameters[i].w, `layer ${i + 1} w`);
      expectClose(b, oracle.parameters[i].b, `layer ${i + 1} b`);
    });
  });

  it('learns: one conv-pool layer reads most of 1,000 test digits after an epoch of 5,000 examples', () => {
    const layers: LayerSpec[] = [
      { kind: 'conv-pool', filters: 8, filterSize: 5, poolSize: 2, activation: 'relu' },
      { kind: 'fully-connected', neurons: 30, activation: 'relu', dropout: 0 },
      { kind: 'softmax', neurons: 10, dropout: 0 },
    ];
    const net = new Network3(layers, { seed: 1 });
    const path = fastPath(net);
    const training = sliceDataset(mnist.training, 0, 5000);
    const inputs = new Float32Array(10 * 784);
    const labels = new Uint8Array(10);
    for (let start = 0; start < 5000; start += 10) {
      for (let e = 0; e < 10; e++) {
        readInput(training, start + e, inputs.subarray(e * 784, (e + 1) * 784));
        labels[e] = training.labels[start + e];
      }
      path.updateMiniBatch(inputs, labels, 0.03, 0.1, 500);
    }
    const correct = path.evaluate(sliceDataset(mnist.test, 0, 1000));
    console.log(`one conv-pool layer of 8, FC 30, softmax, ReLU, η = 0.03: ${correct} / 1000 after 5,000 examples`);
    expect(correct).toBeGreaterThan(800);
  });
});
