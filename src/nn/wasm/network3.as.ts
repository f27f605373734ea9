// Chapter 6's kernel in AssemblyScript (network3.py's layers), compiled twice by scripts/build-kernel.mjs like
// kernel.as.ts: with 128-bit SIMD, and with relaxed SIMD's fused multiply-add. The same steps as
// ../network3/network3.ts, four float32 lanes at a time. It owns no memory: ../network3/network3-wasm.ts lays out
// every array in this module's memory and passes byte pointers.
//
// Row strides are multiples of four floats, padded with zeros that stay zero: a conv-pool layer's filters
// and its patches are rows of Q4 = C·k² rounded up to 4; a dense layer's weights are rows of N4 inputs.

import { exp4, madd, sigmoid4 } from './simd.as';

export function heapBase(): usize {
  return __heap_base;
}

const SIGMOID: i32 = 0;
const TANH: i32 = 1;
const RELU: i32 = 2;

/** f(z) for four lanes: σ, tanh = 2σ(2z) − 1, max(0, z), or z. */
@inline function activate4(z: v128, fn: i32): v128 {
  if (fn == SIGMOID) return sigmoid4(z);
  if (fn == TANH) {
    const one = f32x4.splat(1);
    const two = f32x4.splat(2);
    return f32x4.sub(f32x4.div(two, f32x4.add(one, exp4(f32x4.mul(z, f32x4.splat(-2))))), one);
  }
  if (fn == RELU) return f32x4.max(z, f32x4.splat(0));
  return z;
}

/** f′ from the output a for four lanes: a(1 − a), 1 − a², 1 where a > 0, or 1. */
@inline function derivative4(a: v128, fn: i32): v128 {
  const one = f32x4.splat(1);
  if (fn == SIGMOID) return f32x4.mul(a, f32x4.sub(one, a));
  if (fn == TANH) return f32x4.sub(one, f32x4.mul(a, a));
  if (fn == RELU) return v128.and(f32x4.gt(a, f32x4.splat(0)), one);
  return one;
}

/** The sum of four lanes. */
@inline function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * im2col: the receptive field of each position (r, c) of a valid k × k convolution over `channels` planes of
 * height × width at aIn, as one row of Q4 floats at out: a[chan][r + l][c + m] at (chan·k + l)·k + m, the
 * filters' own layout. The rows' padding is left as it is (zero).
 */
export function patches(aIn: usize, channels: i32, height: i32, width: i32, k: i32, out: usize, q4: i32): void {
  const ch = height - k + 1;
  const cw = width - k + 1;
  for (let r = 0; r < ch; r++) {
    for (let c = 0; c < cw; c++) {
      let at = out + <usize>((r * cw + c) * q4) * 4;
      for (let chan = 0; chan < channels; chan++) {
        for (let l = 0; l < k; l++) {
          const row = aIn + <usize>((chan * height + r + l) * width + c) * 4;
          // Four of the row's k values at a time, then the rest one by one.
          let m = 0;
          for (; m + 4 <= k; m += 4) {
            v128.store(at, v128.load(row + <usize>m * 4));
            at += 16;
          }
          for (; m < k; m++) {
            store<f32>(at, load<f32>(row + <usize>m * 4));
            at += 4;
          }
        }
      }
    }
  }
}

/**
 * Each filter's dot product with each patch: out[f · positions + p] = w_f · patch_p, for `filters` rows of
 * q4 floats at w and `positions` patches. Four filters and two patches at a time: eight running sums, six
 * loads a step, within the sixteen vector registers.
 */
