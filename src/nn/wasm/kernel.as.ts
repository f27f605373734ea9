// The SGD kernel in AssemblyScript, compiled to WebAssembly with 128-bit SIMD by scripts/build-kernel.mjs.
// The same arithmetic as SparseTrainer (../sparse-trainer.ts), four float32 lanes at a time. It owns no memory: the
// caller (../wasm-trainer.ts) lays out every array in this module's memory and passes pointers.
//
// Layer table: for layer l = 1..L, seven i32 at table + (l − 1) · 28:
//   n (neurons), p (n rounded up to a multiple of 4), w, b, activations, deltas (byte pointers), and
//   the number of floats in w (padding included).
//   Layer 1's w is the first layer transposed, sizes[0] rows of p1 floats (row = one input pixel);
//   layer l ≥ 2's w is n_l rows of p_{l−1} floats. Padding lanes hold 0 and stay 0.

const ENTRY: usize = 28;

@inline function nOf(t: usize, l: i32): i32 { return load<i32>(t + <usize>(l - 1) * ENTRY); }
@inline function pOf(t: usize, l: i32): i32 { return load<i32>(t + <usize>(l - 1) * ENTRY, 4); }
@inline function wOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 8); }
@inline function bOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 12); }
@inline function aOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 16); }
@inline function dOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 20); }
@inline function wCountOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 24); }

@inline function sigmoid(z: f32): f32 {
  return <f32>1.0 / (<f32>1.0 + Mathf.exp(-z));
}

/** First free byte after this module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** a^l = σ(w^l a^{l−1} + b^l) for example i into batch slot `slot`; layer 1 sums only non-zero pixels. */
function feedforward(t: usize, L: i32, offsets: usize, indices: usize, values: usize, scale: f32, i: u32, slot: i32, s: usize): void {
  const n1 = nOf(t, 1);
  const p1 = pOf(t, 1);
  const rowBytes = <usize>p1 << 2;
  const w1 = wOf(t, 1);
  memory.copy(s, bOf(t, 1), rowBytes);
  const qEnd = load<u32>(offsets + (<usize>i << 2), 4);
  let q = load<u32>(offsets + (<usize>i << 2));
  // Four pixels per pass: the running sums are read and written a quarter as often.
  for (; q + 4 <= qEnd; q += 4) {
    const x0 = f32x4.splat(<f32>load<u8>(values + q) * scale);
    const x1 = f32x4.splat(<f32>load<u8>(values + q, 1) * scale);
    const x2 = f32x4.splat(<f32>load<u8>(values + q, 2) * scale);
    const x3 = f32x4.splat(<f32>load<u8>(values + q, 3) * scale);
    const at = indices + (<usize>q << 1);
    const c0 = w1 + <usize>load<u16>(at) * rowBytes;
    const c1 = w1 + <usize>load<u16>(at, 2) * rowBytes;
    const c2 = w1 + <usize>load<u16>(at, 4) * rowBytes;
    const c3 = w1 + <usize>load<u16>(at, 6) * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const sum = f32x4.add(
        f32x4.add(f32x4.mul(x0, v128.load(c0 + j)), f32x4.mul(x1, v128.load(c1 + j))),
        f32x4.add(f32x4.mul(x2, v128.load(c2 + j)), f32x4.mul(x3, v128.load(c3 + j))),
      );
      v128.store(s + j, f32x4.add(v128.load(s + j), sum));
    }
  }
  for (; q < qEnd; q++) {
    const xv = f32x4.splat(<f32>load<u8>(values + q) * scale);
    const column = w1 + <usize>load<u16>(indices + (<usize>q << 1)) * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      v128.store(s + j, f32x4.add(v128.load(s + j), f32x4.mul(xv, v128.load(column + j))));
    }
  }
  const a1 = aOf(t, 1) + <usize>slot * rowBytes;
  for (let j = 0; j < n1; j++) store<f32>(a1 + (<usize>j << 2), sigmoid(load<f32>(s + (<usize>j << 2))));
  for (let j = n1; j < p1; j++) store<f32>(a1 + (<usize>j << 2), 0);

  for (let l = 2; l <= L; l++) {
    const n = nOf(t, l);
    const p = pOf(t, l);
    const inBytes = <usize>pOf(t, l - 1) << 2;
    const w = wOf(t, l);
    const b = bOf(t, l);
    const aIn = aOf(t, l - 1) + <usize>slot * inBytes;
    const aOut = aOf(t, l) + <usize>slot * (<usize>p << 2);
    for (let j = 0; j < n; j++) {
      const row = w + <usize>j * inBytes;
      let acc = f32x4.splat(0);
      for (let k: usize = 0; k < inBytes; k += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(row + k), v128.load(aIn + k)));
      const z = load<f32>(b + (<usize>j << 2)) +
        (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      store<f32>(aOut + (<usize>j << 2), sigmoid(z));
    }
    for (let j = n; j < p; j++) store<f32>(aOut + (<usize>j << 2), 0);
  }
}

