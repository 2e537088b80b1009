/**
 * Central finite-difference gradient checks in float64 on the reference backend.
 *
 * For f(x₁, …, xₙ) with output y, the checker projects the output onto a fixed random float64 weight
 * tensor w (same shape as y, drawn from `new Generator(seed)`), so that a non-scalar output is checked
 * through a random direction:
 *
 *   L(x) = Σ_k y_k(x) · w_k
 *
 * - analytic: ∂L/∂x from `L.backward()` (the library's mul and sum build L, so w is the upstream
 *   gradient of y);
 * - numeric: for every element j of every differentiated input, (L(x + h·e_j) − L(x − h·e_j)) / 2h,
 *   each side evaluated on a fresh copy of the input data under `noGrad`, with L summed here in plain
 *   JavaScript rather than by the library.
 *
 * Element j passes when |analytic − numeric| ≤ atol + rtol·|numeric|. Defaults (DEFAULTS below):
 * h = 1e-6, atol = 1e-6, rtol = 1e-5. Central differences have truncation error O(h²·|L'''|) ≈ 1e-12
 * and rounding error ≈ 1e-16·|L|/h ≈ 1e-10·|L|, both far below atol for the O(1) inputs the tests
 * use; keep inputs at least ~1e-3 away from kinks (relu at 0, clamp bounds, max ties) so that
 * x ± h stays on one side.
 *
 * Layouts: each differentiated input is rebuilt as a leaf tensor and the function receives a view of it:
 * - 'contiguous': the leaf itself;
 * - 'transposed': a contiguous leaf of the reversed shape, permuted back (strides reversed; no copy);
 * - 'strided': a leaf of the reversed shape whose last axis is 2·d₀ + 1 long, sliced '1::2' and permuted
 *   back, so the view has offset 1, a step of 2 and reversed strides (0-d inputs: element 1 of a [3] leaf).
 * 'transposed' falls back to 'strided' where a permutation alone would still be contiguous (fewer than two
 * dimensions longer than 1). Leaf elements outside the view hold NaN: a kernel that reads them poisons its
 * output, and their gradient must be exactly 0. For non-contiguous layouts the output is also compared with
 * the output on contiguous inputs, so a kernel that mishandles strides is caught before its gradient is.
 *
 * Inputs that are not differentiated (int32 indices, conditions, targets) are passed as
 * `fixed(t)` or `{ value: t, grad: false }`; int32 tensors are never differentiated.
 */
import { expect } from 'vitest';
import {
  Generator,
  type GradNode,
  mul,
  noGrad,
  ReferenceBackend,
  sum,
  Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { contiguousStrides, formatShape, sizeOf } from '../../src/tensor/shape.js';

export type Layout = 'contiguous' | 'transposed' | 'strided';

export interface GradInput {
  value: Tensor;
  /** Differentiate with respect to this input. Default: true for float tensors, false for int32. */
  grad?: boolean;
}

export type InputArg = Tensor | GradInput;

/** Marks an input that is passed through unchanged and not differentiated. */
export function fixed(value: Tensor): GradInput {
  return { value, grad: false };
}

/** The default step and tolerances; cases that loosen them say why. */
export const DEFAULTS = { eps: 1e-6, atol: 1e-6, rtol: 1e-5 } as const;

export interface GradcheckOptions {
  /** Named in failure messages (e.g. 'matmul: batched [2,1,3,4]@[3,4,2]'). */
  name?: string;
  /** Finite-difference step h. Default 1e-6. */
  eps?: number;
  /** Default 1e-6. */
  atol?: number;
  /** Default 1e-5. */
  rtol?: number;
  /** How differentiated inputs are laid out in memory. Default 'contiguous'. */
  layout?: Layout;
  /** Seed of the projection weights w. Default 0. */
  seed?: number;
}

export interface GradcheckReport {
  /** Elements compared (over all differentiated inputs). */
  checked: number;
  maxAbsError: number;
  outputShape: number[];
  /** Primitives recorded on the tape between the inputs and the output. */
  primitives: Set<string>;
  /** The analytic gradients in logical row-major order, one per input (null where not differentiated). */
  analytic: (Float64Array | null)[];
}

interface Placement {
  layout: Layout;
  leafShape: number[];
  /** Strides and offset of the view, in elements of the contiguous leaf. */
  strides: number[];
  offset: number;
}

const reference = new ReferenceBackend();

/** Multi-index of flat row-major position k in `shape`. */
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = k % d;
    k = Math.floor(k / d);
  }
  return idx;
}

