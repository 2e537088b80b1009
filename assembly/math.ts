/**
 * Float32 transcendental functions, written here so that every engine computes the same bits.
 *
 * Each function has a scalar form and a four-lane SIMD form built from the same operations in the same
 * order, so a value does not depend on where it falls in an array (SIMD body or scalar tail), nor on
 * whether the SIMD or the scalar build runs. Accuracy, measured against float64 Math over 2^20 points
 * spread over the float32 range (test/backend/wasm_math.test.ts keeps them):
 *
 * - exp: Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, then the degree-7 Taylor polynomial of e^r
 *   (truncation error < 6e-9 relative) and 2^n applied in two halves so that results in the subnormal
 *   range are rounded once; ≤ 1 ulp.
 * - log: x = 2^k·m with m in [√½, √2), log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, by its odd
 *   series to s^11 (truncation < 1e-9); ≤ 2 ulp.
 * - tanh: the odd Taylor series to x^15 for |x| < 0.4, else 1 − 2/(e^{2|x|} + 1); ≤ 2 ulp (the worst
 *   case is just above 0.4, where the subtraction loses about 1.3 bits).
 * - sigmoid: 1/(1 + e^{−x}) for x ≥ 0 and e^x/(1 + e^x) for x < 0, never overflowing; ≤ 2 ulp.
 *
 * Functions off the training hot path (erf, expm1, log1p, pow, the exact GELU) are computed in float64
 * (AssemblyScript's NativeMath, a port of musl; erf by the series and continued fraction of the reference
 * backend) and rounded once, which makes them agree with the reference backend to the last bit in all
 * but rare double-rounding cases.
 */

// ---------------------------------------------------------------- exp

const LOG2E: f32 = 1.4426950408889634;
// ln 2 split so that n·LN2_HI is exact for |n| < 2^9.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_MAX: f32 = 88.8;
const EXP_MIN: f32 = -104.0;
/** 1.5·2²³: adding it rounds a float32 of magnitude below 2²² to an integer, ties to even. */
const ROUNDER: f32 = 12582912.0;
const C2: f32 = 0.5;
const C3: f32 = 0.16666666666666666;
const C4: f32 = 0.041666666666666664;
const C5: f32 = 0.008333333333333333;
const C6: f32 = 0.001388888888888889;
const C7: f32 = 0.0001984126984126984;

/** 2^n for integer n in [−126, 127] as a float, by building its exponent bits. */
// @ts-ignore: decorator
@inline function pow2i(n: i32): f32 {
  return reinterpret<f32>((n + 127) << 23);
}

export function expf(x: f32): f32 {
  if (x != x) return x;
  x = min<f32>(max<f32>(x, EXP_MIN), EXP_MAX);
  const n = x * LOG2E + ROUNDER - ROUNDER;
  const r = x - n * LN2_HI - n * LN2_LO;
  const p = ((((((C7 * r + C6) * r + C5) * r + C4) * r + C3) * r + C2) * r + 1.0) * r + 1.0;
  const ni = <i32>n;
  const n1 = ni >> 1;
  return p * pow2i(n1) * pow2i(ni - n1);
}

// @ts-ignore: decorator
@inline export function expf4(x: v128): v128 {
  const nan = f32x4.ne(x, x);
  // pmin/pmax are one instruction each where min/max need NaN fix-ups; NaN lanes are restored at
  // the end, and for numbers they agree with the scalar min/max.
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
  // Round to the nearest integer (ties to even, as nearest) by adding and subtracting 1.5·2²³.
  const shifted = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(C7), r), f32x4.splat(C6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // The integer sits in the low mantissa bits of `shifted`: 1.5·2²³ has bits 0x4b400000.
  const ni = i32x4.sub(shifted, i32x4.splat(0x4b400000));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  const result = f32x4.mul(f32x4.mul(p, s1), s2);
  return v128.bitselect(x, result, nan);
}

// ---------------------------------------------------------------- log

const SQRT_HALF_BITS: i32 = 0x3f3504f3; // √½ rounded to float32
const SPLIT: i32 = 0x3f800000 - SQRT_HALF_BITS;
const L3: f32 = 0.3333333333333333;
const L5: f32 = 0.2;
const L7: f32 = 0.14285714285714285;
const L9: f32 = 0.1111111111111111;
const L11: f32 = 0.09090909090909091;
const TWO23: f32 = 8388608.0;
const MIN_NORMAL: f32 = 1.1754943508222875e-38;

export function logf(x: f32): f32 {
  if (x != x || x < 0) return NaN;
  if (x == 0) return -Infinity;
  if (x == Infinity) return x;
  let k: i32 = 0;
  if (x < MIN_NORMAL) {
    x *= TWO23;
    k = -23;
  }
  // Shift the exponent boundary to √½ so that x = 2^k·m with m in [√½, √2).
  const ix = reinterpret<i32>(x) + SPLIT;
  k += (ix >> 23) - 0x7f;
  const m = reinterpret<f32>((ix & 0x007fffff) + SQRT_HALF_BITS);
  const s = (m - 1.0) / (m + 1.0);
  const s2 = s * s;
  const q = ((((L11 * s2 + L9) * s2 + L7) * s2 + L5) * s2 + L3) * s2;
  const kf = <f32>k;
  return kf * LN2_HI + (kf * LN2_LO + (s + s * q) * 2.0);
}

