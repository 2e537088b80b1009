/**
 * WGSL double-float ("df64") arithmetic: a value held as an unevaluated sum hi + lo of two float32s
 * (a `vec2<f32>`, x = hi, y = lo, |lo| ≤ ½ulp(hi)), which carries about 48 significant bits. WGSL has
 * no f64, and the reference backend sums in float64: accumulating in df64 and rounding hi once at the
 * end gives the reference's float32 result except when the exact value lies within about 2⁻⁴⁴ of a
 * float32 rounding midpoint.
 *
 * Every operation rests on WGSL's guarantee that f32 `+ − ×` are correctly rounded (division and
 * square root are not, so dfDiv and dfSqrt correct a float32 estimate by a Newton step whose residual
 * is exact). The error-free transformations are Knuth's TwoSum (no branch on magnitudes), Dekker's
 * FastTwoSum for renormalizing, and Dekker's TwoProduct with the split done by masking mantissa bits
 * (no multiply by 4097, so a compiler contracting a·b + c into an FMA cannot break it: each partial
 * product is exact either way). They assume the compiler does not reassociate float operations
 * (WGSL and SPIR-V do not allow it; a driver in a fast-math mode would).
 *
 * Limits: the float32 exponent range (a partial sum or square beyond ~3.4e38 overflows where float64
 * would not; lo parts below ~1e-38 lose bits or flush to zero, and products below 2⁻⁷⁶ are float32
 * products, see dfTwoProd). A non-finite hi carries lo = 0, so
 * ±∞ and NaN propagate as in float64 instead of turning into NaN through ∞ − ∞ in the error terms.
 *
 * Shader compilers may rewrite (a + b) − a to b (SwiftShader does, at least where a is a constant
 * such as the 1 of 1/x), which zeroes an error term. The transforms therefore pass each intermediate
 * through `dfOpaque`, an XOR of its bits with `df_zero`, a zero the compiler cannot know: **every
 * shader that includes this library sets it first thing in `main`**, `df_zero = nwg.x >> 31u;` (with
 * `@builtin(num_workgroups) nwg`, at most 65535 per dimension). Left unset it is still zero, so
 * forgetting costs only the protection (test/backend/webgpu/reduce_df64.test.ts would show it).
 *
 * Use: include `DF64_WGSL` in a shader's source; it defines functions (names prefixed `df`) and the
 * private `df_zero`.
 */
