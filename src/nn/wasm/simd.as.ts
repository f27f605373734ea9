// Four-lane float32 maths shared by the WebAssembly kernels (kernel.as.ts, network3.as.ts); AssemblyScript,
// inlined where it is used. `madd` is fused where the build enables relaxed SIMD (ASC_FEATURE_RELAXED_SIMD).

/** f32x4 a·b + c: fused where relaxed SIMD is enabled (the kernel-relaxed build), else a multiply then an add. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * e^x for four lanes: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by Cephes' expf polynomial, 2^n by the exponent bits.
 * Cheap forms with the same results: pmin/pmax clamp (a NaN stays NaN), and n rounded to the nearest integer by
 * adding 1.5 · 2^23, whose float has n in its low mantissa bits, so 2^n's bits are those bits shifted up.
 */
@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.33)), f32x4.splat(88.72));
  const rounder = f32x4.splat(12582912);
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), rounder);
  const n = f32x4.sub(shifted, rounder);
  // ln 2 in two parts, so that r is exact to float32.
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = madd(p, f32x4.mul(r, r), f32x4.add(r, f32x4.splat(1)));
  // shifted's bits are 0x4B400000 + n for |n| < 2^22: take that away and add the exponent bias 127.
  const twoToN = i32x4.shl(i32x4.add(shifted, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(p, twoToN);
}

/** σ(z) = 1 / (1 + e^−z) for four lanes. */
@inline export function sigmoid4(z: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(z))));
}

