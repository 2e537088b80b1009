/**
 * Error bounds for the ops whose kernels are approximations, derived from what the backends document
 * (docs/ARCHITECTURE.md, Numerics): the wasm exp is within 1 ulp of the reference, log, tanh and
 * sigmoid within 2; erf, elu, softplus, GELU and pow are computed in float64 and rounded once (1 ulp);
 * softmax and log-softmax as test/backend/wasm_parity.test.ts bounds them.
 *
 * A gradient rule multiplies and adds such values, so its bound is the forward error carried through
 * the rule's formula to first order, |∂rule/∂y|·Δy, plus a few ulps of the result for the roundings
 * that follow; Δy is measured in ulps of the reference's value, so a denormal intermediate (which has
 * no relative accuracy) gets an absolute bound, not a relative one. Every bound is computed per element
 * of the op's output from the reference's values; `boundOnBase` then adds them up where a view fed
 * several output elements from one stored element.
 */
import { ulp32 } from './differential_compare.js';

/** What a bound sees, element by element in the output's row-major order. */
export interface BoundContext {
  /** Each input's values broadcast to the output's shape. */
  readonly inputs: readonly ArrayLike<number>[];
  /** The reference backend's output. */
  readonly y: ArrayLike<number>;
  /** The upstream gradient. */
  readonly g: ArrayLike<number>;
  readonly shape: readonly number[];
  // biome-ignore lint/suspicious/noExplicitAny: each op reads its own parameters.
  readonly params: any;
}

/** Per input, the absolute error allowed in each output element's term of its gradient. */
export type GradBound = (c: BoundContext) => Float64Array[];

function each(c: BoundContext, term: (j: number) => number): Float64Array {
  return Float64Array.from({ length: c.y.length }, (_, j) => term(j));
}

const U = ulp32;
const INV_SQRT_PI_2 = 2 / Math.sqrt(Math.PI);

/** g·y (exp): y within 1 ulp. */
export const expGrad: GradBound = (c) => [
  each(c, (j) => Math.abs(c.g[j]!) * 2 * U(c.y[j]!) + 2 * U(c.g[j]! * c.y[j]!)),
];

/** g·y(1 − y) (sigmoid) and g·(1 − y²) (tanh): y within 2 ulps, |∂/∂y| ≤ 2. */
export const sigmoidTanhGrad: GradBound = (c) => [
  each(c, (j) => Math.abs(c.g[j]!) * 4 * U(c.y[j]!) + 3 * U(c.g[j]! * (1 - c.y[j]! * c.y[j]!))),
];

/** g·e^(−x²)·2/√π (erf): the exponential within 1 ulp. */
export const erfGrad: GradBound = (c) => [
  each(c, (j) => {
    const x = Math.fround(c.inputs[0]![j]!);
    const e = Math.exp(-Math.fround(x * x)) * INV_SQRT_PI_2;
    return Math.abs(c.g[j]!) * 2 * U(e) + 3 * U(c.g[j]! * e);
  }),
];

/** g·(y + α) where x ≤ 0 (elu): y within 1 ulp. */
export const eluGrad: GradBound = (c) => [
  each(c, (j) => Math.abs(c.g[j]!) * 2 * U(c.y[j]!) + 2 * U(c.g[j]! * (c.y[j]! + c.params.alpha))),
];

/** g·σ(βx) below the threshold (softplus): σ within 2 ulps (4 allowed: σ is recomputed here in float64). */
export const softplusGrad: GradBound = (c) => [
  each(c, (j) => {
    const s = 1 / (1 + Math.exp(-Math.fround(c.inputs[0]![j]! * c.params.beta)));
    return Math.abs(c.g[j]!) * 4 * U(s) + 2 * U(c.g[j]! * s);
  }),
];

/**
 * GELU: exact, g·(Φ(x) + x·φ(x)) with erf (1 ulp of a value ≤ 1) and exp (1 ulp); tanh form,
 * g·(½(1 + t) + ½x(1 − t²)·k′) with t = tanh(…) within 2 ulps (≤ 2⁻²³) and k′ = √(2/π)(1 + 0.134x²).
 */
