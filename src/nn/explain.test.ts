import { describe, expect, it } from 'vitest';
import { loadMnist } from '../data/source-node';
import { readInput, oneHot } from './math';
import { Network } from './network';
import { referenceBackprop, toReference } from './reference';
import { explainBackprop } from './explain';

const data = loadMnist();

describe('backprop on one digit, explained', () => {
  for (const cost of ['quadratic', 'cross-entropy'] as const) {
    it(`gives the reference backprop's errors and gradients, and finite differences agree (${cost})`, () => {
      const net = new Network([784, 20, 15, 10], { seed: 3, cost, init: 'scaled' });
      const x = readInput(data.training, 0, new Float32Array(784));
      const label = data.training.labels[0];
      const explained = explainBackprop(net.parameters(), x, label);
      const reference = referenceBackprop(toReference(net), Array.from(x), Array.from(oneHot(label, 10)), cost);
      // BP3: ∂C/∂b is δ, layer by layer.
      explained.layers.forEach((layer, l) => layer.delta.forEach((d, j) => expect(d).toBeCloseTo(reference.nablaB[l][j], 12)));
      // BP4 for the first-layer neuron shown.
      const j = explained.firstLayerNeuron;
      explained.firstLayerGradient.forEach((g, k) => expect(g).toBeCloseTo(reference.nablaW[0][j][k], 12));
      // BP1 for the cross-entropy is a − y; for the quadratic cost (a − y) σ′(z).
      const output = explained.layers.at(-1)!;
      output.delta.forEach((d, i) => {
        const aMinusY = output.a[i] - (i === label ? 1 : 0);
        expect(d).toBeCloseTo(cost === 'quadratic' ? aMinusY * output.a[i] * (1 - output.a[i]) : aMinusY, 12);
        expect(explained.gradA[i] * explained.sigmaPrimeOutput[i]).toBeCloseTo(d, 12);
      });
      // One check per weight layer, each far from zero, agreeing to about eight digits.
      expect(explained.checks).toHaveLength(3);
      for (const check of explained.checks) {
        expect(Math.abs(check.backprop)).toBeGreaterThan(1e-6);
        expect(Math.abs(check.numerical - check.backprop)).toBeLessThan(1e-8 * Math.max(1, Math.abs(check.backprop)));
      }
      expect(explained.costValue).toBeGreaterThan(0);
    });
  }
});
