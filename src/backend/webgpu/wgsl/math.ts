/**
 * Float32 transcendental functions in WGSL, so that results do not depend on the device's built-in
 * exp/log/tanh (WGSL allows exp 3 + 2|x| ulp, log 3 ulp…). exp, log, tanh and sigmoid are the
 * WebAssembly backend's polynomials (assembly/math.ts, which documents their derivation), with ÷ made
 * exact by x_div (exact.ts); the rest are built on them:
 *
 * - expm1 and log1p by Kahan's compensations: (e^x − 1)·x/log(e^x) and log(1 + y)·y/((1 + y) − 1),
 *   which cancel the rounding of e^x and 1 + y.
 * - erf and erfc (erf.ts).
 * - pow as exp(b·log a) with log a and the product carried in two floats (hi + lo), which keeps the
 *   error of a large b·log a from being multiplied into the result.
 * - `m_mulD(x, d)`: x times a float64 parameter held as two float32s (hi, lo), rounded about once, as
 *   the reference multiplies by the float64 parameter (leakyRelu's slope, elu's alpha).
 *
 * Each function handles NaN, ±0, ±∞ and subnormal inputs on the bit patterns (exact.ts) before
 * computing, and scales its result with x_ldexp or x_mul where it may be subnormal, since devices
 * flush subnormals to zero. Compensated steps go through x_opaque. Include EXACT_WGSL first (and
 * set x_zero in main). Measured bounds are declared in precision.ts.
 */
import { ERF_WGSL } from './erf.js';

const EXP = /* wgsl */ `
const M_LOG2E: f32 = 1.4426950408889634;
const M_LN2_HI: f32 = 0.693359375;
const M_LN2_LO: f32 = -2.12194440e-4;

fn m_exp(x0: f32) -> f32 {
  if (x_isNan(x0)) { return x0; }
  let x = min(max(x0, -104.0), 88.8);
  let n = round(x * M_LOG2E);
  let r = x - n * M_LN2_HI - n * M_LN2_LO;
  let p = ((((((0.0001984126984126984 * r + 0.001388888888888889) * r + 0.008333333333333333) * r
    + 0.041666666666666664) * r + 0.16666666666666666) * r + 0.5) * r + 1.0) * r + 1.0;
  return x_ldexp(p, i32(n));
}
`;

const LOG = /* wgsl */ `
/** x = 2^k·m with m in [√½, √2): vec2(m, k). Subnormals are normalized on the bits. */
fn m_split(x: f32) -> vec2<f32> {
  let p = x_unpack(bitcast<u32>(x));
  let normalized = (127u << 23u) | (u32(p.x) & 0x7fffffu);
  let ix = normalized + (0x3f800000u - 0x3f3504f3u);
  let k = p.y - 127 + i32(ix >> 23u) - 0x7f;
  let m = bitcast<f32>((ix & 0x007fffffu) + 0x3f3504f3u);
  return vec2<f32>(m, f32(k));
}

fn m_log(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  if (x_isNan(x) || (u > 0x80000000u)) { return x_nan(); }
  if (x_isZero(x)) { return x_inf(true); }
  if (u == 0x7f800000u) { return x; }
  let mk = m_split(x);
  let s = x_div(mk.x - 1.0, mk.x + 1.0);
  let s2 = s * s;
  let q = ((((0.09090909090909091 * s2 + 0.1111111111111111) * s2 + 0.14285714285714285) * s2 + 0.2) * s2
    + 0.3333333333333333) * s2;
  return mk.y * M_LN2_HI + (mk.y * M_LN2_LO + (s + s * q) * 2.0);
}
`;

const TANH_SIGMOID = /* wgsl */ `
fn m_tanh(x: f32) -> f32 {
  let a = x_abs(x);
  // tanh x = x in float32 below 2^-12 (x³/3 is under half an ulp); subnormals kept exactly.
  if (x_isNan(x) || a < 0.000244140625) { return x; }
  if (a < 0.4) {
    let z = x * x;
    let p = ((((((-0.0014558343870513183 * z + 0.003592128036572481) * z - 0.008863235529902197) * z
      + 0.021869488536155203) * z - 0.05396825396825397) * z + 0.13333333333333333) * z - 0.3333333333333333) * z;
    return x + x * p;
  }
  return x_copysign(1.0 - x_div(2.0, m_exp(a + a) + 1.0), x);
}

fn m_sigmoid(x: f32) -> f32 {
  if (x_isNan(x)) { return x; }
  let e = m_exp(-x_abs(x));
  let d = 1.0 + e;
  if (x >= 0.0) { return x_div(1.0, d); }
  return x_div(e, d);
}
`;

const KAHAN = /* wgsl */ `
fn m_expm1(x: f32) -> f32 {
  if (x_isNan(x) || x_isZero(x)) { return x; }
  if (x > 88.8) { return x_inf(false); }
  if (x < -17.0) { return -1.0; }
  let u = m_exp(x);
  if (u == 1.0) { return x; }
  let um = x_opaque(u) - 1.0;
  if (um == -1.0) { return -1.0; }
  return x_div(um * x, m_log(u));
}

fn m_log1p(y: f32) -> f32 {
  if (x_isNan(y) || x_isZero(y)) { return y; }
  if (y == -1.0) { return x_inf(true); }
  if (y < -1.0) { return x_nan(); }
  if (x_isInf(y)) { return y; }
  let u = x_opaque(1.0 + y);
  if (u == 1.0) { return y; }
  return x_div(m_log(u) * y, u - 1.0);
}
`;