function place(shape: readonly number[], layout: Layout): Placement {
  const n = shape.length;
  if (layout === 'transposed' && shape.filter((d) => d > 1).length < 2) layout = 'strided';
  if (layout === 'contiguous')
    return { layout, leafShape: shape.slice(), strides: contiguousStrides(shape), offset: 0 };
  if (layout === 'transposed') {
    const leafShape = shape.slice().reverse();
    const ls = contiguousStrides(leafShape);
    return { layout, leafShape, strides: shape.map((_, i) => ls[n - 1 - i]!), offset: 0 };
  }
  if (n === 0) return { layout, leafShape: [3], strides: [], offset: 1 };
  const leafShape = shape.slice().reverse();
  leafShape[n - 1] = 2 * shape[0]! + 1;
  const ls = contiguousStrides(leafShape);
  ls[n - 1] = 2;
  return { layout, leafShape, strides: shape.map((_, i) => ls[n - 1 - i]!), offset: shape[0]! > 0 ? 1 : 0 };
}

/** Leaf positions of the view's elements, in logical row-major order. */
function positions(shape: readonly number[], p: Placement): Int32Array {
  const out = new Int32Array(sizeOf(shape));
  for (let k = 0; k < out.length; k++) {
    const idx = unravel(k, shape);
    let off = p.offset;
    for (let i = 0; i < idx.length; i++) off += idx[i]! * p.strides[i]!;
    out[k] = off;
  }
  return out;
}

interface Built {
  leaf: Tensor;
  view: Tensor;
}

/** A fresh leaf holding `data` (logical row-major, `shape`) at the placement's positions, and its view. */
function build(
  data: Float64Array,
  shape: readonly number[],
  p: Placement,
  pos: Int32Array,
  requiresGrad: boolean,
  label: string,
): Built {
  const leafData = new Float64Array(sizeOf(p.leafShape)).fill(Number.NaN);
  for (let k = 0; k < pos.length; k++) leafData[pos[k]!] = data[k]!;
  const leaf = tensor(leafData, { dtype: 'float64', shape: p.leafShape });
  if (requiresGrad) leaf.requiresGrad = true;
  const n = shape.length;
  const reversed = Array.from({ length: n }, (_, i) => n - 1 - i);
  let view: Tensor;
  if (p.layout === 'contiguous') view = leaf;
  else if (p.layout === 'transposed') view = leaf.permute(reversed);
  else if (n === 0) view = leaf.index(1);
  else view = leaf.index('...', '1::2').permute(reversed);
  const strideOk =
    view.shape.length === n &&
    view.shape.every((d, i) => d === shape[i] && (d <= 1 || view.strides[i] === p.strides[i]));
  if (!strideOk || (pos.length > 0 && view.offset !== p.offset)) {
    throw new Error(
      `gradcheck ${label}: the ${p.layout} view came out as shape ${formatShape(view.shape)}, strides ${formatShape(view.strides)}, offset ${view.offset}; expected ${formatShape(shape)}, ${formatShape(p.strides)}, ${p.offset}`,
    );
  }
  if (p.layout !== 'contiguous' && pos.length > 1 && view.isContiguous()) {
    throw new Error(
      `gradcheck ${label}: the ${p.layout} view of shape ${formatShape(shape)} is contiguous; the layout test would test nothing`,
    );
  }
  return { leaf, view };
}

