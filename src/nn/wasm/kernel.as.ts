// The SGD kernel in AssemblyScript, compiled to WebAssembly twice by scripts/build-kernel.mjs: with 128-bit
// SIMD, and with relaxed SIMD too, where `madd` is a fused multiply-add (ASC_FEATURE_RELAXED_SIMD below).
// The same algorithm as SparseTrainer (../sparse-trainer.ts), four float32 lanes at a time. It owns no memory: the
// caller (../wasm-trainer.ts) lays out every array in this module's memory and passes pointers.
//
// Layer table: for layer l = 1..L, seven i32 at table + (l − 1) · 28:
//   n (neurons), p (n rounded up to a multiple of 4), w, b, activations, deltas (byte pointers), and
//   the number of floats in w (padding included).
//   Layer 1's w is the first layer transposed (a row of p1 floats per input pixel), stored in blocks of
//   columns (see PANEL_BYTES below);
//   layer l ≥ 2's w is p_l rows of p_{l−1} floats (rows from n_l on are padding). Padding holds 0 and stays 0.

const ENTRY: usize = 28;

@inline function nOf(t: usize, l: i32): i32 { return load<i32>(t + <usize>(l - 1) * ENTRY); }
@inline function pOf(t: usize, l: i32): i32 { return load<i32>(t + <usize>(l - 1) * ENTRY, 4); }
@inline function wOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 8); }
@inline function bOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 12); }
@inline function aOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 16); }
@inline function dOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 20); }
@inline function wCountOf(t: usize, l: i32): usize { return load<u32>(t + <usize>(l - 1) * ENTRY, 24); }

import { madd, sigmoid4 } from './simd.as';

/** σ of the `bytes` / 4 sums at z into a; lanes from n on are set to 0 (the padding stays 0). */
function activate(z: usize, a: usize, n: i32, bytes: usize): void {
  for (let k: usize = 0; k < bytes; k += 16) v128.store(a + k, sigmoid4(v128.load(z + k)));
  for (let j = n; j < <i32>(bytes >> 2); j++) store<f32>(a + (<usize>j << 2), 0);
}

/** First free byte after this module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

// The first layer, the hot loop. Per example, its non-zero pixels are first gathered into (value, pixel
// offset) pairs; then one pass over the pairs for each block of float32x4 columns, the block's columns held
// in registers and every weight reached at a constant offset from its pixel's start. A panel is 7 column
// vectors: the forward sum's 7 running sums, 7 loaded weights and the pixel value fill the 15 vector
// registers V8 allocates on x64 (with 8, one sum lived on the stack and its chain of adds through memory set
// the pace). The update holds the panel's 7 columns of δ; its pixels are distinct, so nothing chains from
// one pixel to the next.

const PANEL_BYTES: usize = 7 << 4;

// The first layer's weights in blocks of columns: PANEL_BYTES-wide blocks while they fit, then 4-column-vector
// ones, then single column vectors (784-100-10's 25 are 7 + 7 + 7 + 4; 784-30-10's 8 are 7 + 1). A block holds
// its columns for every pixel, one pixel after the other: a panel's pass over an example's pixels reads
// weights packed tightly (neighbouring pixels' rows share cache lines and pages) rather than a slice of every
// whole row (at 100 hidden, rows of 400 bytes spread over 77 pages, more than the first-level TLB holds).
// The pairs carry a pixel's offset in a one-column block (16p); a block `width` bytes wide is width / 16
// times that.

// An order entry of an expanded epoch (the book's expand_mnist.py, made on the fly): the example's index in
// its low 29 bits and a one-pixel shift in the top three: 1 down, 2 up, 3 right, 4 left (../dataset.ts).
const SHIFT_SHIFT: u32 = 29;
const EXAMPLE_MASK: u32 = (1 << SHIFT_SHIFT) - 1;

/** As gather for example i moved by `shift` on its side × side grid: pixels that leave the image are dropped. */
function gatherShifted(offsets: usize, indices: usize, values: usize, scale: f32, i: u32, shift: u32, pairs: usize, side: i32): usize {
  const dr: i32 = shift == 1 ? 1 : shift == 2 ? -1 : 0;
  const dc: i32 = shift == 3 ? 1 : shift == 4 ? -1 : 0;
  const qEnd = load<u32>(offsets + (<usize>i << 2), 4);
  let out = pairs;
  // Positions ascend within an example, so the row is followed along instead of divided out.
  let row = 0;
  let rowStart = 0;
  for (let q = load<u32>(offsets + (<usize>i << 2)); q < qEnd; q++) {
    const p = <i32>load<u16>(indices + (<usize>q << 1));
    while (p >= rowStart + side) {
      rowStart += side;
      row++;
    }
    const r = row + dr;
    const c = p - rowStart + dc;
    if (r < 0 || r >= side || c < 0 || c >= side) continue;
    store<f32>(out, <f32>load<u8>(values + q) * scale);
    store<u32>(out, <u32>(r * side + c) << 4, 4);
    out += 8;
  }
  return out;
}

