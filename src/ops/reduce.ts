/** Reductions along axes, with PyTorch's keepDim semantics. `axis` omitted means all axes. */
import { noGrad, record } from '../autograd/tape.js';
import type { ReduceOp } from '../backend/backend.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { div, mul, sqrt, square, sub } from './elementwise.js';
import { gather } from './indexing.js';
import { contiguous, permute, reshape } from './shape_ops.js';
import { empty, requireFloat } from './util.js';

export type Axis = number | readonly number[] | null;

function keptShape(shape: readonly number[], axes: readonly number[], keepDim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDim) out.push(1);
  });
  return out;
}

/** One backend reduction along a single axis of a contiguous tensor; the axis stays with size 1. */
function reduceAxis(op: ReduceOp, c: Tensor, axis: number): Tensor {
  const shape = c.shape.slice();
  const length = shape[axis]!;
  shape[axis] = 1;
  const out = empty(shape, op === 'argmax' || op === 'argmin' ? 'int32' : c.dtype, c.backend);
  if (length === 0 && op !== 'sum') {
    throw new RangeError(
      `${op}: cannot reduce an empty axis (axis ${axis} has size 0); there is no identity for it`,
    );
  }
  c.backend.reduce({
    op,
    x: c.strided(),
    outer: sizeOf(c.shape.slice(0, axis)),
    length,
    inner: sizeOf(c.shape.slice(axis + 1)),
    out: out.storage.buffer,
  });
  return out;
}

/** Σ over the given axes. */
export function sum(x: Tensor, axis?: Axis, keepDim = false): Tensor {
  const axes = normalizeAxes('sum', axis, x.ndim);
  const c = contiguous(x);
  let acc = c;
  for (let i = axes.length - 1; i >= 0; i--) acc = reduceAxis('sum', acc, axes[i]!);
  const shape = keptShape(x.shape, axes, keepDim);
  const out = acc === c ? empty(shape, c.dtype, c.backend).assign(c) : acc.detach().reshape(shape);
  return record('sum', [c], out, { axes, keepDim });
}

/** The arithmetic mean over the given axes (floating-point tensors only). */
export function mean(x: Tensor, axis?: Axis, keepDim = false): Tensor {
  requireFloat('mean', x);
  const axes = normalizeAxes('mean', axis, x.ndim);
  const n = sizeOf(axes.map((a) => x.shape[a]!));
  return div(sum(x, axes, keepDim), n);
}

/** What gatherLast reduces: the public function's name (for errors), max or min, and where. */
interface GatherLastSpec {
  caller: string;
  kind: 'max' | 'min';
  axis: number;
  keepDim: boolean;
}

/**
 * max or min along one axis as the element argmax/argmin picks, gathered: the gradient goes to that
 * first extreme element (PyTorch's max(x, dim)). The axis is moved last and made contiguous. Errors
 * name `caller` (max, maxWithIndices…), not the argmax this runs on.
 */
