/**
 * WGSL functions that give IEEE-754 float32 results bit for bit on any device, where WGSL itself does
 * not promise them: WGSL's ÷ is accurate to 2.5 ulp only, √ is inherited from inverseSqrt, number
 * conversions may round either way, an implementation may assume no NaN or infinity, and many devices
 * (SwiftShader among them, measured) flush subnormal inputs and results of + − × and comparisons to
 * zero. These work on the bit patterns in integer arithmetic (exact everywhere), so `x_div`, `x_sqrt`
 * and the conversions round to nearest-even as the reference backend's float64-then-round does,
 * subnormals included; `x_add` and `x_mul` use the device's + and × and take an exact path only when
 * a subnormal is involved; the comparisons order bit patterns.
 *
 * SwiftShader also simplifies (1 + y) − 1 to y, which defeats compensated arithmetic (Kahan's tricks,
 * error-free sums): `x_opaque(v)` hides a value from such rewriting by passing its bits through a XOR
 * with `x_zero`, a zero the compiler cannot know. A shader that includes this library sets it first
 * thing in `main`: `x_zero = nwg.x >> 31u;` (num_workgroups is at most 65535); left unset it is still
 * zero, so forgetting costs only the protection.
 *
 * Names are prefixed `x_` (exact) to stay out of the way of kernels' own names.
 */

/** Classification helpers on bit patterns (no NaN test in WGSL survives a finite-math compiler). */
export const EXACT_BITS = /* wgsl */ `
fn x_isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn x_isInf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn x_isZero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0u; }
// NaN and ∞ come from a private variable: a constant expression that yields them is a compile error.
var<private> x_nanBits: u32 = 0x7fc00000u;
fn x_nan() -> f32 { return bitcast<f32>(x_nanBits); }
fn x_inf(negative: bool) -> f32 { return bitcast<f32>(select(0x7f800000u, 0xff800000u, negative)); }
fn x_neg(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ 0x80000000u); }
fn x_abs(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }
fn x_copysign(x: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(x) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}
fn x_isSubnormal(x: f32) -> bool {
  let m = bitcast<u32>(x) & 0x7fffffffu;
  return m != 0u && m < 0x800000u;
}
var<private> x_zero: u32;
fn x_opaque(v: f32) -> f32 { return bitcast<f32>(bitcast<u32>(v) ^ x_zero); }

/** The bits ordered like the values, ±0 equal (NaN excluded by the callers). */
fn x_key(x: f32) -> i32 {
  let b = bitcast<i32>(x);
  return select(b, -(b & 0x7fffffff), b < 0);
}
fn x_lt(a: f32, b: f32) -> bool { return !x_isNan(a) && !x_isNan(b) && x_key(a) < x_key(b); }
fn x_le(a: f32, b: f32) -> bool { return !x_isNan(a) && !x_isNan(b) && x_key(a) <= x_key(b); }
fn x_eq(a: f32, b: f32) -> bool { return !x_isNan(a) && !x_isNan(b) && x_key(a) == x_key(b); }
`;

/**
 * Rounding of an unsigned significand q carrying two extra bits (guard and round) and a sticky flag,
 * with biased exponent e (e ≤ 0: subnormal), to float32 bits; overflow gives infinity.
 */
const ROUND = /* wgsl */ `
fn x_round(sign: u32, q0: u32, e0: i32, sticky0: bool) -> f32 {
  var q = q0;
  var e = e0;
  var sticky = sticky0;
  if (e >= 255) { return bitcast<f32>(sign | 0x7f800000u); }
  if (e <= 0) {
    let sh = u32(1 - e);
    if (sh >= 27u) {
      sticky = sticky || q != 0u;
      q = 0u;
    } else {
      sticky = sticky || (q & ((1u << sh) - 1u)) != 0u;
      q = q >> sh;
    }
    e = 1;
  }
  var m = q >> 2u;
  let g = q & 3u;
  if (g > 2u || (g == 2u && (sticky || (m & 1u) == 1u))) { m = m + 1u; }
  let bits = (u32(e - 1) << 23u) + m;
  return bitcast<f32>(sign | min(bits, 0x7f800000u));
}

/** The significand with its implicit bit (subnormals normalized) and the matching biased exponent. */
fn x_unpack(magnitude: u32) -> vec2<i32> {
  let e = i32(magnitude >> 23u);
  let m = magnitude & 0x7fffffu;
  if (e == 0) {
    let s = countLeadingZeros(m) - 8u;
    return vec2<i32>(i32(m << s), 1 - i32(s));
  }
  return vec2<i32>(i32(m | 0x800000u), e);
}
`;

