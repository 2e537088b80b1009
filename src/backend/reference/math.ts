/** Scalar functions the reference backend needs beyond `Math`. */

/**
 * The error function to float64 accuracy: the Maclaurin series for |x| < 2.5, the continued fraction
 * of erfc beyond (Abramowitz & Stegun 7.1.5 and 7.1.14). `Math` has no erf.
 */
export function erf(x: number): number {
  if (Number.isNaN(x) || x === 0) return x; // erf(±0) = ±0, as PyTorch
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc x = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) evaluated bottom-up.
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function gelu(x: number, approximate: 'none' | 'tanh'): number {
  if (approximate === 'tanh') return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * C's pow (what PyTorch computes), which differs from JavaScript's a ** b in three places: 1^y = 1
 * and x^0 = 1 even for NaN, and (−1)^±∞ = 1 (JavaScript gives NaN for 1^NaN, (±1)^±∞).
 */
export function pow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY)) return 1;
  return a ** b;
}

/** max(0, x) as PyTorch computes it, x < 0 ? 0 : x: −0 stays −0 (Math.max(0, −0) is +0), NaN stays NaN. */
export function relu(x: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max(0, −0) is +0
  return x < 0 ? 0 : x;
}