function gatherLast(x: Tensor, spec: GatherLastSpec): ValuesAndIndices {
  const { caller, kind, keepDim } = spec;
  const axis = normalizeAxis(caller, checkAxisInteger(caller, spec.axis), x.ndim);
  const axes = x.ndim === 0 ? [] : [axis];
  if (axes.length === 1 && x.shape[axis] === 0) {
    throw new RangeError(
      `${caller}: cannot reduce an empty axis (axis ${spec.axis} has size 0); there is no identity for it`,
    );
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const merged = reshape(permute(x, [...kept, ...axes]), [
    ...kept.map((i) => x.shape[i]!),
    sizeOf(axes.map((a) => x.shape[a]!)),
  ]);
  const c = contiguous(merged);
  const last = c.ndim - 1;
  const idx = reduceAxis(kind === 'max' ? 'argmax' : 'argmin', c, last);
  const shape = keptShape(x.shape, axes, keepDim);
  return { values: reshape(gather(c, last, idx), shape), indices: reshape(idx, shape) };
}

/** An axis number must be an integer; normalizeAxis would call 1.5 "out of range". */
function checkAxisInteger(op: string, axis: number): number {
  if (!Number.isInteger(axis)) {
    throw new TypeError(`${op}: axis must be an integer, got ${axis}`);
  }
  return axis;
}

/** The maxima (op 'max') or minima over `axes`, reduced one axis at a time; no gradient recorded. */
function extremeValue(op: 'max' | 'min', x: Tensor, axes: readonly number[], keepDim: boolean): Tensor {
  return noGrad(() => {
    const c = contiguous(x);
    let acc = c;
    for (let i = axes.length - 1; i >= 0; i--) acc = reduceAxis(op, acc, axes[i]!);
    const shape = keptShape(x.shape, axes, keepDim);
    return acc === c ? empty(shape, c.dtype, c.backend).assign(c) : acc.reshape(shape);
  });
}

/**
 * max or min over all axes (axis omitted) or an axis list, with PyTorch's gradient for `max()` and
 * `amax`: tied elements share it equally instead of the first one taking it all.
 */
function extreme(op: 'max' | 'min', x: Tensor, axis: Axis | undefined, keepDim: boolean): Tensor {
  const axes = normalizeAxes(op, axis, x.ndim);
  const out = extremeValue(op, x, axes, keepDim);
  return record(op === 'max' ? 'amax' : 'amin', [x], out, { axes, keepDim, full: axis == null });
}

/** maxWithIndices's and minWithIndices's result: torch.max(x, dim)'s (values, indices) pair. */
export interface ValuesAndIndices {
  /** The extreme values, differentiable (the gradient goes to the element `indices` names). */
  values: Tensor;
  /** int32 positions along the reduced axis: the first extreme element (the first NaN, if any). */
  indices: Tensor;
}

/**
 * The largest element over the given axes (NaN if any is NaN). The gradient follows PyTorch's
 * three forms:
 * - `max(x)` (PyTorch's `x.max()`): tied maxima share the gradient equally; where the result is
 *   NaN, the NaN elements share it.
 * - `max(x, [axes])` (PyTorch's `amax`): tied maxima of each slice share it equally; a slice whose
 *   maximum is NaN gets NaN gradients throughout (PyTorch's g/count·mask with count 0).
 * - `max(x, axis)` with one axis number (PyTorch's `max(x, dim).values`): it goes to the first
 *   maximal element (the first NaN, if any), the one `argmax` names.
 * Divergence from PyTorch: torch.max(x, dim) returns (values, indices); here `max(x, axis)` returns
 * the values and `maxWithIndices(x, axis)` both.
 */
export function max(x: Tensor, axis?: Axis, keepDim = false): Tensor {
  return typeof axis === 'number'
    ? gatherLast(x, { caller: 'max', kind: 'max', axis, keepDim }).values
    : extreme('max', x, axis, keepDim);
}

/** The smallest element over the given axes; see max for the gradient at ties and the divergences. */
export function min(x: Tensor, axis?: Axis, keepDim = false): Tensor {
  return typeof axis === 'number'
    ? gatherLast(x, { caller: 'min', kind: 'min', axis, keepDim }).values
    : extreme('min', x, axis, keepDim);
}

/**
 * torch.max(x, dim): `{ values, indices }` along one axis, the values as `max(x, axis)` (gradient to
 * the first maximal element) and the indices as `argmax(x, axis)` (int32; the first maximum, or the
 * first NaN). A separate function rather than an option of max: its result type is fixed, so
 * `max(x, axis)` keeps returning a Tensor that composes with every other op, and a call site never
 * depends on a flag to know whether it holds a tensor or a pair.
 *
 * @example
 * const { values, indices } = maxWithIndices(tensor([[1, 3, 3], [4, 2, 0]]), 1); // [3, 4], [1, 0]
 */
export function maxWithIndices(x: Tensor, axis: number, keepDim = false): ValuesAndIndices {
  const op = 'maxWithIndices';
  return gatherLast(x, { caller: op, kind: 'max', axis: checkAxisNumber(op, axis), keepDim });
}

/** torch.min(x, dim): `{ values, indices }` of the first minimum along one axis; see maxWithIndices. */
export function minWithIndices(x: Tensor, axis: number, keepDim = false): ValuesAndIndices {
  const op = 'minWithIndices';
  return gatherLast(x, { caller: op, kind: 'min', axis: checkAxisNumber(op, axis), keepDim });
}

function checkAxisNumber(op: string, axis: unknown): number {
  if (typeof axis !== 'number') {
    throw new TypeError(
      `${op}: axis must be one axis number (PyTorch's dim), got ${JSON.stringify(axis)}; for several axes use max/min (values only)`,
    );
  }
  return axis;
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDim: boolean): Tensor {
  if (axis === undefined || axis === null) {
    const flat = contiguous(reshape(x.detach(), [x.size]));
    const r = reduceAxis(op, flat, 0);
    return keepDim
      ? reshape(
          r,
          x.shape.map(() => 1),
        )
      : reshape(r, []);
  }
  const a = normalizeAxis(op, checkAxisInteger(op, axis), x.ndim);
  const r = reduceAxis(op, contiguous(x.detach()), a);
  return keepDim ? r : reshape(r, keptShape(x.shape, [a], false));
}

/** Index (int32) of the first maximum along `axis`, or in the flattened tensor when axis is omitted. */
export function argmax(x: Tensor, axis?: number, keepDim = false): Tensor {
  return argReduce('argmax', x, axis, keepDim);
}

/** Index (int32) of the first minimum along `axis`, or in the flattened tensor when axis is omitted. */
export function argmin(x: Tensor, axis?: number, keepDim = false): Tensor {
  return argReduce('argmin', x, axis, keepDim);
}

export interface VarianceOptions {
  keepDim?: boolean;
  /** Subtracted from the count in the denominator: 1 (default, unbiased, Bessel) or 0 (biased). */
  correction?: number;
}

/** Σ(x − mean)² / max(0, N − correction): inf or NaN when N ≤ correction, as in PyTorch. */
function varianceValue(x: Tensor, axes: readonly number[], correction: number, keepDim: boolean): Tensor {
  const n = sizeOf(axes.map((a) => x.shape[a]!));
  const centered = sub(x, mean(x, axes, true));
  return mul(sum(square(centered), axes, keepDim), 1 / Math.max(0, n - correction));
}

function varianceLike(
  op: 'var' | 'std',
  x: Tensor,
  axis: Axis | undefined,
  options: VarianceOptions,
): Tensor {
  checkOptions(op === 'var' ? 'variance' : 'std', options, { keepDim: true, correction: true });
  requireFloat(op, x);
  const correction = options.correction ?? 1;
  if (!Number.isFinite(correction) || correction < 0) {
    throw new RangeError(
      `${op}: correction must be a non-negative number (0 biased, 1 unbiased), got ${correction}`,
    );
  }
  const axes = normalizeAxes(op, axis, x.ndim);
  const keepDim = options.keepDim ?? false;
  const out = noGrad(() => {
    const v = varianceValue(x, axes, correction, keepDim);
    return op === 'std' ? sqrt(v) : v;
  });
  const params = { axes, correction, keepDim, full: axis == null || x.ndim === 0 };
  return record(op === 'std' ? 'std' : 'variance', [x], out, params);
}

/**
 * Σ(x − mean)² / (N − correction) over the given axes; PyTorch's default correction is 1. The
 * gradient is PyTorch's 2/(N − correction)·g·(x − mean), recorded as one primitive so that the
 * degenerate cases match it: ±∞ (or NaN at the mean) when N = correction, the sign-flipped finite
 * values (−0 for N = 1) when N < correction.
 */
export function variance(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  return varianceLike('var', x, axis, options);
}

/**
 * √var; see variance. The gradient is 0 where the standard deviation is 0 (a constant slice), as in
 * PyTorch, rather than the 0·∞ = NaN of differentiating √ at 0.
 */
export function std(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  return varianceLike('std', x, axis, options);
}
