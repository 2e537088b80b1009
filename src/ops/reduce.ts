/** Reductions along axes, with PyTorch's keepDim semantics. `axis` omitted means all axes. */
import { record } from '../autograd/tape.js';
import type { ReduceOp } from '../backend/backend.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
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
  c.backend.reduce(
    op,
    c.strided(),
    sizeOf(c.shape.slice(0, axis)),
    length,
    sizeOf(c.shape.slice(axis + 1)),
    out.storage.buffer,
  );
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

/** Moves the reduced axes to the end and merges them: [kept…, reduced]. */
function gatherLast(op: 'max' | 'min', x: Tensor, axis: Axis | undefined, keepDim: boolean): Tensor {
  const axes = normalizeAxes(op, axis, x.ndim);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const merged = reshape(permute(x, [...kept, ...axes]), [
    ...kept.map((i) => x.shape[i]!),
    sizeOf(axes.map((a) => x.shape[a]!)),
  ]);
  const c = contiguous(merged);
  const last = c.ndim - 1;
  const idx = reduceAxis(op === 'max' ? 'argmax' : 'argmin', c, last);
  return reshape(gather(c, last, idx), keptShape(x.shape, axes, keepDim));
}

/**
 * The largest element over the given axes (NaN if any is NaN). The gradient goes to the first
 * maximal element. Divergence from PyTorch: torch.max(x, dim) returns (values, indices), here only
 * values (use argmax for indices); and PyTorch's full reduction x.max() splits the gradient among ties.
 */
export function max(x: Tensor, axis?: Axis, keepDim = false): Tensor {
  return gatherLast('max', x, axis, keepDim);
}

/** The smallest element over the given axes; see max for ties and divergences. */
export function min(x: Tensor, axis?: Axis, keepDim = false): Tensor {
  return gatherLast('min', x, axis, keepDim);
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
  const a = normalizeAxis(op, axis, x.ndim);
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

/** Σ(x − mean)² / (N − correction) over the given axes; PyTorch's default correction is 1. */
export function variance(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  requireFloat('var', x);
  const correction = options.correction ?? 1;
  if (!Number.isFinite(correction) || correction < 0) {
    throw new RangeError(
      `var: correction must be a non-negative number (0 biased, 1 unbiased), got ${correction}`,
    );
  }
  const axes = normalizeAxes('var', axis, x.ndim);
  const n = sizeOf(axes.map((a) => x.shape[a]!));
  const centered = sub(x, mean(x, axes, true));
  return mul(sum(square(centered), axes, options.keepDim ?? false), 1 / Math.max(0, n - correction));
}

/** √var; see variance. */
export function std(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, axis, options));
}
