/**
 * The obvious dense translation of network.py, line for line, in float64 number arrays: the oracle
 * that the book's Network and both fast paths (sparse-trainer.ts, wasm-trainer.ts) are tested
 * against. Slow on purpose; never used for training.
 */
import type { Network } from './network';
import type { CostName } from './cost';
import { sigmoid, sigmoidPrime } from './math';

type Vector = number[];
type Matrix = number[][];

/** network.py's parameters as nested arrays: weights[l][j][k], biases[l][j]. */
export interface ReferenceNetwork {
  sizes: number[];
  weights: Matrix[];
  biases: Vector[];
}

const dot = (w: Matrix, a: Vector): Vector => w.map((row) => row.reduce((s, wk, k) => s + wk * a[k], 0));
const add = (u: Vector, v: Vector): Vector => u.map((x, i) => x + v[i]);

/** A copy of a Network's parameters in the reference's nested layout. */
export function toReference(net: Network): ReferenceNetwork {
  return {
    sizes: [...net.sizes],
    biases: net.biases.map((b) => Array.from(b)),
    weights: net.weights.map((w, l) => {
      const n = net.sizes[l];
      return Array.from({ length: net.sizes[l + 1] }, (_, j) => Array.from(w.subarray(j * n, (j + 1) * n)));
    }),
  };
}

/** def feedforward(self, a): for b, w in zip(...): a = sigmoid(np.dot(w, a) + b) */
export function referenceFeedforward(net: ReferenceNetwork, a: Vector): Vector {
  for (let l = 0; l < net.weights.length; l++) a = add(dot(net.weights[l], a), net.biases[l]).map(sigmoid);
  return a;
}

/** def backprop(self, x, y): returns (nabla_b, nabla_w) for the quadratic cost (or network2's cross-entropy). */
export function referenceBackprop(
  net: ReferenceNetwork,
  x: Vector,
  y: Vector,
  cost: CostName = 'quadratic',
): { nablaB: Vector[]; nablaW: Matrix[] } {
  const nablaB: Vector[] = net.biases.map((b) => b.map(() => 0));
  const nablaW: Matrix[] = net.weights.map((w) => w.map((row) => row.map(() => 0)));
  let activation = x;
  const activations: Vector[] = [x];
  const zs: Vector[] = [];
  for (let l = 0; l < net.weights.length; l++) {
    const z = add(dot(net.weights[l], activation), net.biases[l]);
    zs.push(z);
    activation = z.map(sigmoid);
    activations.push(activation);
  }
  const L = net.weights.length;
  // cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1]); CrossEntropyCost.delta is a − y.
  let delta = activations[L].map((a, j) => (cost === 'quadratic' ? (a - y[j]) * sigmoidPrime(zs[L - 1][j]) : a - y[j]));
  nablaB[L - 1] = delta;
  nablaW[L - 1] = delta.map((d) => activations[L - 1].map((a) => d * a));
  for (let l = L - 2; l >= 0; l--) {
    const sp = zs[l].map(sigmoidPrime);
    const w = net.weights[l + 1];
    delta = sp.map((s, k) => s * w.reduce((sum, row, j) => sum + row[k] * delta[j], 0));
    nablaB[l] = delta;
    nablaW[l] = delta.map((d) => activations[l].map((a) => d * a));
  }
  return { nablaB, nablaW };
}

/**
 * def update_mini_batch(self, mini_batch, eta): one step of gradient descent, in place; with `lambda`
 * and `n`, network2.py's step: w ← (1 − ηλ/n) w − (η/m) Σ ∇w.
 */
export function referenceUpdateMiniBatch(
  net: ReferenceNetwork,
  miniBatch: { x: Vector; y: Vector }[],
  eta: number,
  { lambda = 0, n = 1, cost = 'quadratic' as CostName } = {},
): void {
  const nablaB: Vector[] = net.biases.map((b) => b.map(() => 0));
  const nablaW: Matrix[] = net.weights.map((w) => w.map((row) => row.map(() => 0)));
  for (const { x, y } of miniBatch) {
    const delta = referenceBackprop(net, x, y, cost);
    delta.nablaB.forEach((nb, l) => nb.forEach((v, j) => (nablaB[l][j] += v)));
    delta.nablaW.forEach((nw, l) => nw.forEach((row, j) => row.forEach((v, k) => (nablaW[l][j][k] += v))));
  }
  const step = eta / miniBatch.length;
  const decay = 1 - eta * (lambda / n);
  net.weights = net.weights.map((w, l) => w.map((row, j) => row.map((v, k) => decay * v - step * nablaW[l][j][k])));
  net.biases = net.biases.map((b, l) => b.map((v, j) => v - step * nablaB[l][j]));
}

/** C_x of one example, ½‖a − y‖² or −Σ y ln a + (1 − y) ln(1 − a), plus (λ/2n)‖w‖² when given (finite-difference checks). */
export function referenceCost(net: ReferenceNetwork, x: Vector, y: Vector, cost: CostName = 'quadratic', lambda = 0, n = 1): number {
  const a = referenceFeedforward(net, x);
  const data =
    cost === 'quadratic'
      ? 0.5 * a.reduce((s, aj, j) => s + (aj - y[j]) ** 2, 0)
      : a.reduce((s, aj, j) => s - y[j] * Math.log(aj) - (1 - y[j]) * Math.log(1 - aj), 0);
  const squares = net.weights.reduce((s, w) => s + w.reduce((t, row) => t + row.reduce((u, v) => u + v * v, 0), 0), 0);
  return data + 0.5 * (lambda / n) * squares;
}