/** δ of every layer for the example in `slot`: BP1 at the output (per the cost), BP2 back to layer 1. */
function backpropDeltas(t: usize, L: i32, label: i32, slot: i32, s: usize, crossEntropy: bool): void {
  const nL = nOf(t, L);
  const outBytes = <usize>pOf(t, L) << 2;
  const aL = aOf(t, L) + <usize>slot * outBytes;
  const dL = dOf(t, L) + <usize>slot * outBytes;
  for (let j = 0; j < nL; j++) {
    const a = load<f32>(aL + (<usize>j << 2));
    const y: f32 = j == label ? 1 : 0;
    // Quadratic: (a − y) σ'(z) with σ'(z) = a(1 − a); cross-entropy: a − y.
    store<f32>(dL + (<usize>j << 2), crossEntropy ? a - y : (a - y) * a * (<f32>1 - a));
  }
  const one = f32x4.splat(1);
  for (let l = L - 1; l >= 1; l--) {
    const bytes = <usize>pOf(t, l) << 2;
    const nNext = nOf(t, l + 1);
    const w = wOf(t, l + 1);
    const dNext = dOf(t, l + 1) + <usize>slot * (<usize>pOf(t, l + 1) << 2);
    memory.fill(s, 0, bytes);
    for (let j = 0; j < nNext; j++) {
      const dj = f32x4.splat(load<f32>(dNext + (<usize>j << 2)));
      const row = w + <usize>j * bytes;
      for (let k: usize = 0; k < bytes; k += 16) v128.store(s + k, f32x4.add(v128.load(s + k), f32x4.mul(v128.load(row + k), dj)));
    }
    const a = aOf(t, l) + <usize>slot * bytes;
    const d = dOf(t, l) + <usize>slot * bytes;
    for (let k: usize = 0; k < bytes; k += 16) {
      const av = v128.load(a + k);
      v128.store(d + k, f32x4.mul(v128.load(s + k), f32x4.mul(av, f32x4.sub(one, av))));
    }
  }
}

/** Chapter 3's weight decay: every weight times (1 − ηλ/n); padding lanes are 0 and stay 0. */
function decayWeights(t: usize, L: i32, decay: f32): void {
  const d = f32x4.splat(decay);
  for (let l = 1; l <= L; l++) {
    const w = wOf(t, l);
    const bytes = wCountOf(t, l) << 2;
    for (let k: usize = 0; k < bytes; k += 16) v128.store(w + k, f32x4.mul(v128.load(w + k), d));
  }
}

/** BP3/BP4 summed over the m examples of the batch, applied with step η/m. */
function applyUpdates(t: usize, L: i32, offsets: usize, indices: usize, values: usize, scale: f32, order: usize, start: i32, m: i32, step: f32): void {
  for (let l = 1; l <= L; l++) {
    const bytes = <usize>pOf(t, l) << 2;
    const b = bOf(t, l);
    const d = dOf(t, l);
    const stepV = f32x4.splat(step);
    for (let k: usize = 0; k < bytes; k += 16) {
      let sum = f32x4.splat(0);
      for (let slot = 0; slot < m; slot++) sum = f32x4.add(sum, v128.load(d + <usize>slot * bytes + k));
      v128.store(b + k, f32x4.sub(v128.load(b + k), f32x4.mul(stepV, sum)));
    }
    if (l == 1) continue;
    const n = nOf(t, l);
    const inBytes = <usize>pOf(t, l - 1) << 2;
    const w = wOf(t, l);
    const aIn = aOf(t, l - 1);
    for (let j = 0; j < n; j++) {
      const row = w + <usize>j * inBytes;
      for (let slot = 0; slot < m; slot++) {
        const c = f32x4.splat(-step * load<f32>(d + <usize>slot * bytes + (<usize>j << 2)));
        const a = aIn + <usize>slot * inBytes;
        for (let k: usize = 0; k < inBytes; k += 16) v128.store(row + k, f32x4.add(v128.load(row + k), f32x4.mul(c, v128.load(a + k))));
      }
    }
  }
  // Layer 1: ∂C/∂w_jp = δ_j x_p is zero wherever pixel p is, so only the non-zero pixels' rows change.
  const rowBytes = <usize>pOf(t, 1) << 2;
  const w1 = wOf(t, 1);
  const d1 = dOf(t, 1);
  for (let slot = 0; slot < m; slot++) {
    const i = load<u32>(order + (<usize>(start + slot) << 2));
    const dv = d1 + <usize>slot * rowBytes;
    const qEnd = load<u32>(offsets + (<usize>i << 2), 4);
    let q = load<u32>(offsets + (<usize>i << 2));
    // Four pixels per pass share each load of δ.
    for (; q + 4 <= qEnd; q += 4) {
      const c0 = f32x4.splat(-step * (<f32>load<u8>(values + q) * scale));
      const c1 = f32x4.splat(-step * (<f32>load<u8>(values + q, 1) * scale));
      const c2 = f32x4.splat(-step * (<f32>load<u8>(values + q, 2) * scale));
      const c3 = f32x4.splat(-step * (<f32>load<u8>(values + q, 3) * scale));
      const at = indices + (<usize>q << 1);
      const col0 = w1 + <usize>load<u16>(at) * rowBytes;
      const col1 = w1 + <usize>load<u16>(at, 2) * rowBytes;
      const col2 = w1 + <usize>load<u16>(at, 4) * rowBytes;
      const col3 = w1 + <usize>load<u16>(at, 6) * rowBytes;
      for (let j: usize = 0; j < rowBytes; j += 16) {
        const d = v128.load(dv + j);
        v128.store(col0 + j, f32x4.add(v128.load(col0 + j), f32x4.mul(c0, d)));
        v128.store(col1 + j, f32x4.add(v128.load(col1 + j), f32x4.mul(c1, d)));
        v128.store(col2 + j, f32x4.add(v128.load(col2 + j), f32x4.mul(c2, d)));
        v128.store(col3 + j, f32x4.add(v128.load(col3 + j), f32x4.mul(c3, d)));
      }
    }
    for (; q < qEnd; q++) {
      const c = f32x4.splat(-step * (<f32>load<u8>(values + q) * scale));
      const column = w1 + <usize>load<u16>(indices + (<usize>q << 1)) * rowBytes;
      for (let j: usize = 0; j < rowBytes; j += 16) {
        v128.store(column + j, f32x4.add(v128.load(column + j), f32x4.mul(c, v128.load(dv + j))));
      }
    }
  }
}