export const geluGrad: GradBound = (c) => [
  each(c, (j) => {
    const x = Math.fround(c.inputs[0]![j]!);
    const g = Math.abs(c.g[j]!);
    if (c.params.approximate === 'tanh') {
      const k = Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * x * x);
      return g * (2 ** -22 + Math.abs(0.5 * x * k) * 2 ** -20) + 4 * U(g * (1 + Math.abs(0.5 * x * k)));
    }
    const pdf = Math.exp(-0.5 * Math.fround(x * x)) / Math.sqrt(2 * Math.PI);
    return g * (2 ** -22 + Math.abs(x) * 2 * U(pdf)) + 4 * U(g * (1 + Math.abs(x) * pdf));
  }),
];

/**
 * pow: ∂/∂a = g·b·a^(b−1) with the power within 1 ulp; ∂/∂b = g·y·log a with y within 1 ulp and the
 * logarithm within 2.
 */
export const powGrad: GradBound = (c) => {
  const [a, b] = c.inputs as [ArrayLike<number>, ArrayLike<number>];
  return [
    each(c, (j) => {
      const p = Math.fround(a[j]! ** Math.fround(b[j]! - 1));
      const gb = Math.abs(c.g[j]! * b[j]!);
      return gb * 2 * U(p) + 3 * U(gb * p);
    }),
    each(c, (j) => {
      const l = Math.log(a[j]!);
      const g = Math.abs(c.g[j]!);
      return g * (Math.abs(l) * 2 * U(c.y[j]!) + Math.abs(c.y[j]!) * 3 * U(l)) + 3 * U(g * c.y[j]! * l);
    }),
  ];
};

/** The axis's rows of an output shape: [outer, length, inner]. */
function rows(shape: readonly number[], axis: number): [number, number, number] {
  const a = axis < 0 ? axis + shape.length : axis;
  const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  return [size(shape.slice(0, a)), shape[a] ?? 1, size(shape.slice(a + 1))];
}

/**
 * wasm_parity.test.ts's softmax bounds: float32 exponentials summed in float64, one more rounding;
 * with two denormal steps (2⁻¹⁴⁸) as the absolute floor instead of its 1e-45, which is less than one
 * (2⁻¹⁴⁹ ≈ 1.4e-45): an exponential 1 ulp apart at the underflow threshold (e^z of about 2⁻¹⁴⁹ against
 * 0), divided by a sum ≥ 1, moves the result by one such step.
 */
export function softmaxForward(y: ArrayLike<number>, log: boolean): Float64Array {
  return Float64Array.from(y, (r) =>
    log
      ? 4e-7 * Math.max(1, Math.abs(r))
      : (4 + Math.abs(Math.log(Math.max(r, 1e-45)))) * 2 ** -23 * Math.abs(r) + 2 ** -148,
  );
}

/**
 * softmax: y_i(g_i − s), s = Σ_k g_k y_k; logSoftmax: g_i − e^(y_i)·Σ_k g_k. The forward bound Δy
 * carried through: Δs ≤ Σ|g_k|Δy_k plus its rounding; e^(y_i) moves by e^(y_i)·Δy_i plus 2 ulps.
 */
export function softmaxGrad(log: boolean): GradBound {
  return (c) => {
    const dy = softmaxForward(c.y, log);
    const out = new Float64Array(c.y.length);
    const [outer, length, inner] = rows(c.shape, c.params.axis);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const at = (k: number) => (o * length + k) * inner + q;
        let s = 0;
        let ds = 0;
        let magnitude = 0;
        for (let k = 0; k < length; k++) {
          const gk = c.g[at(k)]!;
          s += log ? gk : gk * c.y[at(k)]!;
          ds += Math.abs(gk) * (log ? 0 : dy[at(k)]!);
          magnitude += Math.abs(log ? gk : gk * c.y[at(k)]!);
        }
        // Its rounding, and from 8 terms on the float64 reordering of the wasm sum's lanes.
        ds += 2 * U(s) + length * 2 ** -52 * magnitude;
        for (let k = 0; k < length; k++) {
          const i = at(k);
          const [y, g] = [c.y[i]!, c.g[i]!];
          if (log) {
            const e = Math.exp(y);
            out[i] = Math.abs(s) * (e * dy[i]! + 2 * U(e)) + e * ds + U(e * s) + 2 * U(g - e * s);
          } else {
            out[i] = dy[i]! * Math.abs(g - s) + Math.abs(y) * (ds + U(g - s)) + 2 * U(y * (g - s));
          }
        }
      }
    }
    return [out];
  };
}
