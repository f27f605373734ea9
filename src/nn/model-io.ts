/**
 * Models in the JSON format of network2.py's save(): {"sizes", "weights", "biases", "cost"}, weights as
 * nested lists [layer][neuron][input], biases as [layer][neuron][1], cost as the class name. A model
 * saved by the book's Python code loads here and the other way round. Pure; every refusal says why.
 */
import type { ModelParameters } from './types';
import { DIGITS, INPUTS } from './mnist-shape';
import { COST_CLASS, type CostName } from './cost';
import { LIMITS } from './config';
import { errorMessage } from './format';

/** A model as network2.py's save() writes it. */
export interface Network2Json {
  sizes: number[];
  weights: number[][][];
  biases: number[][][];
  cost: 'QuadraticCost' | 'CrossEntropyCost';
}

/** The shape every model of this app has: 784 inputs, 10 outputs, up to 5 hidden layers of up to 2,000. */
export const MNIST_SHAPE = { inputs: INPUTS, outputs: DIGITS, hiddenLayers: LIMITS.hiddenLayers, neuronsPerLayer: LIMITS.neuronsPerLayer };

/**
 * network2.py's save() format of a model. Every number must be finite: JSON has no NaN or Infinity
 * (JSON.stringify would write null, which no loader reads back), so such a model is refused, with where.
 */
export function toNetwork2Json(model: ModelParameters): Network2Json {
  const { sizes } = model;
  const check = (values: Float32Array, where: (i: number) => string) => {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]))
        throw new Error(`${where(i)} is ${values[i]}: a network with numbers that are not finite cannot be saved as JSON.`);
    }
  };
  model.weights.forEach((w, l) => check(w, (i) => `weights[${l}][${Math.floor(i / sizes[l])}][${i % sizes[l]}]`));
  model.biases.forEach((b, l) => check(b, (j) => `biases[${l}][${j}]`));
  return {
    sizes: [...sizes],
    weights: model.weights.map((w, l) =>
      Array.from({ length: sizes[l + 1] }, (_, j) => Array.from(w.subarray(j * sizes[l], (j + 1) * sizes[l]))),
    ),
    biases: model.biases.map((b) => Array.from(b, (v) => [v])),
    cost: COST_CLASS[model.cost],
  };
}

/** Keys that could reach an object's prototype if a later step merged this data: refused outright. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Read a model file in network2.py's format. Throws an Error whose message says what is wrong (not
 * JSON, a missing or misshapen part, a number that is not finite, sizes outside `shape`).
 */
export function parseNetwork2Json(text: string, shape: typeof MNIST_SHAPE | null = MNIST_SHAPE): ModelParameters {
  let data: unknown;
  try {
    // No reviver: one call per number makes a large model's parse many times slower. JSON.parse makes
    // `__proto__` an own key (it cannot reach a prototype); it is refused below all the same.
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`Not a model file: it is not valid JSON (${errorMessage(error)}).`, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new Error('Not a model file: expected a JSON object with "sizes", "weights", "biases" and "cost".');
  const record = data as Record<string, unknown>;
  // Everything below the top level is a list or a number (anything else is refused as misshapen).
  const forbidden = Object.keys(record).find((key) => FORBIDDEN_KEYS.has(key));
  if (forbidden) throw new Error(`Not a model file: the key "${forbidden}" is not allowed in a model file.`);
  for (const key of ['sizes', 'weights', 'biases', 'cost']) {
    if (!(key in record)) throw new Error(`Not a model file: "${key}" is missing.`);
  }

  const sizes = record.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error('"sizes" must be a list of at least two positive whole numbers, e.g. [784, 30, 10].');
  }
  if (shape) {
    const hidden = sizes.slice(1, -1) as number[];
    if (sizes[0] !== shape.inputs || sizes.at(-1) !== shape.outputs) {
      throw new Error(
        `This app reads MNIST networks: ${shape.inputs} inputs and ${shape.outputs} outputs, but the file says ${sizes.join('-')}.`,
      );
    }
    if (hidden.length > shape.hiddenLayers || hidden.some((s) => s > shape.neuronsPerLayer)) {
      throw new Error(
        `The network ${sizes.join('-')} is too large: at most ${shape.hiddenLayers} hidden layers of at most ${shape.neuronsPerLayer.toLocaleString('en-US')} neurons.`,
      );
    }
  }

  const cost = Object.entries(COST_CLASS).find(([, className]) => className === record.cost)?.[0] as CostName | undefined;
  if (!cost) throw new Error(`"cost" must be "QuadraticCost" or "CrossEntropyCost", not ${JSON.stringify(record.cost)}.`);

  const layers = sizes.length - 1;
  const weightsIn = record.weights;
  const biasesIn = record.biases;
  if (!Array.isArray(weightsIn) || weightsIn.length !== layers)
    throw new Error(`"weights" must hold ${layers} matrices for sizes ${sizes.join('-')}.`);
  if (!Array.isArray(biasesIn) || biasesIn.length !== layers)
    throw new Error(`"biases" must hold ${layers} vectors for sizes ${sizes.join('-')}.`);
  const number = (v: unknown, where: string): number => {
    if (typeof v !== 'number') throw new Error(`${where} is ${JSON.stringify(v)}, not a finite number.`);
    // JSON.parse reads a number too large for a double (1e999) as Infinity.
    if (!Number.isFinite(v)) throw new Error(`${where} is a number too large to represent (it reads as ${v}).`);
    // The network computes in float32: beyond ±3.4028235e38 a weight would become Infinity.
    if (!Number.isFinite(Math.fround(v)))
      throw new Error(`${where} is ${v}, outside the range of 32-bit floats (±3.4028235e38) in which the network computes.`);
    return v;
  };
  const weights = weightsIn.map((matrix: unknown, l) => {
    const rows = sizes[l + 1];
    const cols = sizes[l];
    if (!Array.isArray(matrix) || matrix.length !== rows)
      throw new Error(`weights[${l}] must have ${rows} rows (one per neuron of layer ${l + 1}).`);
    const out = new Float32Array(rows * cols);
    matrix.forEach((row: unknown, j) => {
      if (!Array.isArray(row) || row.length !== cols) throw new Error(`weights[${l}][${j}] must have ${cols} numbers (one per input).`);
      row.forEach((v: unknown, k) => (out[j * cols + k] = number(v, `weights[${l}][${j}][${k}]`)));
    });
    return out;
  });
  const biases = biasesIn.map((column: unknown, l) => {
    const rows = sizes[l + 1];
    if (!Array.isArray(column) || column.length !== rows)
      throw new Error(`biases[${l}] must have ${rows} entries (one per neuron of layer ${l + 1}).`);
    return Float32Array.from(column, (entry: unknown, j) => {
      // network2.py writes each bias as a one-element list (a column vector); a bare number is accepted too.
      const v = Array.isArray(entry) && entry.length === 1 ? entry[0] : entry;
      return number(v, `biases[${l}][${j}]`);
    });
  });
  return { sizes: sizes as number[], weights, biases, cost };
}
