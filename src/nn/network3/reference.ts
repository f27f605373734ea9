/**
 * The oracle for chapter 6: network3.py's layers translated line by line, one example at a time, in
 * float64, each sum written as its definition (a convolution as Σ_c Σ_l Σ_m w a, max-pooling as the
 * largest of each pool). Slow and plain on purpose: the fast path (network3.ts) is held to it, and it is
 * held to finite differences.
 *
 * The convolution is the book's chapter 6 formula, σ(b + Σ_l Σ_m w_{l,m} a_{j+l,k+m}) (a cross-correlation;
 * Theano's conv2d flips the filter, which changes what a filter looks like, not what the network can learn).
 * As in network3.py the bias is added and the activation applied after the pool.
 */
import { activate, derivativeFromOutput, shapesOf, sizeOf, type Network3Like, type Shape } from './layers';

/**
 * Which inputs of each layer are kept in one training example (1 kept, 0 dropped), or null for a layer
 * without dropout; without masks at all the network is evaluated as network3.py's `output` is: each
 * dropout layer's weights scaled by (1 − p_dropout).
 */
export type DropoutMasks = (Uint8Array | null)[];

/** One example through the network: each layer's output a, and for a conv-pool layer where each pool's maximum was. */
export interface ReferencePass {
  /** a of each layer, the input first. */
  activations: Float64Array[];
  /** For each conv-pool layer, per pooled output, the index into its convolved map of the maximum (others: empty). */
  maxAt: Int32Array[];
}

/** The input a layer sees: masked while training, scaled by (1 − p) when evaluating. */
function layerInput(a: Float64Array, dropout: number, mask: Uint8Array | null | undefined, training: boolean): Float64Array {
  if (dropout === 0) return a;
  if (training) return a.map((v, k) => (mask![k] ? v : 0));
  return a.map((v) => v * (1 - dropout));
}

export function referenceForward(net: Network3Like, x: ArrayLike<number>, masks?: DropoutMasks): ReferencePass {
  const shapes = shapesOf(net.input, net.layers);
  const training = masks !== undefined;
  const activations = [Float64Array.from(x)];
  const maxAt: Int32Array[] = [];
  net.layers.forEach((layer, i) => {
    const { w, b } = net.parameters[i];
    const before = shapes[i];
    const after = shapes[i + 1];
    const aIn = activations[i];
    const out = new Float64Array(sizeOf(after));
    if (layer.kind === 'conv-pool') {
      const k = layer.filterSize;
      const ch = before.height - k + 1;
      const cw = before.width - k + 1;
      const convolved = new Float64Array(layer.filters * ch * cw);
      for (let f = 0; f < layer.filters; f++) {
        for (let r = 0; r < ch; r++) {
          for (let c = 0; c < cw; c++) {
            let s = 0;
            for (let chan = 0; chan < before.channels; chan++) {
              for (let l = 0; l < k; l++) {
                for (let m = 0; m < k; m++) {
                  s += w[((f * before.channels + chan) * k + l) * k + m] * aIn[(chan * before.height + r + l) * before.width + c + m];
                }
              }
            }
            convolved[(f * ch + r) * cw + c] = s;
          }
        }
      }
      const where = new Int32Array(out.length);
      const p = layer.poolSize;
      for (let f = 0; f < layer.filters; f++) {
        for (let r = 0; r < after.height; r++) {
          for (let c = 0; c < after.width; c++) {
            let best = -Infinity;
            let bestAt = -1;
            for (let l = 0; l < p; l++) {
              for (let m = 0; m < p; m++) {
                const at = (f * ch + r * p + l) * cw + c * p + m;
                if (convolved[at] > best) {
                  best = convolved[at];
                  bestAt = at;
                }
              }
            }
            const o = (f * after.height + r) * after.width + c;
            where[o] = bestAt;
            out[o] = activate(layer.activation, best + b[f]);
          }
        }
      }
      maxAt.push(where);
    } else {
      const input = layerInput(aIn, layer.dropout, masks?.[i], training);
      const n = input.length;
      const z = new Float64Array(layer.neurons);
      for (let j = 0; j < layer.neurons; j++) {
        let s = b[j];
        for (let kk = 0; kk < n; kk++) s += w[j * n + kk] * input[kk];
        z[j] = s;
      }
      if (layer.kind === 'softmax') {
        // softmax(z)_j = e^{z_j} / Σ_k e^{z_k}, computed from z − max z so no exponential overflows.
        const top = Math.max(...z);
        const e = z.map((v) => Math.exp(v - top));
        const sum = e.reduce((a, v) => a + v, 0);
        e.forEach((v, j) => (out[j] = v / sum));
      } else {
        z.forEach((v, j) => (out[j] = activate(layer.activation, v)));
      }
      maxAt.push(new Int32Array(0));
    }
    activations.push(out);
  });
  return { activations, maxAt };
}

