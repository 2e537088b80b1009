/**
 * WGSL float32 exp and log for the softmax family (softmax, log-softmax, softmax cross-entropy),
 * ported operation for operation from the WebAssembly backend's polynomials (assembly/math.ts: exp
 * ≤ 1 ulp, log ≤ 2 ulp there). WGSL's own exp and log are not usable here: exp may be off by 3 + 2|x|
 * ulp and log by 2⁻²¹ absolutely near 1, which is where a confident classifier's loss lives.
 *
 * Special values are tested on the bits (WGSL lets an implementation assume no NaN or ∞ in
 * comparisons): expSm(NaN) = NaN, expSm(−∞) = 0, expSm(x > 88.8) = +∞; logSm(x < 0) = NaN,
 * logSm(±0) = −∞, logSm(+∞) = +∞. WGSL's division is not correctly rounded (2.5 ulp), which the
 * atanh argument of logSm inherits, so its bound here is a little above the WebAssembly one.
 *
 * These belong with the elementwise math library (wgsl/, H1's) once it has exp and log of this
 * accuracy; until then the softmax kernels carry their own.
 */
export const EXP_LOG_WGSL = /* wgsl */ `
fn smIsNan(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

fn smBits(bits: u32) -> f32 {
  var b = bits;
  return bitcast<f32>(b);
}

// 2^n for an integer n in [−126, 127], from its exponent bits.
fn smPow2i(n: i32) -> f32 {
  return bitcast<f32>(u32(n + 127) << 23u);
}

// e^x: Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, the degree-7 Taylor polynomial of e^r, and
// 2^n applied in two halves so that subnormal results are rounded once.
fn expSm(x0: f32) -> f32 {
  if (smIsNan(x0)) { return x0; }
  if (x0 == smBits(0x7f800000u)) { return x0; }
  let x = min(max(x0, -104.0), 88.8);
  // round() (ties to even), not the add-and-subtract 1.5·2²³ of the WebAssembly code: a shader
  // compiler may fold (a + c) − c to a.
  let n = round(x * 1.4426950408889634);
  let r = (x - n * 0.693359375) - n * -2.12194440e-4;
  let p = ((((((0.0001984126984126984 * r + 0.001388888888888889) * r + 0.008333333333333333) * r
    + 0.041666666666666664) * r + 0.16666666666666666) * r + 0.5) * r + 1.0) * r + 1.0;
  let ni = i32(n);
  let n1 = ni >> 1u;
  return p * smPow2i(n1) * smPow2i(ni - n1);
}

// log x: x = 2^k·m with m in [√½, √2), log m = 2·atanh(s), s = (m − 1)/(m + 1), by its odd series.
fn logSm(x0: f32) -> f32 {
  if (smIsNan(x0) || x0 < 0.0) { return smBits(0x7fc00000u); }
  if (x0 == 0.0) { return smBits(0xff800000u); }
  if (x0 == smBits(0x7f800000u)) { return x0; }
  var x = x0;
  var k = 0;
  if (x < 1.1754943508222875e-38) {
    x = x * 8388608.0;
    k = -23;
  }
  let ix = bitcast<i32>(x) + (0x3f800000 - 0x3f3504f3);
  k = k + ((ix >> 23u) - 0x7f);
  let m = bitcast<f32>((ix & 0x007fffff) + 0x3f3504f3);
  let s = (m - 1.0) / (m + 1.0);
  let s2 = s * s;
  let q = ((((0.09090909090909091 * s2 + 0.1111111111111111) * s2 + 0.14285714285714285) * s2
    + 0.2) * s2 + 0.3333333333333333) * s2;
  let kf = f32(k);
  return kf * 0.693359375 + (kf * -2.12194440e-4 + (s + s * q) * 2.0);
}
`;