export function convolve(w: usize, filters: i32, q4: i32, patchesAt: usize, positions: i32, out: usize): void {
  const rowBytes = <usize>q4 * 4;
  let f = 0;
  for (; f + 4 <= filters; f += 4) {
    const w0 = w + <usize>f * rowBytes;
    let p = 0;
    for (; p + 2 <= positions; p += 2) {
      const x0 = patchesAt + <usize>p * rowBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let q: usize = 0; q < rowBytes; q += 16) {
        const a = v128.load(x0 + q);
        const b = v128.load(x0 + rowBytes + q);
        const v0 = v128.load(w0 + q);
        s00 = madd(v0, a, s00);
        s01 = madd(v0, b, s01);
        const v1 = v128.load(w0 + rowBytes + q);
        s10 = madd(v1, a, s10);
        s11 = madd(v1, b, s11);
        const v2 = v128.load(w0 + 2 * rowBytes + q);
        s20 = madd(v2, a, s20);
        s21 = madd(v2, b, s21);
        const v3 = v128.load(w0 + 3 * rowBytes + q);
        s30 = madd(v3, a, s30);
        s31 = madd(v3, b, s31);
      }
      const o = out + (<usize>f * <usize>positions + <usize>p) * 4;
      const stride = <usize>positions * 4;
      store<f32>(o, sum4(s00));
      store<f32>(o, sum4(s01), 4);
      store<f32>(o + stride, sum4(s10));
      store<f32>(o + stride, sum4(s11), 4);
      store<f32>(o + 2 * stride, sum4(s20));
      store<f32>(o + 2 * stride, sum4(s21), 4);
      store<f32>(o + 3 * stride, sum4(s30));
      store<f32>(o + 3 * stride, sum4(s31), 4);
    }
    for (; p < positions; p++) {
      for (let g = f; g < f + 4; g++) store<f32>(out + (<usize>g * <usize>positions + <usize>p) * 4, dot(w + <usize>g * rowBytes, patchesAt + <usize>p * rowBytes, rowBytes));
    }
  }
  for (; f < filters; f++) {
    for (let p = 0; p < positions; p++) store<f32>(out + (<usize>f * <usize>positions + <usize>p) * 4, dot(w + <usize>f * rowBytes, patchesAt + <usize>p * rowBytes, rowBytes));
  }
}

/** x · y over `bytes` / 4 floats (a multiple of four). */
@inline function dot(x: usize, y: usize, bytes: usize): f32 {
  let s = f32x4.splat(0);
  for (let q: usize = 0; q < bytes; q += 16) s = madd(v128.load(x + q), v128.load(y + q), s);
  return sum4(s);
}

/**
 * Each pool × pool block of each filter's convolved map (ch × cw at conv): its maximum plus the filter's bias,
 * through f, into out (filters × ph × pw), with where the maximum was (an index into conv) in maxAt.
 */
export function poolActivate(conv: usize, filters: i32, ch: i32, cw: i32, pool: i32, b: usize, fn: i32, out: usize, maxAt: usize): void {
  const ph = ch / pool;
  const pw = cw / pool;
  const positions = ch * cw;
  let o = 0;
  for (let f = 0; f < filters; f++) {
    const bias = load<f32>(b + <usize>f * 4);
    for (let r = 0; r < ph; r++) {
      for (let c = 0; c < pw; c++) {
        let bestAt = f * positions + r * pool * cw + c * pool;
        let best = load<f32>(conv + <usize>bestAt * 4);
        for (let l = 0; l < pool; l++) {
          for (let m = 0; m < pool; m++) {
            const at = f * positions + (r * pool + l) * cw + c * pool + m;
            const v = load<f32>(conv + <usize>at * 4);
            if (v > best) {
              best = v;
              bestAt = at;
            }
          }
        }
        store<i32>(maxAt + <usize>o * 4, bestAt);
        store<f32>(out + <usize>o * 4, best + bias);
        o++;
      }
    }
  }
  activateInPlace(out, o, fn);
}

/** f of n values in place (n need not be a multiple of four: the last lanes are done one by one). */
export function activateInPlace(z: usize, n: i32, fn: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(z + <usize>k * 4, activate4(v128.load(z + <usize>k * 4), fn));
  for (; k < n; k++) {
    const v = f32x4.extract_lane(activate4(f32x4.splat(load<f32>(z + <usize>k * 4)), fn), 0);
    store<f32>(z + <usize>k * 4, v);
  }
}

/** δ = ∂C/∂a ⊙ f′ from the outputs a, for n values (in place over dA). */
export function throughActivation(dA: usize, a: usize, n: i32, fn: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const at = <usize>k * 4;
    v128.store(dA + at, f32x4.mul(v128.load(dA + at), derivative4(v128.load(a + at), fn)));
  }
  for (; k < n; k++) {
    const at = <usize>k * 4;
    store<f32>(dA + at, load<f32>(dA + at) * f32x4.extract_lane(derivative4(f32x4.splat(load<f32>(a + at)), fn), 0));
  }
}