/** The log-likelihood cost of one example, −ln a_y. */
export function logLikelihood(output: ArrayLike<number>, label: number): number {
  return -Math.log(output[label]);
}

/** ∂C/∂w and ∂C/∂b of every layer for one example (C = −ln a_y), by backpropagation through the pass. */
export interface ReferenceGradient {
  cost: number;
  nablaW: Float64Array[];
  nablaB: Float64Array[];
}

export function referenceBackprop(net: Network3Like, x: ArrayLike<number>, label: number, masks?: DropoutMasks): ReferenceGradient {
  const shapes: Shape[] = shapesOf(net.input, net.layers);
  const training = masks !== undefined;
  const { activations, maxAt } = referenceForward(net, x, masks);
  const L = net.layers.length;
  const nablaW = net.parameters.map((p) => new Float64Array(p.w.length));
  const nablaB = net.parameters.map((p) => new Float64Array(p.b.length));
  // δ of the softmax layer with the log-likelihood cost: ∂C/∂z_j = a_j − y_j.
  let delta = activations[L].map((a, j) => a - (j === label ? 1 : 0));
  for (let i = L - 1; i >= 0; i--) {
    const layer = net.layers[i];
    const { w } = net.parameters[i];
    const before = shapes[i];
    const after = shapes[i + 1];
    const aIn = activations[i];
    const dIn = new Float64Array(aIn.length);
    if (layer.kind === 'conv-pool') {
      const k = layer.filterSize;
      const ch = before.height - k + 1;
      const cw = before.width - k + 1;
      // Each pooled output's δ flows to the one convolved value that was its maximum.
      const dConv = new Float64Array(layer.filters * ch * cw);
      delta.forEach((d, o) => {
        dConv[maxAt[i][o]] += d;
        nablaB[i][Math.floor(o / (after.height * after.width))] += d;
      });
      for (let f = 0; f < layer.filters; f++) {
        for (let r = 0; r < ch; r++) {
          for (let c = 0; c < cw; c++) {
            const d = dConv[(f * ch + r) * cw + c];
            if (d === 0) continue;
            for (let chan = 0; chan < before.channels; chan++) {
              for (let l = 0; l < k; l++) {
                for (let m = 0; m < k; m++) {
                  const wi = ((f * before.channels + chan) * k + l) * k + m;
                  const ai = (chan * before.height + r + l) * before.width + c + m;
                  nablaW[i][wi] += d * aIn[ai];
                  dIn[ai] += d * w[wi];
                }
              }
            }
          }
        }
      }
    } else {
      const n = aIn.length;
      const mask = masks?.[i];
      // What each input was multiplied by on the way in: kept or dropped, or (1 − p) when evaluating.
      const factor = (kk: number) => (layer.dropout === 0 ? 1 : training ? mask![kk] : 1 - layer.dropout);
      for (let j = 0; j < layer.neurons; j++) {
        nablaB[i][j] += delta[j];
        for (let kk = 0; kk < n; kk++) {
          nablaW[i][j * n + kk] += delta[j] * aIn[kk] * factor(kk);
          dIn[kk] += w[j * n + kk] * delta[j] * factor(kk);
        }
      }
    }
    if (i === 0) break;
    // Through the activation of the layer below: δ = ∂C/∂a ⊙ f′(z).
    const below = net.layers[i - 1];
    const fn = below.kind === 'softmax' ? 'linear' : below.activation;
    delta = dIn.map((d, kk) => d * derivativeFromOutput(fn, aIn[kk]));
  }
  return { cost: logLikelihood(activations[L], label), nablaW, nablaB };
}

/**
 * network3.py's update for one mini-batch: w ← w − η (∂/∂w of the batch's mean cost + λ w / numTrainingBatches),
 * b ← b − η ∂/∂b of the mean cost (its L2 term, 0.5 λ Σ w² / num_training_batches, leaves the biases alone).
 */
export function referenceUpdateMiniBatch(
  net: Network3Like,
  inputs: ArrayLike<number>[],
  labels: ArrayLike<number>,
  eta: number,
  lambda: number,
  numTrainingBatches: number,
  masks?: DropoutMasks[],
): void {
  const m = inputs.length;
  const sumW = net.parameters.map((p) => new Float64Array(p.w.length));
  const sumB = net.parameters.map((p) => new Float64Array(p.b.length));
  inputs.forEach((x, e) => {
    const { nablaW, nablaB } = referenceBackprop(net, x, labels[e], masks?.[e]);
    nablaW.forEach((g, i) => g.forEach((v, k) => (sumW[i][k] += v)));
    nablaB.forEach((g, i) => g.forEach((v, k) => (sumB[i][k] += v)));
  });
  net.parameters.forEach(({ w, b }, i) => {
    for (let k = 0; k < w.length; k++) w[k] -= eta * (sumW[i][k] / m + (lambda * w[k]) / numTrainingBatches);
    for (let k = 0; k < b.length; k++) b[k] -= eta * (sumB[i][k] / m);
  });
}
