import { describe, expect, it } from 'vitest';
import { Network } from './network';
import { parseNetwork2Json, toNetwork2Json } from './model-io';

describe("network2.py's model format", () => {
  it('loads a small file written by hand in that format and computes what the book would', () => {
    const text = `{"sizes": [3, 2, 1],
      "weights": [[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], [[1.0, -2.0]]],
      "biases": [[[0.1], [-0.2]], [[0.3]]],
      "cost": "CrossEntropyCost"}`;
    const model = parseNetwork2Json(text, null);
    expect(model.sizes).toEqual([3, 2, 1]);
    expect(model.cost).toBe('cross-entropy');
    const net = Network.fromParameters(model.sizes, model.weights, model.biases, { cost: model.cost });
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const x = [1, 0.5, 0.25];
    const h = [s(0.5 - 0.5 + 0.5 + 0.1), s(1.5 + 0.125 - 0.1875 - 0.2)];
    expect(net.feedforward(x)[0]).toBeCloseTo(s(h[0] - 2 * h[1] + 0.3), 6);
  });

  it('round-trips a network exactly (float32 values survive JSON)', () => {
    const net = new Network([784, 30, 10], { seed: 4 });
    const text = JSON.stringify(toNetwork2Json({ ...net, cost: net.cost }));
    const back = parseNetwork2Json(text);
    expect(back.weights).toEqual(net.weights);
    expect(back.biases).toEqual(net.biases);
    expect(JSON.parse(text).biases[0][0]).toHaveLength(1);
    expect(JSON.parse(text).cost).toBe('QuadraticCost');
  });

  it.each([
    ['not JSON at all', 'hello', /^Not a model file: it is not valid JSON/],
    ['a list', '[1, 2]', 'Not a model file: expected a JSON object with "sizes", "weights", "biases" and "cost".'],
    ['no weights', '{"sizes": [784, 10], "biases": [], "cost": "QuadraticCost"}', 'Not a model file: "weights" is missing.'],
    [
      'a wrong input size',
      '{"sizes": [100, 10], "weights": [], "biases": [], "cost": "QuadraticCost"}',
      /784 inputs and 10 outputs, but the file says 100-10/,
    ],
    ['absurd sizes', '{"sizes": [784, 1000000000, 10], "weights": [], "biases": [], "cost": "QuadraticCost"}', /is too large/],
    [
      'an unknown cost',
      '{"sizes": [784, 10], "weights": [], "biases": [], "cost": "HingeCost"}',
      '"cost" must be "QuadraticCost" or "CrossEntropyCost", not "HingeCost".',
    ],
    [
      'too few weight rows',
      '{"sizes": [784, 10], "weights": [[]], "biases": [[]], "cost": "QuadraticCost"}',
      'weights[0] must have 10 rows (one per neuron of layer 1).',
    ],
    [
      'a __proto__ key',
      '{"sizes": [784, 10], "__proto__": {"polluted": true}, "weights": [], "biases": [], "cost": "QuadraticCost"}',
      'Not a model file: the key "__proto__" is not allowed in a model file.',
    ],
  ])('refuses %s with the reason', (_, text, message) => {
    expect(() => parseNetwork2Json(text)).toThrow(message);
  });

  it('refuses a weight that is not a number, naming where it is', () => {
    const model = toNetwork2Json({ ...new Network([784, 2, 10], { seed: 1 }), cost: 'quadratic' });
    (model.weights[1][3] as unknown[])[1] = 'NaN';
    expect(() => parseNetwork2Json(JSON.stringify(model))).toThrow('weights[1][3][1] is "NaN", not a finite number.');
  });

  it('refuses numbers beyond float32, and beyond a double, naming where they are', () => {
    const text = JSON.stringify(toNetwork2Json({ ...new Network([784, 2, 10], { seed: 1 }), cost: 'quadratic' }));
    const withValue = (value: string) => text.replace(/^(\{"sizes":\[784,2,10\],"weights":\[\[\[)[^,]+/, `$1${value}`);
    expect(() => parseNetwork2Json(withValue('1e39'))).toThrow(
      'weights[0][0][0] is 1e+39, outside the range of 32-bit floats (±3.4028235e38) in which the network computes.',
    );
    expect(() => parseNetwork2Json(withValue('-1e999'))).toThrow(
      'weights[0][0][0] is a number too large to represent (it reads as -Infinity).',
    );
    // The largest float32 itself is a valid weight.
    expect(parseNetwork2Json(withValue('3.4028234663852886e38')).weights[0][0]).toBe(3.4028234663852886e38);
  });

  it('will not save a network with a number JSON cannot hold (it would write null)', () => {
    const net = new Network([784, 2, 10], { seed: 1 });
    net.biases[1][4] = Number.NaN;
    expect(() => toNetwork2Json({ ...net, cost: net.cost })).toThrow(
      'biases[1][4] is NaN: a network with numbers that are not finite cannot be saved as JSON.',
    );
    net.biases[1][4] = 0;
    net.weights[0][785] = Number.POSITIVE_INFINITY;
    expect(() => toNetwork2Json({ ...net, cost: net.cost })).toThrow('weights[0][1][1] is Infinity');
  });
});