/** Scaling, × and + exact where WGSL's flush subnormals. */
const ARITH = /* wgsl */ `
/** v·2ⁿ rounded once (v finite and nonzero), subnormal results included. */
fn x_ldexp(v: f32, n: i32) -> f32 {
  let u = bitcast<u32>(v);
  let p = x_unpack(u & 0x7fffffffu);
  return x_round(u & 0x80000000u, u32(p.x) << 2u, p.y + n, false);
}

/** a·b, exactly rounded also where a subnormal is involved (24×24-bit product in integers). */
fn x_mul(a: f32, b: f32) -> f32 {
  let p = a * b;
  let xa = bitcast<u32>(a) & 0x7fffffffu;
  let xb = bitcast<u32>(b) & 0x7fffffffu;
  let subnormalIn = x_isSubnormal(a) || x_isSubnormal(b);
  if (!subnormalIn && ((bitcast<u32>(p) & 0x7fffffffu) >= 0x800000u || xa == 0u || xb == 0u)) { return p; }
  let sign = (bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u;
  if (xa > 0x7f800000u || xb > 0x7f800000u) { return x_nan(); }
  if (xa == 0x7f800000u || xb == 0x7f800000u) {
    if (xa == 0u || xb == 0u) { return x_nan(); }
    return bitcast<f32>(sign | 0x7f800000u);
  }
  if (xa == 0u || xb == 0u) { return bitcast<f32>(sign); }
  let pa = x_unpack(xa);
  let pb = x_unpack(xb);
  let a1 = u32(pa.x) >> 12u;
  let a0 = u32(pa.x) & 0xfffu;
  let b1 = u32(pb.x) >> 12u;
  let b0 = u32(pb.x) & 0xfffu;
  let mid = a1 * b0 + a0 * b1;
  let low = a0 * b0 + ((mid & 0xfffu) << 12u);
  let high = a1 * b1 + (mid >> 12u) + (low >> 24u);
  let low24 = low & 0xffffffu;
  if (high >= 0x800000u) {
    return x_round(sign, (high << 2u) | (low24 >> 22u), pa.y + pb.y - 126, (low24 & 0x3fffffu) != 0u);
  }
  return x_round(sign, (high << 3u) | (low24 >> 21u), pa.y + pb.y - 127, (low24 & 0x1fffffu) != 0u);
}

/** x·2^64 on the bits (x finite, |x| < 2^60), so that sums of subnormals are computed as normals. */
fn x_scale64(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  let m = u & 0x7fffffffu;
  if (m == 0u) { return x; }
  let p = x_unpack(m);
  return bitcast<f32>((u & 0x80000000u) | (u32(p.y + 64) << 23u) | (u32(p.x) & 0x7fffffu));
}

/** a + b, exactly rounded also where a subnormal is involved. */
fn x_add(a: f32, b: f32) -> f32 {
  let s = a + b;
  let xa = bitcast<u32>(a) & 0x7fffffffu;
  let xb = bitcast<u32>(b) & 0x7fffffffu;
  let subnormalIn = x_isSubnormal(a) || x_isSubnormal(b);
  let xs = bitcast<u32>(s) & 0x7fffffffu;
  if (!subnormalIn && (xs >= 0x800000u || (xa == 0u && xb == 0u))) { return s; }
  // A big operand makes a subnormal one vanish in the rounding anyway (half its ulp exceeds 2^-126).
  if (max(xa, xb) >= 0x5d800000u) { return s; }
  // The exact sum of two float32 values is a multiple of 2^-149; scaled by 2^64 it is normal (or 0),
  // so the device's + rounds it correctly, and scaling back rounds nothing more.
  let t = x_scale64(a) + x_scale64(b);
  let u = bitcast<u32>(t);
  if ((u & 0x7fffffffu) == 0u) { return t; }
  let p = x_unpack(u & 0x7fffffffu);
  return x_round(u & 0x80000000u, u32(p.x) << 2u, p.y - 64, false);
}
`;