/** Example i's non-zero pixels as pairs at `pairs`: f32 x_p, u32 16p (p's offset in a one-column block); returns the end. */
@inline function gather(offsets: usize, indices: usize, values: usize, scale: f32, entry: u32, pairs: usize, side: i32): usize {
  const i = entry & EXAMPLE_MASK;
  if (entry >>> SHIFT_SHIFT) return gatherShifted(offsets, indices, values, scale, i, entry >>> SHIFT_SHIFT, pairs, side);
  const qEnd = load<u32>(offsets + (<usize>i << 2), 4);
  let q = load<u32>(offsets + (<usize>i << 2));
  let out = pairs;
  const scaleV = f32x4.splat(scale);
  // Four at a time: bytes widened to f32, positions widened to i32 and times 16, then interleaved.
  for (; q + 4 <= qEnd; q += 4) {
    const bytes = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(values + q)));
    const x = f32x4.mul(f32x4.convert_i32x4_u(bytes), scaleV);
    const rows = i32x4.shl(i32x4.extend_low_i16x8_u(v128.load64_zero(indices + (<usize>q << 1))), 4);
    v128.store(out, i32x4.shuffle(x, rows, 0, 4, 1, 5));
    v128.store(out, i32x4.shuffle(x, rows, 2, 6, 3, 7), 16);
    out += 32;
  }
  for (; q < qEnd; q++) {
    store<f32>(out, <f32>load<u8>(values + q) * scale);
    store<u32>(out, <u32>load<u16>(indices + (<usize>q << 1)) << 4, 4);
    out += 8;
  }
  return out;
}

/** z[0 .. 28) = b + Σ_pairs x · w[pixel][0 .. 28), for the 28-column block at w (and its columns of b, z). */
function sumPanel(w: usize, b: usize, pairs: usize, pairsEnd: usize, z: usize): void {
  let s0 = v128.load(b), s1 = v128.load(b, 16), s2 = v128.load(b, 32), s3 = v128.load(b, 48);
  let s4 = v128.load(b, 64), s5 = v128.load(b, 80), s6 = v128.load(b, 96);
  for (let q = pairs; q < pairsEnd; q += 8) {
    const x = v128.load32_splat(q);
    const row = w + <usize>load<u32>(q, 4) * 7;
    s0 = madd(x, v128.load(row), s0);
    s1 = madd(x, v128.load(row, 16), s1);
    s2 = madd(x, v128.load(row, 32), s2);
    s3 = madd(x, v128.load(row, 48), s3);
    s4 = madd(x, v128.load(row, 64), s4);
    s5 = madd(x, v128.load(row, 80), s5);
    s6 = madd(x, v128.load(row, 96), s6);
  }
  v128.store(z, s0); v128.store(z, s1, 16); v128.store(z, s2, 32); v128.store(z, s3, 48);
  v128.store(z, s4, 64); v128.store(z, s5, 80); v128.store(z, s6, 96);
}

