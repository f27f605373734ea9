import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../data/source-node';
import { readInput } from '../../nn/math';
import { Network } from '../../nn/network';
import { activationsOf } from './forward';

describe('the diagram’s forward pass', () => {
  it('gives the engine’s outputs for real test digits, through two hidden layers', () => {
    const { test } = loadMnist();
    const net = new Network([784, 30, 20, 10], { seed: 4 });
    for (const i of [0, 1, 77]) {
      const input = readInput(test, i, new Float32Array(784));
      const layers = activationsOf(net.parameters(), input);
      expect(layers.map((a) => a.length)).toEqual([784, 30, 20, 10]);
      const book = net.feedforward(input);
      for (let j = 0; j < 10; j++) expect(layers[3][j]).toBeCloseTo(book[j], 5);
    }
  });
});