function primitivesOf(root: Tensor): Set<string> {
  const seen = new Set<GradNode>();
  const names = new Set<string>();
  const stack: Tensor[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!.gradFn;
    if (node === null || seen.has(node)) continue;
    seen.add(node);
    names.add(node.primitive);
    stack.push(...node.inputs);
  }
  return names;
}

/** Σ y_k w_k in plain float64 arithmetic. */
function project(y: Tensor, w: Float64Array, label: string): number {
  const d = y.data();
  if (d.length !== w.length)
    throw new Error(
      `gradcheck ${label}: output size changed from ${w.length} to ${d.length} under perturbation`,
    );
  let acc = 0;
  for (let k = 0; k < d.length; k++) acc += d[k]! * w[k]!;
  return acc;
}

interface Prepared {
  data: Float64Array | null;
  shape: number[];
  /** Non-differentiated inputs, rebuilt once on the reference backend. */
  constant: Tensor | null;
  differentiate: boolean;
}

function prepare(arg: InputArg, i: number, label: string): Prepared {
  const spec: GradInput = arg instanceof Tensor ? { value: arg } : arg;
  const t = spec.value;
  const differentiate = spec.grad ?? t.dtype !== 'int32';
  if (differentiate && t.dtype !== 'float64') {
    throw new TypeError(
      `gradcheck ${label}: input ${i} is ${t.dtype}; differentiated inputs must be float64 (or pass it as fixed(t))`,
    );
  }
  const shape = t.shape.slice();
  if (differentiate) return { data: Float64Array.from(t.data()), shape, constant: null, differentiate };
  return { data: null, shape, constant: tensor(t.data(), { dtype: t.dtype, shape }), differentiate };
}