/** As sumPanel for a block of four column vectors. */
function sumPanel4(w: usize, b: usize, pairs: usize, pairsEnd: usize, z: usize): void {
  let s0 = v128.load(b), s1 = v128.load(b, 16), s2 = v128.load(b, 32), s3 = v128.load(b, 48);
  for (let q = pairs; q < pairsEnd; q += 8) {
    const x = v128.load32_splat(q);
    const row = w + (<usize>load<u32>(q, 4) << 2);
    s0 = madd(x, v128.load(row), s0);
    s1 = madd(x, v128.load(row, 16), s1);
    s2 = madd(x, v128.load(row, 32), s2);
    s3 = madd(x, v128.load(row, 48), s3);
  }
  v128.store(z, s0); v128.store(z, s1, 16); v128.store(z, s2, 32); v128.store(z, s3, 48);
}

/** As sumPanel for a block of one column vector, even and odd pixels in two sums. */
function sumColumn(w: usize, b: usize, pairs: usize, pairsEnd: usize, z: usize): void {
  let even = v128.load(b);
  let odd = f32x4.splat(0);
  let q = pairs;
  for (; q + 16 <= pairsEnd; q += 16) {
    even = madd(v128.load32_splat(q), v128.load(w + <usize>load<u32>(q, 4)), even);
    odd = madd(v128.load32_splat(q, 8), v128.load(w + <usize>load<u32>(q, 12)), odd);
  }
  if (q < pairsEnd) even = madd(v128.load32_splat(q), v128.load(w + <usize>load<u32>(q, 4)), even);
  v128.store(z, f32x4.add(even, odd));
}

/** w[pixel][0 .. 28) += c · d[0 .. 28) with c = step · x for every pair (x, pixel): the first layer's update for one example and block. */
function updatePanel(w: usize, d: usize, step: v128, pairs: usize, pairsEnd: usize): void {
  const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
  const d4 = v128.load(d, 64), d5 = v128.load(d, 80), d6 = v128.load(d, 96);
  for (let q = pairs; q < pairsEnd; q += 8) {
    const c = f32x4.mul(step, v128.load32_splat(q));
    const row = w + <usize>load<u32>(q, 4) * 7;
    v128.store(row, madd(c, d0, v128.load(row)));
    v128.store(row, madd(c, d1, v128.load(row, 16)), 16);
    v128.store(row, madd(c, d2, v128.load(row, 32)), 32);
    v128.store(row, madd(c, d3, v128.load(row, 48)), 48);
    v128.store(row, madd(c, d4, v128.load(row, 64)), 64);
    v128.store(row, madd(c, d5, v128.load(row, 80)), 80);
    v128.store(row, madd(c, d6, v128.load(row, 96)), 96);
  }
}

/** As updatePanel for a block of four column vectors. */
function updatePanel4(w: usize, d: usize, step: v128, pairs: usize, pairsEnd: usize): void {
  const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
  for (let q = pairs; q < pairsEnd; q += 8) {
    const c = f32x4.mul(step, v128.load32_splat(q));
    const row = w + (<usize>load<u32>(q, 4) << 2);
    v128.store(row, madd(c, d0, v128.load(row)));
    v128.store(row, madd(c, d1, v128.load(row, 16)), 16);
    v128.store(row, madd(c, d2, v128.load(row, 32)), 32);
    v128.store(row, madd(c, d3, v128.load(row, 48)), 48);
  }
}

/** As updatePanel for a block of one column vector. */
function updateColumn(w: usize, d: usize, step: v128, pairs: usize, pairsEnd: usize): void {
  const dv = v128.load(d);
  for (let q = pairs; q < pairsEnd; q += 8) {
    const row = w + <usize>load<u32>(q, 4);
    v128.store(row, madd(f32x4.mul(step, v128.load32_splat(q)), dv, v128.load(row)));
  }
}

