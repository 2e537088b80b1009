/**
 * The statistics behind a claim made over seeds: the mean of a setting with its 95% interval
 * (Student's t over the seeds), Welch's t-test between two settings, and Holm's correction when an
 * experiment makes several comparisons at once. Plain functions of arrays of numbers; the t
 * distribution comes from the regularized incomplete beta function (Numerical Recipes, 3rd ed.,
 * §6.4 and §6.14), so nothing here needs a statistics package.
 */

/** A setting's values over seeds: mean, sample standard deviation and the t interval of the mean. */
export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); null for one value. */
  sd: number | null;
  /** The 95% interval of the mean, mean ± t_{0.975, n−1} · sd / √n; null for one value (no spread to measure). */
  interval: [number, number] | null;
}

/** Welch's unequal-variances t-test: the statistic, its Welch–Satterthwaite degrees of freedom and the two-sided p. */
export interface WelchResult {
  t: number;
  df: number;
  p: number;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample variance, n − 1 in the denominator (numpy's `var(ddof=1)`). */
export function sampleVariance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
}

function checkValues(name: string, xs: readonly number[], atLeast: number): void {
  if (xs.length < atLeast)
    throw new RangeError(`${name}: needs at least ${atLeast} value(s), got ${xs.length}`);
  const bad = xs.find((x) => !Number.isFinite(x));
  if (bad !== undefined) throw new RangeError(`${name}: values must be finite numbers, got ${bad}`);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta function (modified Lentz), valid for x < (a + 1)/(a + b + 2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const num of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      -((a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df > 0, not necessarily an integer). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: df must be > 0, got ${df}`);
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (bisection on the CDF: slow but certain, and called a handful of times). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0, got ${df}`);
  let lo = -1;
  let hi = 1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The mean of one setting over seeds with its 95% Student t interval (none for a single seed). */
export function meanInterval(xs: readonly number[]): MeanInterval {
  checkValues('meanInterval', xs, 1);
  const m = mean(xs);
  if (xs.length === 1) return { n: 1, mean: m, sd: null, interval: null };
  const sd = Math.sqrt(sampleVariance(xs));
  const half = (studentTQuantile(0.975, xs.length - 1) * sd) / Math.sqrt(xs.length);
  return { n: xs.length, mean: m, sd, interval: [m - half, m + half] };
}

/**
 * Welch's t-test (Welch 1947), two-sided: t = (mean(a) − mean(b)) / √(s_a²/n_a + s_b²/n_b) with the
 * Welch–Satterthwaite degrees of freedom. When both samples have no spread at all (a deterministic
 * result repeated over seeds) t is undefined: p is 1 for equal means and 0 otherwise.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  checkValues('welchTTest (first sample)', a, 2);
  checkValues('welchTTest (second sample)', b, 2);
  const [va, vb] = [sampleVariance(a) / a.length, sampleVariance(b) / b.length];
  const diff = mean(a) - mean(b);
  if (va + vb === 0) {
    const df = a.length + b.length - 2;
    return diff === 0 ? { t: 0, df, p: 1 } : { t: Math.sign(diff) * Number.POSITIVE_INFINITY, df, p: 0 };
  }
  const t = diff / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { t, df, p: Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) };
}

/**
 * Holm's step-down adjustment (Holm 1979) of m p-values: sorted ascending, the k-th (from 0) becomes
 * max over j ≤ k of min(1, (m − j) · p_(j)); a comparison is significant at level α when its
 * adjusted p is below α. Controls the family-wise error rate like Bonferroni, never less powerful.
 * Returns the adjusted values in the input's order.
 */
export function holm(ps: readonly number[]): number[] {
  const bad = ps.find((p) => !(p >= 0 && p <= 1));
  if (bad !== undefined) throw new RangeError(`holm: p-values must be in [0, 1], got ${bad}`);
  const order = ps.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (ps.length - k) * p));
    out[i] = running;
  });
  return out;
}