/** Double-float helpers (error-free transformations) used by pow and m_mulD. */
const DOUBLE = /* wgsl */ `
/** a·b = hi + lo exactly (Dekker's product with Veltkamp splitting; |a|, |b| < 2^100). */
fn m_twoProd(a: f32, b: f32) -> vec2<f32> {
  let p = x_opaque(a * b);
  let ca = x_opaque(4097.0 * a);
  let ah = x_opaque(ca - x_opaque(ca - a));
  let al = a - ah;
  let cb = x_opaque(4097.0 * b);
  let bh = x_opaque(cb - x_opaque(cb - b));
  let bl = b - bh;
  let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return vec2<f32>(p, e);
}

/** a + b = hi + lo exactly (Knuth's TwoSum, any magnitudes). */
fn m_twoSum(a: f32, b: f32) -> vec2<f32> {
  let s = x_opaque(a + b);
  let bb = x_opaque(s - a);
  let e = (a - x_opaque(s - bb)) + (b - bb);
  return vec2<f32>(s, e);
}

/** x·(d.x + d.y), d a float64 held as two float32s, rounded about once. */
fn m_mulD(x: f32, d: vec2<f32>) -> f32 {
  let a = x_abs(x);
  if (x_isInf(x) || x_isZero(x) || a > 1e30 || x_abs(d.x) > 1e30 || x_isZero(d.y)) { return x_mul(x, d.x); }
  // Tiny x: the product's error term would underflow; compute 2^64 higher and scale back once.
  if (a < 1e-18) {
    let r = m_mulCore(x_scale64(x), d);
    if (x_isZero(r)) { return r; }
    return x_ldexp(r, -64);
  }
  return m_mulCore(x, d);
}

fn m_mulCore(x: f32, d: vec2<f32>) -> f32 {
  let p = m_twoProd(x, d.x);
  return p.x + (p.y + x * d.y);
}
`;

const POW = /* wgsl */ `
/** log x as hi + lo: the series of m_log with the final sum carried in two floats. */
fn m_logD(x: f32) -> vec2<f32> {
  let mk = m_split(x);
  let s = x_div(mk.x - 1.0, mk.x + 1.0);
  let s2 = s * s;
  let q = ((((0.09090909090909091 * s2 + 0.1111111111111111) * s2 + 0.14285714285714285) * s2 + 0.2) * s2
    + 0.3333333333333333) * s2;
  // 2s + 2s·q with 2s's rounding error recovered: s = (m − 1)/(m + 1) is itself rounded, so its error
  // is recomputed from the residual (m − 1) − s·(m + 1).
  // m + 1 is rounded too: its error (exact by Sterbenz, m in [√½, √2)) enters the residual.
  let den = x_opaque(mk.x + 1.0);
  let denLo = mk.x - x_opaque(den - 1.0);
  let sp = m_twoProd(s, den);
  let ds = x_div(((x_opaque(mk.x - 1.0) - sp.x) - sp.y) - s * denLo, den);
  let t = 2.0 * s;
  let tail = 2.0 * ds + t * q;
  let kh = mk.y * M_LN2_HI;
  let hi = x_opaque(kh + t);
  let lo = x_opaque((kh - hi + t) + (mk.y * M_LN2_LO + tail));
  let sum = x_opaque(hi + lo);
  return vec2<f32>(sum, lo - (sum - hi));
}

fn m_powPositive(a: f32, b: f32) -> f32 {
  let l = m_logD(a);
  let p = m_twoProd(b, l.x);
  let hi = p.x;
  let lo = p.y + b * l.y;
  if (hi > 88.8) { return x_inf(false); }
  if (hi < -104.0) { return 0.0; }
  let e = m_exp(hi);
  if (x_isInf(e) || x_isZero(e)) { return e; }
  return x_add(e, x_mul(e, lo));
}

/** Whether b (finite) is an integer, and whether it is odd, on the bits (floor flushes subnormals). */
fn m_intKind(b: f32) -> vec2<bool> {
  let u = bitcast<u32>(b) & 0x7fffffffu;
  let e = i32(u >> 23u) - 127;
  if (u == 0u) { return vec2<bool>(true, false); }
  if (e < 0) { return vec2<bool>(false, false); }
  if (e >= 24) { return vec2<bool>(true, false); }
  let fraction = u32(23 - e);
  let m = (u & 0x7fffffu) | 0x800000u;
  let isInt = fraction == 0u || (m & ((1u << fraction) - 1u)) == 0u;
  return vec2<bool>(isInt, isInt && ((m >> fraction) & 1u) == 1u);
}

/** C's pow (PyTorch's): 1^y = x^0 = 1 even for NaN, (−1)^±∞ = 1. */
fn m_pow(a: f32, b: f32) -> f32 {
  if (a == 1.0 || x_isZero(b)) { return 1.0; }
  if (x_isNan(a) || x_isNan(b)) { return x_nan(); }
  let aa = x_abs(a);
  if (x_isInf(b)) {
    if (aa == 1.0) { return 1.0; }
    if ((aa > 1.0) == (b > 0.0)) { return x_inf(false); }
    return 0.0;
  }
  let kind = m_intKind(b);
  let negative = (bitcast<u32>(a) & 0x80000000u) != 0u;
  if (negative && !kind.x && !x_isZero(a) && !x_isInf(a)) { return x_nan(); }
  let flip = negative && kind.y;
  var r: f32;
  if (x_isZero(a)) {
    r = select(0.0, x_inf(false), x_lt(b, 0.0));
  } else if (x_isInf(a)) {
    r = select(x_inf(false), 0.0, x_lt(b, 0.0));
  } else {
    r = m_powPositive(aa, b);
  }
  return select(r, x_neg(r), flip);
}
`;

/** The whole library (needs EXACT_WGSL before it). */
export const MATH_WGSL = [EXP, LOG, TANH_SIGMOID, KAHAN, DOUBLE, POW, ERF_WGSL].join('\n');