// @ts-ignore: decorator
@inline export function logf4(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(TWO23)), x, tiny);
  const kAdjust = v128.and(tiny, i32x4.splat(-23));
  const ix = i32x4.add(xs, i32x4.splat(SPLIT));
  const k = i32x4.add(i32x4.sub(i32x4.shr_s(ix, 23), i32x4.splat(0x7f)), kAdjust);
  const m = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(SQRT_HALF_BITS));
  const one = f32x4.splat(1.0);
  const s = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const s2 = f32x4.mul(s, s);
  let q = f32x4.add(f32x4.mul(f32x4.splat(L11), s2), f32x4.splat(L9));
  q = f32x4.add(f32x4.mul(q, s2), f32x4.splat(L7));
  q = f32x4.add(f32x4.mul(q, s2), f32x4.splat(L5));
  q = f32x4.add(f32x4.mul(q, s2), f32x4.splat(L3));
  q = f32x4.mul(q, s2);
  const kf = f32x4.convert_i32x4_s(k);
  const lm = f32x4.mul(f32x4.add(s, f32x4.mul(s, q)), f32x4.splat(2.0));
  let r = f32x4.add(f32x4.mul(kf, f32x4.splat(LN2_HI)), f32x4.add(f32x4.mul(kf, f32x4.splat(LN2_LO)), lm));
  // Special values: log(±0) = −∞, log(+∞) = +∞, log(x < 0) = NaN, NaN stays NaN.
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(x, r, f32x4.eq(x, f32x4.splat(Infinity)));
  const bad = v128.or(f32x4.lt(x, f32x4.splat(0)), f32x4.ne(x, x));
  return v128.bitselect(f32x4.splat(NaN), r, bad);
}

// ---------------------------------------------------------------- tanh, sigmoid

const T3: f32 = -0.3333333333333333;
const T5: f32 = 0.13333333333333333;
const T7: f32 = -0.05396825396825397;
const T9: f32 = 0.021869488536155203;
const T11: f32 = -0.008863235529902197;
const T13: f32 = 0.003592128036572481;
const T15: f32 = -0.0014558343870513183;
const TANH_SMALL: f32 = 0.4;

export function tanhf(x: f32): f32 {
  if (x != x || x == 0) return x;
  const a = abs<f32>(x);
  if (a < TANH_SMALL) {
    const z = x * x;
    const p = ((((((T15 * z + T13) * z + T11) * z + T9) * z + T7) * z + T5) * z + T3) * z;
    return x + x * p;
  }
  const t: f32 = 1.0 - 2.0 / (expf(a + a) + 1.0);
  return copysign<f32>(t, x);
}

// @ts-ignore: decorator
@inline export function tanhf4(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(T15), z), f32x4.splat(T13));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T11));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T9));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T7));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T5));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T3));
  p = f32x4.mul(p, z);
  const small = f32x4.add(x, f32x4.mul(x, p));
  const one = f32x4.splat(1.0);
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(expf4(f32x4.add(a, a)), one)));
  const signBit = v128.and(x, i32x4.splat(0x80000000));
  const bigSigned = v128.or(big, signBit);
  const r = v128.bitselect(small, bigSigned, f32x4.lt(a, f32x4.splat(TANH_SMALL)));
  // x itself for NaN (which would take the big branch) and for ±0 (x + x·p loses the sign of −0).
  return v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(0))));
}

export function sigmoidf(x: f32): f32 {
  if (x != x) return x;
  const e = expf(-abs<f32>(x));
  const d: f32 = 1.0 + e;
  return x >= 0 ? 1.0 / d : e / d;
}

// @ts-ignore: decorator
@inline export function sigmoidf4(x: v128): v128 {
  const e = expf4(f32x4.neg(f32x4.abs(x)));
  const one = f32x4.splat(1.0);
  const d = f32x4.add(one, e);
  const num = v128.bitselect(one, e, f32x4.ge(x, f32x4.splat(0)));
  return f32x4.div(num, d);
}

// ---------------------------------------------------------------- float64 helpers

const SQRT_PI: f64 = 1.7724538509055159; // Math.sqrt(Math.PI)

/**
 * The error function in float64, the reference backend's algorithm: the Maclaurin series for
 * |x| < 2.5 and the continued fraction of erfc beyond (Abramowitz & Stegun 7.1.5 and 7.1.14).
 */
export function erf64(x: f64): f64 {
  if (x != x || x == 0) return x; // erf(±0) = ±0, as PyTorch
  const ax = abs<f64>(x);
  if (ax < 2.5) {
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / <f64>n;
      const add = term / <f64>(2 * n + 1);
      sum += add;
      if (abs<f64>(add) < 1e-17 * abs<f64>(sum)) break;
    }
    const r = (2 / SQRT_PI) * sum;
    return x < 0 ? -r : r;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + <f64>n / 2 / f;
  const erfc = Math.exp(-ax * ax) / SQRT_PI / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}