/**
 * Mini-batches over order[start .. end): each of `miniBatchSize` examples (the last may be fewer),
 * one step each, exactly as update_mini_batch: w ← decay·w − (η/m) Σ ∇w, b ← b − (η/m) Σ ∇b.
 */
export function trainBatches(
  t: usize, L: i32, offsets: usize, indices: usize, values: usize, labels: usize, scale: f32,
  order: usize, start: i32, end: i32, miniBatchSize: i32, eta: f32, s: usize, crossEntropy: bool, decay: f32,
): void {
  for (let k = start; k < end; k += miniBatchSize) {
    const m = min(miniBatchSize, end - k);
    for (let slot = 0; slot < m; slot++) {
      const i = load<u32>(order + (<usize>(k + slot) << 2));
      feedforward(t, L, offsets, indices, values, scale, i, slot, s);
      backpropDeltas(t, L, <i32>load<u8>(labels + i), slot, s, crossEntropy);
    }
    if (decay != 1) decayWeights(t, L, decay);
    applyUpdates(t, L, offsets, indices, values, scale, order, k, m, eta / <f32>m);
  }
}

/** The index of the largest of the n activations at `a` (the digit the network reads; first wins, as numpy's argmax). */
@inline function argmaxAt(a: usize, n: i32): i32 {
  let best = 0;
  let bestValue = load<f32>(a);
  for (let j = 1; j < n; j++) {
    const v = load<f32>(a + (<usize>j << 2));
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/** Smallest positive float32: keeps ln(a) finite where a sigmoid rounded to exactly 0 or 1 (as ../cost.ts). */
const TINY: f64 = 1.401298464324817e-45;

/**
 * Correct classifications (argmax against label) of the first `count` examples; when `costOut` is not 0,
 * the sum of their costs C_x (quadratic or cross-entropy) is stored there as an f64, and when `readingsOut`
 * is not 0, the digit read for each example (the argmax) is stored there as a byte.
 */
export function evaluate(
  t: usize, L: i32, offsets: usize, indices: usize, values: usize, labels: usize, scale: f32, count: i32, s: usize,
  crossEntropy: bool, costOut: usize, readingsOut: usize,
): i32 {
  const nL = nOf(t, L);
  const aL = aOf(t, L);
  let correct = 0;
  let costSum: f64 = 0;
  for (let i = 0; i < count; i++) {
    feedforward(t, L, offsets, indices, values, scale, <u32>i, 0, s);
    const label = <i32>load<u8>(labels + <usize>i);
    if (costOut) {
      for (let j = 0; j < nL; j++) {
        const a = <f64>load<f32>(aL + (<usize>j << 2));
        if (!crossEntropy) costSum += 0.5 * (a - (j == label ? 1.0 : 0.0)) * (a - (j == label ? 1.0 : 0.0));
        else costSum -= j == label ? Math.log(max(a, TINY)) : Math.log(max(1.0 - a, TINY));
      }
    }
    const read = argmaxAt(aL, nL);
    if (readingsOut) store<u8>(readingsOut + <usize>i, <u8>read);
    if (read == label) correct++;
  }
  if (costOut) store<f64>(costOut, costSum);
  return correct;
}
