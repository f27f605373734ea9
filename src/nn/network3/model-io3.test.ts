import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../data/source-node';
import { sliceDataset } from '../dataset';
import { NETWORK3_LADDER } from './ladder';
import { Network3 } from './network3';
import { parseNetwork3Json, toNetwork3Json } from './model-io3';

const mnist = loadMnist();

describe('a chapter 6 network as a file', () => {
  it('reads back as it was written: the same layers, the same numbers, the same readings', () => {
    const preset = NETWORK3_LADDER.find((p) => p.id === 'dropout')!;
    const net = new Network3(preset.layers, { seed: 3 });
    const text = JSON.stringify(toNetwork3Json(net.toParameters()));
    const read = parseNetwork3Json(text);
    expect(read.layers).toEqual(preset.layers);
    read.parameters.forEach(({ w, b }, i) => {
      expect(w).toEqual(net.parameters[i].w);
      expect(b).toEqual(net.parameters[i].b);
    });
    const again = new Network3(read.layers, { parameters: read.parameters });
    const test = sliceDataset(mnist.test, 0, 200);
    const readings = [new Uint8Array(200), new Uint8Array(200)];
    expect(again.evaluate(test, readings[0])).toBe(net.evaluate(test, readings[1]));
    expect(readings[0]).toEqual(readings[1]);
  });

  it('says what is wrong with a file that is not one, naming the layer', () => {
    const net = new Network3(NETWORK3_LADDER.find((p) => p.id === 'conv1')!.layers, { seed: 1 });
    const good = toNetwork3Json(net.toParameters()) as { layers: Record<string, unknown>[] } & Record<string, unknown>;
    const broken = (change: (copy: typeof good) => void) => {
      const copy = structuredClone(good);
      change(copy);
      return () => parseNetwork3Json(JSON.stringify(copy));
    };
    expect(() => parseNetwork3Json('{')).toThrow('the file is not JSON');
    expect(() => parseNetwork3Json(JSON.stringify({ sizes: [784, 30, 10] }))).toThrow(/not a chapter 6 network/);
    expect(broken((c) => (c.version = 2))).toThrow('the file is version 2; this app reads version 1');
    expect(broken((c) => (c.layers[1].w as number[]).pop())).toThrow(
      "layer 2 (fully-connected)'s w has 287999 numbers; the layer's shape needs 288000",
    );
    expect(broken((c) => ((c.layers[0].b as unknown[])[3] = 'x'))).toThrow('layer 1 (conv-pool)\'s b[3] is "x", not a finite number');
    expect(broken((c) => (c.layers[0].activation = 'swish'))).toThrow(
      /layer 1's activation is "swish"; it should be one of sigmoid, tanh, relu, linear/,
    );
    expect(broken((c) => c.layers.pop())).toThrow(/do not fit together: a chapter 6 network ends in a softmax layer/);
    expect(broken((c) => (c.layers[0].filterSize = 30))).toThrow(/filterSize is 30; it should be a whole number from 1 to 28/);
  });
});