/**
 * Checks the gradients of f at the given inputs and throws an Error naming the case, the input, the
 * element and both values at the first mismatch. Returns what it compared.
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly InputArg[],
  options: GradcheckOptions = {},
): GradcheckReport {
  return withBackend(reference, () => check(f, inputs, options));
}

function check(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly InputArg[],
  options: GradcheckOptions,
): GradcheckReport {
  const label = JSON.stringify(options.name ?? f.name ?? 'f');
  const eps = options.eps ?? DEFAULTS.eps;
  const atol = options.atol ?? DEFAULTS.atol;
  const rtol = options.rtol ?? DEFAULTS.rtol;
  const layout = options.layout ?? 'contiguous';
  const prepared = inputs.map((arg, i) => prepare(arg, i, label));
  const placements = prepared.map((p) => (p.differentiate ? place(p.shape, layout) : null));
  const pos = prepared.map((p, i) => (p.differentiate ? positions(p.shape, placements[i]!) : null));
  if (!prepared.some((p) => p.differentiate))
    throw new Error(`gradcheck ${label}: no input is differentiated`);

  /** Fresh inputs; `perturb` replaces one differentiated input's data. */
  const fresh = (
    requiresGrad: boolean,
    perturb?: { input: number; data: Float64Array },
    contiguous = false,
  ): Built[] =>
    prepared.map((p, i) => {
      if (!p.differentiate) return { leaf: p.constant!, view: p.constant! };
      const data = perturb?.input === i ? perturb.data : p.data!;
      const pl = contiguous ? place(p.shape, 'contiguous') : placements[i]!;
      const ps = contiguous ? positions(p.shape, pl) : pos[i]!;
      return build(data, p.shape, pl, ps, requiresGrad, label);
    });

  // Analytic pass.
  const built = fresh(true);
  const y = f(...built.map((b) => b.view));
  if (!y.requiresGrad)
    throw new Error(`gradcheck ${label}: the output does not require grad (is f connected to its inputs?)`);
  const outputShape = y.shape.slice();
  const g = new Generator(options.seed ?? 0);
  const wData = new Float64Array(y.size);
  for (let k = 0; k < wData.length; k++) wData[k] = g.normal();
  const w = tensor(y.dtype === 'float64' ? wData : Float32Array.from(wData), {
    dtype: y.dtype,
    shape: outputShape,
  });
  const primitives = primitivesOf(y);
  const loss = sum(mul(y, w));
  loss.backward();

  if (layout !== 'contiguous') {
    const yc = noGrad(() => f(...fresh(false, undefined, true).map((b) => b.view))).data();
    const yv = y.data();
    for (let k = 0; k < yc.length; k++) {
      const same =
        Math.abs(yv[k]! - yc[k]!) <= 1e-12 * (1 + Math.abs(yc[k]!)) ||
        (Number.isNaN(yv[k]!) && Number.isNaN(yc[k]!));
      if (!same) {
        throw new Error(
          `gradcheck ${label}: with ${layout} inputs the output differs from the contiguous one at [${unravel(k, outputShape).join(', ')}]: ${yv[k]} vs ${yc[k]}`,
        );
      }
    }
  }

  const analytic: (Float64Array | null)[] = [];
  let checked = 0;
  let maxAbsError = 0;
  prepared.forEach((p, i) => {
    if (!p.differentiate) {
      analytic.push(null);
      return;
    }
    const where = `input ${i} ${formatShape(p.shape)} (${placements[i]!.layout})`;
    const leaf = built[i]!.leaf;
    if (leaf.grad === null)
      throw new Error(`gradcheck ${label}: ${where}: backward left no gradient on the leaf`);
    if (leaf.grad.shape.join() !== leaf.shape.join()) {
      throw new Error(
        `gradcheck ${label}: ${where}: the gradient has shape ${formatShape(leaf.grad.shape)}, the leaf ${formatShape(leaf.shape)}`,
      );
    }
    const leafGrad = leaf.grad.data();
    const ps = pos[i]!;
    const inView = new Uint8Array(leafGrad.length);
    const a = new Float64Array(ps.length);
    for (let k = 0; k < ps.length; k++) {
      a[k] = leafGrad[ps[k]!]!;
      inView[ps[k]!] = 1;
    }
    for (let q = 0; q < leafGrad.length; q++) {
      if (!inView[q] && leafGrad[q] !== 0) {
        throw new Error(
          `gradcheck ${label}: ${where}: gradient ${leafGrad[q]} leaked to leaf element ${q} of ${formatShape(leaf.shape)}, which is outside the view (expected 0)`,
        );
      }
    }
    analytic.push(a);

    let bad = -1;
    let badCount = 0;
    let badNumeric = 0;
    for (let k = 0; k < ps.length; k++) {
      const data = p.data!.slice();
      data[k] = p.data![k]! + eps;
      const lp = project(
        noGrad(() => f(...fresh(false, { input: i, data }).map((b) => b.view))),
        wData,
        label,
      );
      data[k] = p.data![k]! - eps;
      const lm = project(
        noGrad(() => f(...fresh(false, { input: i, data }).map((b) => b.view))),
        wData,
        label,
      );
      const numeric = (lp - lm) / (2 * eps);
      const err = Math.abs(a[k]! - numeric);
      checked++;
      if (!(err <= atol + rtol * Math.abs(numeric))) {
        if (bad < 0) {
          bad = k;
          badNumeric = numeric;
        }
        badCount++;
      } else maxAbsError = Math.max(maxAbsError, err);
    }
    // Asserted either way (not thrown only on a mismatch), so that a test counts as asserting.
    const first =
      bad < 0
        ? ''
        : `; first at [${unravel(bad, p.shape).join(', ')}] ` +
          `(flat ${bad}): analytic ${a[bad]}, numeric ${badNumeric}, |diff| ${Math.abs(a[bad]! - badNumeric)} > ` +
          `atol ${atol} + rtol ${rtol}·|numeric| (h = ${eps}, value ${p.data![bad]})`;
    expect(
      badCount,
      `gradcheck ${label}: ${where}: ${badCount} of ${ps.length} elements differ${first}`,
    ).toBe(0);
  });
  return { checked, maxAbsError, outputShape, primitives, analytic };
}
