/**
 * The book's Network (network.py, chapter 1) in TypeScript: a sigmoid multilayer perceptron with the
 * quadratic cost, trained by mini-batch stochastic gradient descent. Members keep the book's names, and
 * its training members are the book's algorithm as the chapter reads: backprop one example at a time,
 * sum the gradients, step. This is where to start reading. The page and the CLI train through the fast
 * paths instead (sgd.ts drives them, kernels.ts picks one), which the tests hold to the same numbers.
 * A leaf of the engine: it imports no training code. Pure: no DOM, no worker, no I/O.
 */
import { Rng } from './rng';
import { argmax, oneHot, readInput, sigmoid } from './math';
import type { Dataset, ModelParameters } from './types';
import type { CostName } from './cost';
import type { WeightInit } from './config';

/** How a new Network gets its random numbers. */
export interface NetworkOptions {
  /** Seed for the one generator behind every weight, bias and shuffle; ignored when `rng` is given. */
  seed?: number;
  rng?: Rng;
  /** `large`: N(0, 1) as network.py (default); `scaled`: weights N(0, 1/√n_in) as network2.py. */
  init?: WeightInit;
  /** The cost this network is trained on: chapter 1's `quadratic` (default) or chapter 3's `cross-entropy`. */
  cost?: CostName;
  /** Start from these parameters (copied) instead of random ones. */
  parameters?: { weights: readonly ArrayLike<number>[]; biases: readonly ArrayLike<number>[] };
}

/**
 * `new Network([784, 30, 10])` as in the book. Layer l (0-based) maps sizes[l] inputs to sizes[l+1]
 * neurons: `weights[l]` is a sizes[l+1] × sizes[l] matrix, row-major in one Float32Array (the book's
 * `np.random.randn(y, x)`), so weights[l][j * sizes[l] + k] connects input k to neuron j; `biases[l]`
 * has sizes[l+1] entries. The input layer has no biases.
 */
export class Network {
  readonly sizes: readonly number[];
  readonly numLayers: number;
  readonly biases: Float32Array[];
  readonly weights: Float32Array[];
  /** The generator that drew the parameters and shuffles the training data. */
  readonly rng: Rng;
  readonly cost: CostName;

  constructor(sizes: readonly number[], options: NetworkOptions = {}) {
    checkSizes(sizes);
    this.sizes = [...sizes];
    this.numLayers = sizes.length;
    this.rng = options.rng ?? new Rng(options.seed ?? 0);
    this.cost = options.cost ?? 'quadratic';
    const given = options.parameters;
    if (given) {
      this.biases = sizes.slice(1).map((y, l) => copyParameters(given.biases[l], y, `biases[${l}]`, sizes));
      this.weights = sizes.slice(1).map((y, l) => copyParameters(given.weights[l], y * sizes[l], `weights[${l}]`, sizes));
      return;
    }
    // As network.py: all biases first, then all weights, each drawn from N(0, 1); network2.py's
    // default_weight_initializer divides the weights by √(inputs of the neuron).
    this.biases = sizes.slice(1).map((y) => gaussianArray(this.rng, y, 1));
    this.weights = sizes
      .slice(1)
      .map((y, l) => gaussianArray(this.rng, y * sizes[l], options.init === 'scaled' ? 1 / Math.sqrt(sizes[l]) : 1));
  }

  /** A Network with the given parameters (copied, nothing drawn), e.g. from a saved model. */
  static fromParameters(
    sizes: readonly number[],
    weights: readonly ArrayLike<number>[],
    biases: readonly ArrayLike<number>[],
    options: NetworkOptions = {},
  ): Network {
    return new Network(sizes, { ...options, parameters: { weights, biases } });
  }

  /** A copy of the parameters, as they travel to the page and into model files. */
  parameters(): ModelParameters {
    return {
      sizes: [...this.sizes],
      weights: this.weights.map((w) => w.slice()),
      biases: this.biases.map((b) => b.slice()),
      cost: this.cost,
    };
  }

  /** Return the output of the network for input `a` (length sizes[0]): a ← σ(w·a + b), layer by layer. */
  feedforward(a: ArrayLike<number>): Float32Array {
    if (a.length !== this.sizes[0]) throw new RangeError(`input has length ${a.length}, expected ${this.sizes[0]}`);
    let activation = Float32Array.from(a);
    for (let l = 0; l < this.numLayers - 1; l++) {
      const n = this.sizes[l];
      const w = this.weights[l];
      const b = this.biases[l];
      const next = new Float32Array(this.sizes[l + 1]);
      for (let j = 0; j < next.length; j++) {
        let z = b[j];
        for (let k = 0; k < n; k++) z += w[j * n + k] * activation[k];
        next[j] = sigmoid(z);
      }
      activation = next;
    }
    return activation;
  }