/** The number of input pixels of layer 1 (its weight count over its padded width). */
@inline function inputsOf(t: usize): usize {
  return wCountOf(t, 1) / <usize>pOf(t, 1);
}

// Examples go through the first layer in groups of up to GROUP: all their pixels are gathered first (the
// end of example k's pairs at ends[k]), then each block of columns takes every example in turn. The block's
// rows of the group's pixels (about 380 for ten digits) are then read from the first-level cache after the
// first example, where example after example through every block read each from the second level.
const GROUP: i32 = 16;

/** Examples in a group: every layer needs room for this many (or the mini-batch, if larger) in its slots. */
export function groupSize(): i32 {
  return GROUP;
}

/** Bytes of the pairs workspace for inputs of n0 pixels: a group's pairs, then their ends. */
export function pairsBytes(n0: i32): usize {
  return <usize>GROUP * (<usize>n0 << 3) + (<usize>GROUP << 2);
}

/**
 * Order entries order[from .. from + count) gathered as pairs, or examples from .. from + count
 * when `order` is 0; returns where their ends are.
 */
function gatherGroup(offsets: usize, indices: usize, values: usize, scale: f32, order: usize, from: i32, count: i32, pairs: usize, n0: usize, side: i32): usize {
  const ends = pairs + <usize>GROUP * (n0 << 3);
  let end = pairs;
  for (let k = 0; k < count; k++) {
    const entry = order ? load<u32>(order + (<usize>(from + k) << 2)) : <u32>(from + k);
    end = gather(offsets, indices, values, scale, entry, end, side);
    store<u32>(ends + (<usize>k << 2), <u32>end);
  }
  return ends;
}

/**
 * The first layer over the `count` examples gathered at pairs (ends as gatherGroup's), block after block:
 * their sums z = b¹ + w¹ x into rows, rows + p1·4, …, or, when `update`, BP4's w¹ += step · δ xᵀ with
 * their δs at rows, rows + p1·4, … (only the rows of non-zero pixels change, and each weight takes the
 * examples in order, as example after example would).
 */
function firstLayer(t: usize, pairs: usize, ends: usize, count: i32, rows: usize, update: bool, step: f32): void {
  const rowBytes = <usize>pOf(t, 1) << 2;
  const n0 = inputsOf(t);
  const b1 = bOf(t, 1);
  const stepV = f32x4.splat(step);
  let block = wOf(t, 1);
  for (let c: usize = 0; c < rowBytes; ) {
    const width: usize = c + PANEL_BYTES <= rowBytes ? PANEL_BYTES : c + 64 <= rowBytes ? 64 : 16;
    let from = pairs;
    for (let k = 0; k < count; k++) {
      const to = <usize>load<u32>(ends + (<usize>k << 2));
      const at = rows + <usize>k * rowBytes + c;
      if (update) {
        if (width == PANEL_BYTES) updatePanel(block, at, stepV, from, to);
        else if (width == 64) updatePanel4(block, at, stepV, from, to);
        else updateColumn(block, at, stepV, from, to);
      } else if (width == PANEL_BYTES) sumPanel(block, b1 + c, from, to, at);
      else if (width == 64) sumPanel4(block, b1 + c, from, to, at);
      else sumColumn(block, b1 + c, from, to, at);
      from = to;
    }
    c += width;
    block += n0 * width;
  }
}

