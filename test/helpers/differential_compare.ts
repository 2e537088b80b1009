/**
 * Comparisons for the backend differential test: bit for bit (Object.is, so −0 differs from +0 and
 * any NaN equals any NaN), or within a bound in float32 ulps and/or an absolute amount per element,
 * and the bookkeeping that carries a per-element bound of an op's gradient back through the view
 * its input was taken from (a transposed, sliced or expanded view of a leaf).
 */
import { ulps } from '../backend/wasm_helpers.js';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The spacing of float32 values at |v| (2⁻¹⁴⁹ among denormals; Infinity at ±inf; NaN for NaN). */
export function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (!Number.isFinite(a)) return a;
  f32[0] = a;
  i32[0] = i32[0]! + 1;
  return f32[0] - a;
}

/** What a comparison allows: 0 ulps and no bound means the same bits. */
export interface Allowance {
  readonly ulps: number;
  /** Per element, an absolute error also allowed (a derived bound; see the op table). */
  readonly bound?: ArrayLike<number>;
}

export const BITS: Allowance = { ulps: 0 };

/**
 * The index of the first element outside the allowance, or −1. NaN must meet NaN; outside bit mode,
 * an element passes within `ulps` float32 steps (±0 count as one value there) or within its bound.
 */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, a: Allowance): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const w = actual[i]!;
    const r = expected[i]!;
    if (Object.is(w, r) || (Number.isNaN(w) && Number.isNaN(r))) continue;
    if (Number.isNaN(w) || Number.isNaN(r)) return i;
    if (a.ulps === 0 && a.bound === undefined) return i;
    if (ulps(w, r) <= a.ulps) continue;
    if (a.bound !== undefined && Math.abs(w - r) <= a.bound[i]!) continue;
    return i;
  }
  return -1;
}

/** Where each element of a view (in row-major order of its shape) lies in its contiguous base. */
export function baseIndices(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Int32Array {
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Int32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let e = 0; e < n; e++) {
    out[e] = offset + idx.reduce((s, k, d) => s + k * strides[d]!, 0);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * A gradient bound for the leaf behind a view: each output element's term bound added into the base
 * element it came from (a gradient through an expansion is a sum of those terms, summed in float64
 * in the same order on both backends), plus one ulp of the reference's result for the last rounding.
 */
export function boundOnBase(
  termBounds: ArrayLike<number>,
  indices: Int32Array,
  reference: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(reference.length);
  for (let e = 0; e < indices.length; e++) out[indices[e]!]! += termBounds[e]!;
  for (let i = 0; i < out.length; i++) out[i]! += ulp32(reference[i]!);
  return out;
}