/**
 * Backprop through a conv-pool layer for one example, from δ of its `count` pooled outputs (`perFilter` each):
 * each pool's δ reaches only the patch of its maximum, adding δ·patch to the filter's ∂C/∂w, and, when
 * dPatches is not 0, δ·w to that patch's ∂C/∂a (unpatch() then adds the patches into the planes).
 */
export function convBackward(delta: usize, count: i32, perFilter: i32, positions: i32, maxAt: usize, patchesAt: usize, q4: i32, w: usize, nablaW: usize, nablaB: usize, dPatches: usize): void {
  const rowBytes = <usize>q4 * 4;
  for (let o = 0; o < count; o++) {
    const d = load<f32>(delta + <usize>o * 4);
    const f = o / perFilter;
    const bAt = nablaB + <usize>f * 4;
    store<f32>(bAt, load<f32>(bAt) + d);
    if (d == 0) continue;
    const p = load<i32>(maxAt + <usize>o * 4) - f * positions;
    const dv = f32x4.splat(d);
    const patch = patchesAt + <usize>p * rowBytes;
    const gw = nablaW + <usize>f * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 16) v128.store(gw + q, madd(dv, v128.load(patch + q), v128.load(gw + q)));
    if (dPatches == 0) continue;
    const wf = w + <usize>f * rowBytes;
    const dp = dPatches + <usize>p * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 16) v128.store(dp + q, madd(dv, v128.load(wf + q), v128.load(dp + q)));
  }
}

/** col2im: each patch's ∂C/∂a added into the planes at below (channels × height × width, zeroed by the caller). */
export function unpatch(dPatches: usize, channels: i32, height: i32, width: i32, k: i32, q4: i32, below: usize): void {
  const ch = height - k + 1;
  const cw = width - k + 1;
  for (let r = 0; r < ch; r++) {
    for (let c = 0; c < cw; c++) {
      let at = dPatches + <usize>((r * cw + c) * q4) * 4;
      for (let chan = 0; chan < channels; chan++) {
        for (let l = 0; l < k; l++) {
          const row = below + <usize>((chan * height + r + l) * width + c) * 4;
          let m = 0;
          for (; m + 4 <= k; m += 4) {
            const to = row + <usize>m * 4;
            v128.store(to, f32x4.add(v128.load(to), v128.load(at)));
            at += 16;
          }
          for (; m < k; m++) {
            const to = row + <usize>m * 4;
            store<f32>(to, load<f32>(to) + load<f32>(at));
            at += 4;
          }
        }
      }
    }
  }
}

/** A dense layer's z: z[j] = b[j] + w_j · x, for `neurons` rows of n4 floats at w (x padded to n4 with zeros). */
export function dense(w: usize, b: usize, neurons: i32, n4: i32, x: usize, z: usize): void {
  const rowBytes = <usize>n4 * 4;
  for (let j = 0; j < neurons; j++) {
    store<f32>(z + <usize>j * 4, load<f32>(b + <usize>j * 4) + dot(w + <usize>j * rowBytes, x, rowBytes));
  }
}

/** Backprop through a dense layer: ∂C/∂b += δ, ∂C/∂w_j += δ_j x, and (below not 0) ∂C/∂x += Σ_j δ_j w_j. */
export function denseBackward(delta: usize, neurons: i32, n4: i32, x: usize, w: usize, nablaW: usize, nablaB: usize, below: usize): void {
  const rowBytes = <usize>n4 * 4;
  for (let j = 0; j < neurons; j++) {
    const d = load<f32>(delta + <usize>j * 4);
    const bAt = nablaB + <usize>j * 4;
    store<f32>(bAt, load<f32>(bAt) + d);
    if (d == 0) continue;
    const dv = f32x4.splat(d);
    const gw = nablaW + <usize>j * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 16) v128.store(gw + q, madd(dv, v128.load(x + q), v128.load(gw + q)));
    if (below == 0) continue;
    const wj = w + <usize>j * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 16) v128.store(below + q, madd(dv, v128.load(wj + q), v128.load(below + q)));
  }
}

/** network3.py's step for n floats (a multiple of four): w ← decay · w − scale · ∂C/∂w. */
export function update(w: usize, nablaW: usize, n: i32, decay: f32, scale: f32): void {
  const dv = f32x4.splat(decay);
  const sv = f32x4.splat(-scale);
  for (let k: usize = 0; k < <usize>n * 4; k += 16) v128.store(w + k, madd(sv, v128.load(nablaW + k), f32x4.mul(dv, v128.load(w + k))));
}