export const DF64_WGSL = /* wgsl */ `
var<private> df_zero: u32;

// v, hidden from algebraic rewriting (see the file comment).
fn dfOpaque(v: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(v) ^ df_zero);
}

fn dfIsNan(a: f32) -> bool {
  return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u;
}

fn dfIsFinite(a: f32) -> bool {
  return (bitcast<u32>(a) & 0x7f800000u) != 0x7f800000u;
}

// A quiet NaN (a runtime value: WGSL refuses a NaN constant expression).
fn dfNan() -> f32 {
  var bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}

// Knuth's TwoSum: s + e = a + b exactly, for any magnitudes.
fn dfTwoSum(a: f32, b: f32) -> vec2<f32> {
  let s = dfOpaque(a + b);
  if (!dfIsFinite(s)) { return vec2<f32>(s, 0.0); }
  let bb = dfOpaque(s - a);
  let e = (a - (s - bb)) + (b - bb);
  return vec2<f32>(s, e);
}

// Dekker's FastTwoSum: s + e = a + b exactly when |a| ≥ |b| (or a = 0).
fn dfFastTwoSum(a: f32, b: f32) -> vec2<f32> {
  let s = dfOpaque(a + b);
  if (!dfIsFinite(s)) { return vec2<f32>(s, 0.0); }
  return vec2<f32>(s, b - (s - a));
}

// hi keeps the top 12 significant bits of a (sign, exponent, 11 mantissa bits), lo the rest: both
// products of two halves fit a float32 exactly.
fn dfSplit(a: f32) -> vec2<f32> {
  let hi = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return vec2<f32>(hi, a - hi);
}

// Dekker's TwoProduct: p + e = a·b exactly. Near the bottom of the range the partial products of the
// halves would be subnormal, which a GPU may flush to zero (SwiftShader does), and a flushed partial
// of about p·2⁻¹² would spoil e; there (|a| or |b| < 2⁻¹⁰⁰, |p| < 2⁻⁷⁶) e is 0 and p is the float32
// product.
fn dfTwoProd(a: f32, b: f32) -> vec2<f32> {
  let p = dfOpaque(a * b);
  if (!dfIsFinite(p)) { return vec2<f32>(p, 0.0); }
  if (min(abs(a), abs(b)) < 7.888609052210118e-31 || abs(p) < 1.3234889800848443e-23) {
    return vec2<f32>(p, 0.0);
  }
  let sa = dfSplit(a);
  let sb = dfSplit(b);
  let e = (((sa.x * sb.x - p) + sa.x * sb.y) + sa.y * sb.x) + sa.y * sb.y;
  return vec2<f32>(p, e);
}

fn dfFromF32(a: f32) -> vec2<f32> {
  return vec2<f32>(a, 0.0);
}

// a + b, both df64 (the accurate addition: TwoSum on both parts).
fn dfAdd(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = dfTwoSum(a.x, b.x);
  if (!dfIsFinite(s.x)) { return s; }
  let t = dfTwoSum(a.y, b.y);
  let u = dfFastTwoSum(s.x, s.y + t.x);
  return dfFastTwoSum(u.x, u.y + t.y);
}

// a + b, b a float32.
fn dfAddF(a: vec2<f32>, b: f32) -> vec2<f32> {
  let s = dfTwoSum(a.x, b);
  if (!dfIsFinite(s.x)) { return s; }
  return dfFastTwoSum(s.x, s.y + a.y);
}

fn dfNeg(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(-a.x, -a.y);
}

fn dfSub(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return dfAdd(a, dfNeg(b));
}

// a·b, both df64.
fn dfMul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = dfTwoProd(a.x, b.x);
  if (!dfIsFinite(p.x)) { return p; }
  return dfFastTwoSum(p.x, p.y + (a.x * b.y + a.y * b.x));
}

// a·b, b a float32.
fn dfMulF(a: vec2<f32>, b: f32) -> vec2<f32> {
  let p = dfTwoProd(a.x, b);
  if (!dfIsFinite(p.x)) { return p; }
  return dfFastTwoSum(p.x, p.y + a.y * b);
}

// a / b: the float32 quotient of the high parts, corrected twice from exact residuals. Division by
// zero is spelled out (WGSL leaves x / 0 undefined): ±∞, or NaN for 0/0 and NaN/0.
fn dfDiv(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (b.x == 0.0) {
    if (a.x == 0.0 || dfIsNan(a.x)) { return vec2<f32>(dfNan(), 0.0); }
    let sign = (bitcast<u32>(a.x) ^ bitcast<u32>(b.x)) & 0x80000000u;
    var inf = 0x7f800000u | sign;
    return vec2<f32>(bitcast<f32>(inf), 0.0);
  }
  let q1 = a.x / b.x;
  if (!dfIsFinite(q1) || q1 == 0.0) { return vec2<f32>(q1, 0.0); }
  let r1 = dfSub(a, dfMulF(b, q1));
  let q2 = r1.x / b.x;
  let r2 = dfSub(r1, dfMulF(b, q2));
  let q3 = r2.x / b.x;
  return dfAddF(dfFastTwoSum(q1, q2), q3);
}

// √a for a ≥ 0: the float32 root, corrected by one Newton step from the exact residual a − x².
fn dfSqrt(a: vec2<f32>) -> vec2<f32> {
  if (a.x < 0.0 || dfIsNan(a.x)) { return vec2<f32>(dfNan(), 0.0); }
  if (a.x == 0.0 || !dfIsFinite(a.x)) { return vec2<f32>(a.x, 0.0); }
  let x = sqrt(a.x);
  let r = dfSub(a, dfTwoProd(x, x));
  return dfFastTwoSum(x, r.x / (2.0 * x));
}
`;

/**
 * A float64 number split into the two float32 uniforms of a df64 constant (hi, then lo): scalars the
 * reference keeps in float64 (batch norm's ε and momentum, a count above 2²⁴) reach the shader whole.
 */
export function splitDf64(value: number): [number, number] {
  const hi = Math.fround(value);
  return [hi, Number.isFinite(hi) ? Math.fround(value - hi) : 0];
}