/** a ÷ b correctly rounded: long division of the significands. */
const DIV = /* wgsl */ `
fn x_div(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let sign = (ua ^ ub) & 0x80000000u;
  let xa = ua & 0x7fffffffu;
  let xb = ub & 0x7fffffffu;
  if (xa > 0x7f800000u || xb > 0x7f800000u) { return x_nan(); }
  if (xa == 0x7f800000u) {
    if (xb == 0x7f800000u) { return x_nan(); }
    return bitcast<f32>(sign | 0x7f800000u);
  }
  if (xb == 0x7f800000u) { return bitcast<f32>(sign); }
  if (xb == 0u) {
    if (xa == 0u) { return x_nan(); }
    return bitcast<f32>(sign | 0x7f800000u);
  }
  if (xa == 0u) { return bitcast<f32>(sign); }
  let pa = x_unpack(xa);
  let pb = x_unpack(xb);
  let mb = u32(pb.x);
  var rem = u32(pa.x);
  var e = pa.y - pb.y + 127;
  if (rem < mb) {
    rem = rem << 1u;
    e = e - 1;
  }
  var q = 0u;
  for (var i = 0; i < 26; i++) {
    q = q << 1u;
    if (rem >= mb) {
      rem = rem - mb;
      q = q | 1u;
    }
    rem = rem << 1u;
  }
  return x_round(sign, q, e, rem != 0u);
}
`;

/** √x correctly rounded: digit-by-digit square root of the significand (scaled to 52 bits). */
const SQRT = /* wgsl */ `
fn x_sqrt(x: f32) -> f32 {
  let ux = bitcast<u32>(x);
  if (ux == 0u || ux == 0x80000000u || ux == 0x7f800000u) { return x; }
  if (ux > 0x7f800000u) { return x_nan(); }
  let p = x_unpack(ux);
  var m = u32(p.x);
  var e = p.y - 150;
  if ((e & 1) == 0) {
    m = m << 2u;
    e = e - 2;
  } else {
    m = m << 1u;
    e = e - 1;
  }
  // m·2^26 (52 bits) as hi:lo; 26 result bits = 24 + guard + round.
  let hi = m >> 6u;
  let lo = m << 26u;
  var root = 0u;
  var rem = 0u;
  for (var i = 0u; i < 26u; i++) {
    let pos = 50u - 2u * i;
    var pair: u32;
    if (pos >= 32u) { pair = (hi >> (pos - 32u)) & 3u; } else { pair = (lo >> pos) & 3u; }
    rem = (rem << 2u) | pair;
    let trial = (root << 2u) | 1u;
    if (rem >= trial) {
      rem = rem - trial;
      root = (root << 1u) | 1u;
    } else {
      root = root << 1u;
    }
  }
  return x_round(0u, root, e / 2 + 139, rem != 0u);
}
`;

/**
 * Conversions as JavaScript typed arrays do them: float32 → int32 truncates toward zero and wraps
 * modulo 2³² (NaN and ±∞ give 0; ToInt32); int32 → float32 rounds to nearest-even.
 */
const CONVERT = /* wgsl */ `
fn x_toInt32(x: f32) -> i32 {
  let u = bitcast<u32>(x);
  let e = i32((u >> 23u) & 0xffu) - 127;
  if (e < 31) { return i32(x); }
  if (e == 128) { return 0; }
  let shift = u32(e - 23);
  var r = 0u;
  if (shift < 32u) { r = ((u & 0x7fffffu) | 0x800000u) << shift; }
  if ((u & 0x80000000u) != 0u) { r = 0u - r; }
  return bitcast<i32>(r);
}

fn x_toFloat32(x: i32) -> f32 {
  let negative = x < 0;
  var u = bitcast<u32>(x);
  if (negative) { u = 0u - u; }
  if (u < 0x1000000u) { return select(f32(u), -f32(u), negative); }
  let shift = 8u - countLeadingZeros(u);
  var m = u >> shift;
  let rest = u & ((1u << shift) - 1u);
  let half = 1u << (shift - 1u);
  if (rest > half || (rest == half && (m & 1u) == 1u)) { m = m + 1u; }
  let r = ldexp(f32(m), i32(shift));
  return select(r, -r, negative);
}
`;

/** All of the above, for a shader to include once. */
export const EXACT_WGSL = [EXACT_BITS, ROUND, ARITH, DIV, SQRT, CONVERT].join('\n');
