/**
 * Chapter 2 on one digit: backpropagation's four equations with their numbers, for a network and one
 * input x with its label y, and a check of the gradient by finite differences. In float64 throughout
 * (the network's float32 weights read exactly), so the page can show every number to many places and
 * the check agrees to about ten digits. One digit costs two passes over the weights: the page may run it.
 */
import type { CostName } from './cost';
import { sigmoid, sigmoidPrime } from './math';
import type { ModelParameters } from './types';

/**
 * One layer after the input, for the digit: its weighted inputs z, activations a = σ(z), errors δ = ∂C/∂z,
 * and what δ is σ′(z) times: (wˡ⁺¹)ᵀ δˡ⁺¹ for a hidden layer (BP2), ∇ₐC for the output (BP1).
 */
export interface LayerNumbers {
  z: Float64Array;
  a: Float64Array;
  delta: Float64Array;
  fromAbove: Float64Array;
}

/** A weight's gradient by backprop (BP4) beside the numerical one, (C(w + h) − C(w − h)) / 2h. */
export interface GradientCheck {
  /** The weight layer (0: input to first hidden), and w_jk: neuron j of the layer after it, k of the one before. */
  layer: number;
  j: number;
  k: number;
  backprop: number;
  numerical: number;
}

export interface BackpropNumbers {
  cost: CostName;
  label: number;
  /** C_x for this digit. */
  costValue: number;
  /** Every layer after the input, first hidden to output. */
  layers: LayerNumbers[];
  /** ∇ₐC at the output: a − y (quadratic), (a − y) / (a(1 − a)) (cross-entropy). */
  gradA: Float64Array;
  /** σ′(zᴸ) at the output. */
  sigmaPrimeOutput: Float64Array;
  /** BP4 for one first-layer hidden neuron: ∂C/∂w_jk = a_k δ_j for its 784 weights (the neuron of largest |δ|). */
  firstLayerNeuron: number;
  firstLayerGradient: Float64Array;
  checks: GradientCheck[];
}

/** The step of the finite differences: small against the weights, large against float64's rounding. */
const H = 1e-5;

/** z and a of every layer for input `x` (float64), with weight `tweak.w` of layer `tweak.layer` moved by `tweak.by`. */
function forward(p: ModelParameters, x: ArrayLike<number>, tweak?: { layer: number; w: number; by: number }) {
  const zs: Float64Array[] = [];
  const as: Float64Array[] = [];
  let a: ArrayLike<number> = x;
  for (let l = 0; l < p.weights.length; l++) {
    const n = p.sizes[l];
    const z = new Float64Array(p.sizes[l + 1]);
    const w = p.weights[l];
    for (let j = 0; j < z.length; j++) {
      let s = p.biases[l][j];
      for (let k = 0; k < n; k++) {
        const i = j * n + k;
        s += (tweak && tweak.layer === l && tweak.w === i ? w[i] + tweak.by : w[i]) * a[k];
      }
      z[j] = s;
    }
    const next = z.map(sigmoid);
    zs.push(z);
    as.push(next);
    a = next;
  }
  return { zs, as };
}

/** C_x: ½‖a − y‖², or the cross-entropy −Σ [y ln a + (1 − y) ln(1 − a)]. */
function costOf(cost: CostName, a: Float64Array, label: number): number {
  let c = 0;
  for (let j = 0; j < a.length; j++) {
    const y = j === label ? 1 : 0;
    c += cost === 'quadratic' ? 0.5 * (a[j] - y) ** 2 : -(y * Math.log(a[j]) + (1 - y) * Math.log(1 - a[j]));
  }
  return c;
}

/** The index of the largest |v|. */
function largest(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  return best;
}

/**
 * Backpropagation for input `x` (784 values) labelled `label`, as chapter 2 writes it, with its numbers.
 * Without a label (a drawing has none), y is the digit the network reads.
 */
export function explainBackprop(p: ModelParameters, x: ArrayLike<number>, given?: number): BackpropNumbers {
  const { zs, as } = forward(p, x);
  const L = zs.length - 1;
  const out = as[L];
  const label = given ?? out.indexOf(Math.max(...out));
  const y = (j: number) => (j === label ? 1 : 0);
  const gradA = out.map((a, j) => (p.cost === 'quadratic' ? a - y(j) : (a - y(j)) / (a * (1 - a))));
  const sigmaPrimeOutput = zs[L].map(sigmoidPrime);
  // BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ); for the cross-entropy the σ′ cancels and δᴸ = a − y exactly.
  const deltas: Float64Array[] = [];
  deltas[L] = p.cost === 'quadratic' ? gradA.map((g, j) => g * sigmaPrimeOutput[j]) : out.map((a, j) => a - y(j));
  // BP2: δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ).
  const fromAbove: Float64Array[] = [];
  fromAbove[L] = gradA;
  for (let l = L - 1; l >= 0; l--) {
    const n = p.sizes[l + 1];
    const w = p.weights[l + 1];
    const after = deltas[l + 1];
    fromAbove[l] = zs[l].map((_, k) => {
      let s = 0;
      for (let j = 0; j < after.length; j++) s += w[j * n + k] * after[j];
      return s;
    });
    deltas[l] = fromAbove[l].map((s, k) => s * sigmoidPrime(zs[l][k]));
  }
  const inputOf = (l: number): ArrayLike<number> => (l === 0 ? x : as[l - 1]);
  // BP4: ∂C/∂w_jk = a_k^{l−1} δ_j^l.
  const gradientW = (l: number, j: number, k: number) => inputOf(l)[k] * deltas[l][j];
  const firstLayerNeuron = largest(deltas[0]);
  const inputs = p.sizes[0];
  const firstLayerGradient = Float64Array.from({ length: inputs }, (_, k) => gradientW(0, firstLayerNeuron, k));
  // The check: in each weight layer, the weight of largest gradient (its number is far from zero).
  const checks = p.weights.map((_, l): GradientCheck => {
    const n = p.sizes[l];
    let best = { j: 0, k: 0, g: 0 };
    for (let j = 0; j < p.sizes[l + 1]; j++) {
      for (let k = 0; k < n; k++) {
        const g = gradientW(l, j, k);
        if (Math.abs(g) > Math.abs(best.g)) best = { j, k, g };
      }
    }
    const at = (by: number) => costOf(p.cost, forward(p, x, { layer: l, w: best.j * n + best.k, by }).as[L], label);
    return { layer: l, j: best.j, k: best.k, backprop: best.g, numerical: (at(H) - at(-H)) / (2 * H) };
  });
  return {
    cost: p.cost,
    label,
    costValue: costOf(p.cost, out, label),
    layers: zs.map((z, l) => ({ z, a: as[l], delta: deltas[l], fromAbove: fromAbove[l] })),
    gradA,
    sigmaPrimeOutput,
    firstLayerNeuron,
    firstLayerGradient,
    checks,
  };
}
