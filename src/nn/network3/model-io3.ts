/**
 * A chapter 6 network as a file. network3.py has no save(), so the format is this project's own:
 *
 * ```json
 * { "format": "network3", "version": 1,
 *   "input": { "channels": 1, "height": 28, "width": 28 },
 *   "layers": [
 *     { "kind": "conv-pool", "filters": 20, "filterSize": 5, "poolSize": 2, "activation": "relu", "w": [...], "b": [...] },
 *     { "kind": "fully-connected", "neurons": 100, "activation": "relu", "dropout": 0, "w": [...], "b": [...] },
 *     { "kind": "softmax", "neurons": 10, "dropout": 0, "w": [...], "b": [...] } ] }
 * ```
 *
 * A conv-pool layer's `w` is its filters flattened as [filter][input channel][row][column]; a fully connected or
 * softmax layer's is [output][input] (the transpose of network3.py's `w`). `b` has one bias per filter or
 * neuron. Reading checks every field and says what is wrong, naming the layer. Pure.
 */
import {
  ACTIVATIONS,
  parameterLengths,
  type Activation,
  shapesOf,
  type LayerParameters,
  type LayerSpec,
  type Network3Parameters,
  type Shape,
} from './layers';

export const NETWORK3_FORMAT = 'network3';
export const NETWORK3_VERSION = 1;

/** The network as the file's JSON value. */
export function toNetwork3Json(net: Network3Parameters): object {
  return {
    format: NETWORK3_FORMAT,
    version: NETWORK3_VERSION,
    input: { ...net.input },
    layers: net.layers.map((layer, i) => ({ ...layer, w: Array.from(net.parameters[i].w), b: Array.from(net.parameters[i].b) })),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function wholeNumber(v: unknown, what: string, low: number, high: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < low || v > high) {
    throw new Error(`${what} is ${JSON.stringify(v)}; it should be a whole number from ${low} to ${high}`);
  }
  return v;
}

function numbers(v: unknown, length: number, what: string): Float32Array {
  if (!Array.isArray(v)) throw new Error(`${what} is not a list of numbers`);
  if (v.length !== length) throw new Error(`${what} has ${v.length} numbers; the layer's shape needs ${length}`);
  const out = new Float32Array(length);
  v.forEach((x, k) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${what}[${k}] is ${JSON.stringify(x)}, not a finite number`);
    out[k] = x;
  });
  return out;
}

function layerOf(v: unknown, at: string): LayerSpec {
  if (!isRecord(v)) throw new Error(`${at} is not a layer`);
  const activation = v.activation as Activation;
  const checkActivation = () => {
    if (!ACTIVATIONS.includes(activation))
      throw new Error(`${at}'s activation is ${JSON.stringify(v.activation)}; it should be one of ${ACTIVATIONS.join(', ')}`);
  };
  const dropout = () => {
    if (typeof v.dropout !== 'number' || !(v.dropout >= 0 && v.dropout < 1))
      throw new Error(`${at}'s dropout is ${JSON.stringify(v.dropout)}; it should be from 0 to under 1`);
    return v.dropout;
  };
  switch (v.kind) {
    case 'conv-pool':
      checkActivation();
      return {
        kind: 'conv-pool',
        filters: wholeNumber(v.filters, `${at}'s filters`, 1, 1000),
        filterSize: wholeNumber(v.filterSize, `${at}'s filterSize`, 1, 28),
        poolSize: wholeNumber(v.poolSize, `${at}'s poolSize`, 1, 28),
        activation,
      };
    case 'fully-connected':
      checkActivation();
      return { kind: 'fully-connected', neurons: wholeNumber(v.neurons, `${at}'s neurons`, 1, 10_000), activation, dropout: dropout() };
    case 'softmax':
      return { kind: 'softmax', neurons: wholeNumber(v.neurons, `${at}'s neurons`, 1, 10_000), dropout: dropout() };
    default:
      throw new Error(`${at}'s kind is ${JSON.stringify(v.kind)}; it should be conv-pool, fully-connected or softmax`);
  }
}

/** The layers of `raw` (a list of layers as the file writes them) checked one by one and together on `input`; throws what is wrong. */
export function readLayers(input: Shape, raw: unknown): LayerSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('the file has no layers');
  const layers = raw.map((v, i) => layerOf(v, `layer ${i + 1}`));
  try {
    shapesOf(input, layers);
  } catch (error) {
    throw new Error(`its layers do not fit together: ${(error as Error).message}`, { cause: error });
  }
  return layers;
}

/** Read a network from the file's text; throws an Error that says what is wrong. */
export function parseNetwork3Json(text: string): Network3Parameters {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the file is not JSON');
  }
  if (!isRecord(value) || value.format !== NETWORK3_FORMAT)
    throw new Error(`the file is not a chapter 6 network (its "format" is not "${NETWORK3_FORMAT}")`);
  if (value.version !== NETWORK3_VERSION)
    throw new Error(`the file is version ${JSON.stringify(value.version)}; this app reads version ${NETWORK3_VERSION}`);
  if (!isRecord(value.input)) throw new Error('the file has no input shape');
  const input: Shape = {
    channels: wholeNumber(value.input.channels, "the input's channels", 1, 64),
    height: wholeNumber(value.input.height, "the input's height", 1, 1024),
    width: wholeNumber(value.input.width, "the input's width", 1, 1024),
  };
  const layers = readLayers(input, value.layers);
  const rawLayers = value.layers as unknown[];
  // The sizes each layer's parameters must have, from its shape.
  const expected = parameterLengths(input, layers);
  const parameters: LayerParameters[] = layers.map((layer, i) => {
    const raw = rawLayers[i] as Record<string, unknown>;
    const at = `layer ${i + 1} (${layer.kind})`;
    return { w: numbers(raw.w, expected[i].w, `${at}'s w`), b: numbers(raw.b, expected[i].b, `${at}'s b`) };
  });
  return { input, layers, parameters };
}
