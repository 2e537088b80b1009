/**
 * erf, erfc and both GELUs in float32 WGSL.
 *
 * - |x| < 1: erf x = x·P(x²), P a degree-6 Chebyshev fit (relative error 1.4e-9 in float64).
 * - x ≥ 1: erfc x = e^(−x²)·R(x), R(x) = erfc(x)·e^(x²) smooth and slowly varying: degree-8, -8 and -9
 *   fits on [0.5, 1] (used by GELU, where 1 − erf would cancel), [1, 2] and [2, 4], and x·R(x) as a degree-5 polynomial in 1/x² on [4, 10.1] (erfc underflows
 *   float32 beyond); e^(−x²) from x² carried in two floats, so its rounding is not multiplied by x².
 *   erf x = 1 − erfc x there.
 * The fits were made with mpmath and numpy (Chebyshev nodes, relative error ≤ 4.3e-9), so the float32
 * rounding of the evaluation dominates.
 *
 * GELU follows the reference's float64 formulas, including where they lose precision: 1 + erf(x/√2)
 * and 1 + tanh(u) are computed there in float64 near −1 + 1, which rounds them to multiples of 2⁻⁵³;
 * this file computes the same quantity accurately (as erfc(−x/√2), 2·sigmoid(2u)) and rounds it to
 * that grid, so deep-negative inputs give the reference's values (−0 beyond it) instead of more
 * accurate ones that would disagree by many ulps.
 */

export const ERF_WGSL = /* wgsl */ `
fn m_erfSmall(x: f32) -> f32 {
  if (x_abs(x) < 1e-20) { return x_mul(x, 1.1283791670955126); }
  let u = 2.0 * (x * x) - 1.0;
  let p = ((((((1.2316401740369548e-06) * u - 1.7669080810483037e-05) * u + 0.0002175119897567756) * u
    - 0.00228541952889375) * u + 0.01985249772277969) * u - 0.1405360972815368) * u + 0.9654687386375514;
  return x * p;
}

/** erfc(y)·e^(y²) for y ≥ 0.5. */
fn m_erfcScaled(y: f32) -> f32 {
  if (y < 1.0) {
    let u = 4.0 * y - 3.0;
    return ((((((((3.803262947997692e-08) * u - 3.7751357219661036e-07) * u + 3.4878382297046933e-06) * u
      - 3.1143526318705256e-05) * u + 0.0002609008200372197) * u - 0.0020286901788063435) * u
      + 0.014434883189003656) * u - 0.09199317278552768) * u + 0.5069376502938047;
  }
  if (y < 2.0) {
    let u = 2.0 * y - 3.0;
    return ((((((((9.302666763967953e-07) * u - 5.502670633491894e-06) * u + 2.9419507225208782e-05) * u
      - 0.00016055961468217498) * u + 0.0008361022629741041) * u - 0.0041164334673240805) * u
      + 0.019037757648592692) * u - 0.08181145357407107) * u + 0.3215854165007383;
  }
  if (y < 4.0) {
    let u = y - 3.0;
    return (((((((((-1.433460571874966e-06) * u + 5.935722081307549e-06) * u - 2.078340208238661e-05) * u
      + 8.284357595992874e-05) * u - 0.0003242170294614523) * u + 0.0012232964573122914) * u
      - 0.004479414537036433) * u + 0.015884338708197193) * u - 0.05437226083611122) * u + 0.17900115183413945;
  }
  let t = x_div(1.0, y * y);
  let u = t * 37.95279618648994 - 1.3720497616556215;
  let g = (((((-7.993969172777814e-08) * u + 9.027521787980492e-07) * u - 1.2411973065039949e-05) * u
    + 0.00023003425276164652) * u - 0.006720552218495572) * u + 0.5544999373819868;
  return x_div(g, y);
}

/** erfc(yh + yl) for yh ≥ 0.5, yl a small correction to yh (the rest of a product rounded to yh). */
fn m_erfcD(yh: f32, yl: f32) -> f32 {
  if (yh > 10.1) { return 0.0; }
  let s = m_twoProd(yh, yh);
  let lo = s.y + 2.0 * yh * yl;
  let e = m_exp(-s.x);
  return x_mul(e - e * lo, m_erfcScaled(yh));
}

fn m_erf(x: f32) -> f32 {
  if (x_isNan(x)) { return x; }
  let a = x_abs(x);
  if (a < 1.0) { return m_erfSmall(x); }
  return x_copysign(1.0 - m_erfcD(a, 0.0), x);
}

/** Rounds v (≥ 0) to a multiple of 2⁻⁵³, as 1 + (a float64 near −1) is. */
fn m_grid53(v: f32) -> f32 {
  if (v >= 1.0e-6) { return v; }
  return round(v * 9007199254740992.0) * 1.1102230246251565e-16;
}

/** 0.5·x·(1 + erf(x/√2)), the reference's exact GELU. */
fn m_gelu(x: f32) -> f32 {
  if (x_isNan(x)) { return x; }
  if (x > 8.0) { return x; }
  if (x < -15.0) { return select(bitcast<f32>(0x80000000u), x_nan(), x_isInf(x)); }
  // y = −x/√2 in two floats.
  let p = m_twoProd(x, 0.7071067690849304);
  let yh = -p.x;
  let yl = -(p.y + x * 1.2101617041793133e-08);
  var c: f32;
  if (yh >= 0.5) {
    c = m_grid53(m_erfcD(yh, yl));
  } else if (yh > -1.0) {
    c = 1.0 - m_erfSmall(yh + yl);
  } else {
    c = 2.0 - m_erfcD(-yh, -yl);
  }
  return x_mul(x, 0.5 * c);
}

/** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) as x·sigmoid(2u), on the reference's grid. */
fn m_geluTanh(x: f32) -> f32 {
  if (x_isNan(x)) { return x; }
  if (x > 10.0) { return x; }
  if (x < -10.0) { return select(bitcast<f32>(0x80000000u), x_nan(), x_isInf(x)); }
  let x2 = m_twoProd(x, x);
  let x3 = m_twoProd(x2.x, x);
  let k = m_twoProd(x3.x, 0.044715);
  // 0.044715 as float32 plus the rest of the float64 constant.
  let kl = k.y + (x3.y + x2.y * x) * 0.044715 + x3.x * 1.5461444832776117e-09;
  let sum = m_twoSum(x, k.x);
  let inner = sum.x;
  let innerLo = sum.y + kl;
  let u = m_twoProd(inner, 0.7978845834732056);
  let uh = u.x;
  let ul = u.y + inner * -2.2670340160679814e-08 + innerLo * 0.7978845834732056;
  // 1 + tanh(u) = 2·sigmoid(2u) = 2/(1 + e^(−2u)).
  let e = m_exp(-2.0 * uh);
  let em = e - e * (2.0 * ul);
  let s = x_div(2.0, 1.0 + em);
  return x_mul(x, 0.5 * m_grid53(s));
}
`;