  /**
   * The gradient (∇b, ∇w) of the cost C_x for one example (½‖a − y‖², or the cross-entropy), by
   * backpropagation, in the same layout as `biases` and `weights`. Dense and allocating, as the book's.
   */
  backprop(x: ArrayLike<number>, y: ArrayLike<number>): { nablaB: Float32Array[]; nablaW: Float32Array[] } {
    const L = this.numLayers - 1;
    const activations: Float32Array[] = [Float32Array.from(x)];
    for (let l = 0; l < L; l++) {
      const n = this.sizes[l];
      const a = new Float32Array(this.sizes[l + 1]);
      for (let j = 0; j < a.length; j++) {
        let z = this.biases[l][j];
        for (let k = 0; k < n; k++) z += this.weights[l][j * n + k] * activations[l][k];
        a[j] = sigmoid(z);
      }
      activations.push(a);
    }
    const nablaB = this.biases.map((b) => new Float32Array(b.length));
    const nablaW = this.weights.map((w) => new Float32Array(w.length));
    // BP1: δ^L = ∇_a C ⊙ σ'(z^L), with ∇_a C = a − y (cost_derivative) and σ'(z) = a(1 − a) for the
    // quadratic cost; chapter 3's cross-entropy cancels the σ'(z): δ^L = a − y.
    const output = activations[L];
    let delta = this.costDerivative(output, y);
    if (this.cost === 'quadratic') for (let j = 0; j < delta.length; j++) delta[j] *= output[j] * (1 - output[j]);
    for (let l = L - 1; l >= 0; l--) {
      const n = this.sizes[l];
      // BP3 and BP4: ∂C/∂b = δ, ∂C/∂w_jk = a_k^{l−1} δ_j.
      nablaB[l].set(delta);
      for (let j = 0; j < delta.length; j++) {
        for (let k = 0; k < n; k++) nablaW[l][j * n + k] = delta[j] * activations[l][k];
      }
      if (l === 0) break;
      // BP2: δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l).
      const previous = new Float32Array(n);
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < delta.length; j++) s += this.weights[l][j * n + k] * delta[j];
        previous[k] = s * activations[l][k] * (1 - activations[l][k]);
      }
      delta = previous;
    }
    return { nablaB, nablaW };
  }

  /** ∂C_x/∂a = a − y for the quadratic cost (network.py's cost_derivative). */
  costDerivative(outputActivations: ArrayLike<number>, y: ArrayLike<number>): Float32Array {
    const d = new Float32Array(outputActivations.length);
    for (let j = 0; j < d.length; j++) d[j] = outputActivations[j] - y[j];
    return d;
  }

  /**
   * One gradient-descent step on the examples `miniBatch` (indices into `data`):
   * w ← (1 − ηλ/n) w − (η/m) Σ ∇w, b ← b − (η/m) Σ ∇b (λ = 0 is network.py's step; n = training examples).
   */
  updateMiniBatch(data: Dataset, miniBatch: ArrayLike<number>, eta: number, lambda = 0, n = data.count): void {
    const nablaB = this.biases.map((b) => new Float32Array(b.length));
    const nablaW = this.weights.map((w) => new Float32Array(w.length));
    const x = new Float32Array(this.sizes[0]);
    const y = new Float32Array(this.sizes[this.numLayers - 1]);
    for (let i = 0; i < miniBatch.length; i++) {
      const example = miniBatch[i];
      const delta = this.backprop(readInput(data, example, x), oneHot(data.labels[example], y.length, y));
      delta.nablaB.forEach((d, l) => d.forEach((v, j) => (nablaB[l][j] += v)));
      delta.nablaW.forEach((d, l) => d.forEach((v, j) => (nablaW[l][j] += v)));
    }
    const step = eta / miniBatch.length;
    const decay = 1 - (eta * lambda) / n;
    this.weights.forEach((w, l) => w.forEach((v, j) => (w[j] = decay * v - step * nablaW[l][j])));
    this.biases.forEach((b, l) => b.forEach((v, j) => (b[j] = v - step * nablaB[l][j])));
  }

  /**
   * Train with mini-batch stochastic gradient descent, as network.py's SGD: every epoch shuffles the
   * training data with this network's generator, splits it into mini-batches of `miniBatchSize` (the
   * last may be smaller) and takes one step per mini-batch; with `testData`, `onEpoch` hears after each
   * epoch how many test digits the network reads right. The book's speed too (seconds per epoch): the
   * page and the CLI use sgd.ts's runSgd / sgdEvents, the same algorithm on a fast path.
   */
  SGD(
    trainingData: Dataset,
    epochs: number,
    miniBatchSize: number,
    eta: number,
    testData?: Dataset,
    onEpoch?: (epoch: number, correct: number, total: number) => void,
  ): void {
    const order = new Uint32Array(trainingData.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let epoch = 0; epoch < epochs; epoch++) {
      this.rng.shuffle(order);
      for (let k = 0; k < order.length; k += miniBatchSize) this.updateMiniBatch(trainingData, order.subarray(k, k + miniBatchSize), eta);
      if (testData) onEpoch?.(epoch, this.evaluate(testData), testData.count);
    }
  }

  /** The number of test inputs for which the output neuron with the highest activation is the label. */
  evaluate(testData: Dataset): number {
    const x = new Float32Array(this.sizes[0]);
    let correct = 0;
    for (let i = 0; i < testData.count; i++) if (argmax(this.feedforward(readInput(testData, i, x))) === testData.labels[i]) correct++;
    return correct;
  }
}

function copyParameters(values: ArrayLike<number> | undefined, length: number, name: string, sizes: readonly number[]): Float32Array {
  if (values?.length !== length)
    throw new RangeError(`${name} has ${values?.length ?? 0} values, expected ${length} for sizes ${sizes.join('-')}`);
  return Float32Array.from(values);
}

function gaussianArray(rng: Rng, length: number, scale: number): Float32Array {
  const a = new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = rng.gaussian() * scale;
  return a;
}

function checkSizes(sizes: readonly number[]): void {
  if (sizes.length < 2) throw new RangeError(`a network needs at least 2 layers, got ${sizes.length}`);
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 1) throw new RangeError(`layer sizes must be positive integers, got ${sizes.join(', ')}`);
  }
}