/** a^l = σ(w^l a^{l−1} + b^l) for l ≥ 2, for the example in batch slot `slot` (its a¹ already there). */
function feedforwardDense(t: usize, L: i32, slot: i32, s: usize): void {
  for (let l = 2; l <= L; l++) {
    const outBytes = <usize>pOf(t, l) << 2;
    const inBytes = <usize>pOf(t, l - 1) << 2;
    const aIn = aOf(t, l - 1) + <usize>slot * inBytes;
    const w = wOf(t, l);
    const b = bOf(t, l);
    for (let j: usize = 0; j < outBytes; j += 16) sumFourRows(w + (j >> 2) * inBytes, aIn, inBytes, b + j, s + j);
    activate(s, aOf(t, l) + <usize>slot * outBytes, nOf(t, l), outBytes);
  }
}

/**
 * z[0 .. 4) = b[0 .. 4) + (rows 0..3 of w) · a, for a dense layer: four rows at once, so that four
 * independent sums are in flight, then added across lanes together (a 4 × 4 transpose).
 */
@inline function sumFourRows(w: usize, a: usize, inBytes: usize, b: usize, z: usize): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  for (let k: usize = 0; k < inBytes; k += 16) {
    const x = v128.load(a + k);
    const row = w + k;
    s0 = madd(v128.load(row), x, s0);
    s1 = madd(v128.load(row + inBytes), x, s1);
    s2 = madd(v128.load(row + 2 * inBytes), x, s2);
    s3 = madd(v128.load(row + 3 * inBytes), x, s3);
  }
  const low = f32x4.add(i32x4.shuffle(s0, s1, 0, 4, 1, 5), i32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const high = f32x4.add(i32x4.shuffle(s2, s3, 0, 4, 1, 5), i32x4.shuffle(s2, s3, 2, 6, 3, 7));
  const sums = f32x4.add(i32x4.shuffle(low, high, 0, 1, 4, 5), i32x4.shuffle(low, high, 2, 3, 6, 7));
  v128.store(z, f32x4.add(v128.load(b), sums));
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
    backSums(w, dNext, nNext, bytes, s);
    const a = aOf(t, l) + <usize>slot * bytes;
    const d = dOf(t, l) + <usize>slot * bytes;
    for (let k: usize = 0; k < bytes; k += 16) {
      const av = v128.load(a + k);
      v128.store(d + k, f32x4.mul(v128.load(s + k), f32x4.mul(av, f32x4.sub(one, av))));
    }
  }
}

/**
 * s[k] = Σ_j w[j][k] · δ[j] over the nNext rows of w (row stride `bytes`): four columns at a time, their
 * sums in registers while the rows go by (BP2's (wᵀ δ), before σ').
 */
function backSums(w: usize, dNext: usize, nNext: i32, bytes: usize, s: usize): void {
  let k: usize = 0;
  for (; k + 64 <= bytes; k += 64) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let j = 0; j < nNext; j++) {
      const dj = v128.load32_splat(dNext + (<usize>j << 2));
      const row = w + <usize>j * bytes + k;
      s0 = madd(v128.load(row), dj, s0);
      s1 = madd(v128.load(row, 16), dj, s1);
      s2 = madd(v128.load(row, 32), dj, s2);
      s3 = madd(v128.load(row, 48), dj, s3);
    }
    v128.store(s + k, s0); v128.store(s + k, s1, 16); v128.store(s + k, s2, 32); v128.store(s + k, s3, 48);
  }
  for (; k < bytes; k += 16) {
    let sum = f32x4.splat(0);
    for (let j = 0; j < nNext; j++) sum = madd(v128.load(w + <usize>j * bytes + k), v128.load32_splat(dNext + (<usize>j << 2)), sum);
    v128.store(s + k, sum);
  }
}

/**
 * One dense row's update, row[k] += Σ_slot c_slot · a_slot[k] with c_slot = −step · δ_slot (δ of slot 0 at
 * d, the next slot's `dStride` bytes on): four columns at a time held in registers through the slots, which
 * come in order, so each weight is read and written once per mini-batch.
 */
function updateDenseRow(row: usize, d: usize, dStride: usize, aIn: usize, inBytes: usize, m: i32, step: f32): void {
  let k: usize = 0;
  for (; k + 64 <= inBytes; k += 64) {
    let r0 = v128.load(row + k), r1 = v128.load(row + k, 16), r2 = v128.load(row + k, 32), r3 = v128.load(row + k, 48);
    for (let slot = 0; slot < m; slot++) {
      const c = f32x4.splat(-step * load<f32>(d + <usize>slot * dStride));
      const a = aIn + <usize>slot * inBytes + k;
      r0 = madd(c, v128.load(a), r0);
      r1 = madd(c, v128.load(a, 16), r1);
      r2 = madd(c, v128.load(a, 32), r2);
      r3 = madd(c, v128.load(a, 48), r3);
    }
    v128.store(row + k, r0); v128.store(row + k, r1, 16); v128.store(row + k, r2, 32); v128.store(row + k, r3, 48);
  }
  for (; k < inBytes; k += 16) {
    let r = v128.load(row + k);
    for (let slot = 0; slot < m; slot++) {
      r = madd(f32x4.splat(-step * load<f32>(d + <usize>slot * dStride)), v128.load(aIn + <usize>slot * inBytes + k), r);
    }
    v128.store(row + k, r);
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

/** BP3 summed over the m examples of the batch, and BP4 for layers 2 .. L, applied with step η/m. */
function applyUpdates(t: usize, L: i32, m: i32, step: f32): void {
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
    for (let j = 0; j < n; j++) updateDenseRow(w + <usize>j * inBytes, d + (<usize>j << 2), bytes, aIn, inBytes, m, step);
  }
}

/**
 * Reads one byte of every cache line of examples order[from .. from + count)'s pixels and their positions,
 * and returns their sum. A shuffled epoch takes its digits from all over the 22 MB training set; gathering a
 * digit whose pixels are not in any cache waited on main memory for most of its time (a quarter of an epoch
 * at 784-30-10). Read a mini-batch ahead, those misses overlap the work on the one before.
 */
function touch(offsets: usize, indices: usize, values: usize, order: usize, from: i32, count: i32): u32 {
  let sum: u32 = 0;
  for (let k = 0; k < count; k++) {
    const i = <usize>(load<u32>(order + (<usize>(from + k) << 2)) & EXAMPLE_MASK);
    const first = <usize>load<u32>(offsets + (i << 2));
    const last = <usize>load<u32>(offsets + (i << 2), 4);
    for (let q = first; q < last; q += 64) sum += <u32>load<u8>(values + q);
    for (let q = first << 1; q < last << 1; q += 64) sum += <u32>load<u8>(indices + q);
  }
  return sum;
}

/**
 * Mini-batches over order[start .. end): each of `miniBatchSize` examples (the last may be fewer),
 * one step each, exactly as update_mini_batch: w ← decay·w − (η/m) Σ ∇w, b ← b − (η/m) Σ ∇b.
 */
export function trainBatches(
  t: usize, L: i32, offsets: usize, indices: usize, values: usize, labels: usize, scale: f32,
  order: usize, start: i32, end: i32, miniBatchSize: i32, eta: f32, s: usize, pairs: usize, crossEntropy: bool, decay: f32, side: i32,
): void {
  const n1 = nOf(t, 1);
  const rowBytes = <usize>pOf(t, 1) << 2;
  const n0 = inputsOf(t);
  const a1 = aOf(t, 1);
  let touched: u32 = 0;
  for (let k = start; k < end; k += miniBatchSize) {
    const m = min(miniBatchSize, end - k);
    // The next mini-batch's digits are read while this one trains, so that they are in the cache by then.
    touched += touch(offsets, indices, values, order, k + m, min(miniBatchSize, end - k - m));
    let ends: usize = 0;
    for (let g = 0; g < m; g += GROUP) {
      const count = min(GROUP, m - g);
      ends = gatherGroup(offsets, indices, values, scale, order, k + g, count, pairs, n0, side);
      firstLayer(t, pairs, ends, count, a1 + <usize>g * rowBytes, false, 0);
      for (let slot = g; slot < g + count; slot++) {
        const a = a1 + <usize>slot * rowBytes;
        activate(a, a, n1, rowBytes);
        feedforwardDense(t, L, slot, s);
        backpropDeltas(t, L, <i32>load<u8>(labels + (load<u32>(order + (<usize>(k + slot) << 2)) & EXAMPLE_MASK)), slot, s, crossEntropy);
      }
    }
    if (decay != 1) decayWeights(t, L, decay);
    const step = eta / <f32>m;
    applyUpdates(t, L, m, step);
    // Layer 1: ∂C/∂w_jp = δ_j x_p is zero wherever pixel p is, so only the non-zero pixels' rows change. A
    // batch of one group still has its pairs gathered; a larger one gathers each group again.
    for (let g = 0; g < m; g += GROUP) {
      const count = min(GROUP, m - g);
      if (m > GROUP) ends = gatherGroup(offsets, indices, values, scale, order, k + g, count, pairs, n0, side);
      firstLayer(t, pairs, ends, count, dOf(t, 1) + <usize>g * rowBytes, true, -step);
    }
  }
  // Kept, so that the reads that warm the cache are not optimised away.
  store<u32>(s, touched);
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
  pairs: usize, crossEntropy: bool, costOut: usize, readingsOut: usize,
): i32 {
  const nL = nOf(t, L);
  const aL = aOf(t, L);
  let correct = 0;
  let costSum: f64 = 0;
  const n1 = nOf(t, 1);
  const rowBytes = <usize>pOf(t, 1) << 2;
  const a1 = aOf(t, 1);
  const outBytes = <usize>pOf(t, L) << 2;
  for (let g = 0; g < count; g += GROUP) {
    const size = min(GROUP, count - g);
    const ends = gatherGroup(offsets, indices, values, scale, 0, g, size, pairs, inputsOf(t), 0);
    firstLayer(t, pairs, ends, size, a1, false, 0);
    for (let slot = 0; slot < size; slot++) {
      const i = g + slot;
      const a = a1 + <usize>slot * rowBytes;
      activate(a, a, n1, rowBytes);
      feedforwardDense(t, L, slot, s);
      const out = aL + <usize>slot * outBytes;
      const label = <i32>load<u8>(labels + <usize>i);
      if (costOut) {
        for (let j = 0; j < nL; j++) {
          const a = <f64>load<f32>(out + (<usize>j << 2));
          if (!crossEntropy) costSum += 0.5 * (a - (j == label ? 1.0 : 0.0)) * (a - (j == label ? 1.0 : 0.0));
          else costSum -= j == label ? Math.log(max(a, TINY)) : Math.log(max(1.0 - a, TINY));
        }
      }
      const read = argmaxAt(out, nL);
      if (readingsOut) store<u8>(readingsOut + <usize>i, <u8>read);
      if (read == label) correct++;
    }
  }
  if (costOut) store<f64>(costOut, costSum);
  return correct;
}

// For `npm run bench:floor` (cli/bench-floor.ts): the first layer's two inner loops alone, one block of seven
// column vectors over the pairs at pairs .. pairsEnd, timed there with weights that stay in the L1 cache.

/** sumPanel: z[0 .. 28) = b + Σ x · w[pixel][0 .. 28) over the pairs. */
export function floorSums(w: usize, b: usize, pairs: usize, pairsEnd: usize, z: usize): void {
  sumPanel(w, b, pairs, pairsEnd, z);
}

/** updatePanel: w[pixel][0 .. 28) += step · x · d[0 .. 28) over the pairs. */
export function floorUpdate(w: usize, d: usize, step: f32, pairs: usize, pairsEnd: usize): void {
  updatePanel(w, d, f32x4.splat(step), pairs, pairsEnd);
}
