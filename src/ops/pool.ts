/** Pooling over 2-D windows, built on the same unfold as conv2d. */
import { record } from '../autograd/tape.js';
import type { WindowSpec } from '../backend/backend.js';
import { hasFused } from '../backend/capabilities.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireBoolean } from '../util/boolean_option.js';
import { checkOptions } from '../util/options.js';
import { im2col, type Pair, windowSpec } from './conv.js';
import { div } from './elementwise.js';
import { composedMaxPool2d } from './max_pool_composed.js';
import { mean, sum } from './reduce.js';
import { clone, contiguous, reshape } from './shape_ops.js';
import { empty, requireFloat } from './util.js';

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  /**
   * Round the number of windows up instead of down (default false, torch's `ceil_mode`): the last
   * window may run past the input (its missing elements count as −∞), but it must start inside the
   * input or the left padding.
   */
  ceilMode?: boolean;
  /** Return `{ values, indices }` instead of the values alone (default false); see maxPool2d. */
  returnIndices?: boolean;
}

/** maxPool2d with `returnIndices: true`: torch's `(output, indices)` pair. */
export interface MaxPool2dResult {
  /** The maxima, [N, C, H', W'], differentiable as maxPool2d's plain result. */
  values: Tensor;
  /**
   * Where each maximum came from, int32 [N, C, H', W']: its flat index y·W + x in its own [H, W]
   * plane (torch's indices, for max_unpool2d). −1 for a window that holds no input element (all
   * padding, possible with dilation); PyTorch returns an arbitrary position there. A copy of the
   * indices backward uses, so changing it (indices.assign(…)) leaves the gradient as it was.
   */
  indices: Tensor;
}

function checkPadding(op: string, kernel: Pair, padding: Pair): void {
  const k = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  const p = typeof padding === 'number' ? [padding, padding] : padding;
  if (p[0]! > k[0]! / 2 || p[1]! > k[1]! / 2) {
    throw new RangeError(
      `${op}: padding ${JSON.stringify(padding)} must be at most half the kernel size ${JSON.stringify(kernel)}`,
    );
  }
}

/** An optional boolean option: false when absent. */
function checkBoolean(op: string, name: string, v: unknown): boolean {
  return v === undefined ? false : requireBoolean(op, name, v);
}

/**
 * The maximum of each window (torch.nn.functional.max_pool2d; padding counts as −∞). The gradient
 * (and the index) goes to the first maximal element of each window in row-major order, or to its
 * last NaN if it holds any, as PyTorch's CPU kernel does. With
 * `returnIndices: true` the result is `{ values, indices }` (torch's `return_indices=True`).
 *
 * @example
 * maxPool2d(x, 2, { ceilMode: true }); // [1, 1, 5, 5] → [1, 1, 3, 3]
 * const { values, indices } = maxPool2d(x, 2, { returnIndices: true });
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: Pair,
  options?: MaxPool2dOptions & { returnIndices?: false },
): Tensor;
export function maxPool2d(
  x: Tensor,
  kernelSize: Pair,
  options: MaxPool2dOptions & { returnIndices: true },
): MaxPool2dResult;
export function maxPool2d(x: Tensor, kernelSize: Pair, options?: MaxPool2dOptions): Tensor | MaxPool2dResult;
export function maxPool2d(
  x: Tensor,
  kernelSize: Pair,
  options: MaxPool2dOptions = {},
): Tensor | MaxPool2dResult {
  checkOptions('maxPool2d', options, {
    stride: true,
    padding: true,
    dilation: true,
    ceilMode: true,
    returnIndices: true,
  });
  requireFloat('maxPool2d', x);
  const ceilMode = checkBoolean('maxPool2d', 'ceilMode', options.ceilMode);
  const returnIndices = checkBoolean('maxPool2d', 'returnIndices', options.returnIndices);
  const padding = options.padding ?? 0;
  checkPadding('maxPool2d', kernelSize, padding);
  const stride = options.stride ?? kernelSize;
  const spec = windowSpec('maxPool2d', x, {
    kernel: kernelSize,
    stride,
    padding,
    dilation: options.dilation ?? 1,
    ceilMode,
  });
  if (!hasFused(x.backend, 'maxPool2d')) {
    const composed = composedMaxPool2d(x, spec);
    return returnIndices ? composed : composed.values;
  }
  // One kernel each way: the maxima with where they came from, and their gradient scattered back.
  const backend = x.backend;
  const xc = contiguous(x);
  const shape = [spec.batch, spec.channels, spec.outHeight, spec.outWidth];
  const out = empty(shape, x.dtype, backend);
  const indices = empty(shape, 'int32', backend);
  if (out.size > 0) {
    backend.maxPool2dForward({
      x: xc.strided(),
      spec,
      out: out.storage.buffer,
      indices: indices.storage.buffer,
    });
  }
  const values = record('maxPool2d', [xc], out, { spec, indices });
  // The user gets a copy: the saved indices must not change (indices.assign(…)) before backward.
  return returnIndices ? { values, indices: clone(indices) } : values;
}

export interface AvgPool2dOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  padding?: Pair;
  /** Count the zero padding in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Round the number of windows up instead of down (default false); see MaxPool2dOptions.ceilMode. */
  ceilMode?: boolean;
  /** Divide every window's sum by this non-zero integer instead of its element count (default: none). */
  divisorOverride?: number | null;
}

/**
 * Each window's divisor, [outH, outW], as PyTorch's avg_pool2d counts it: the window clipped to the
 * padded input (the part of a ceil-mode window past it never counts), and further to the input
 * itself unless `countPad`. Rows and columns count independently, so the count is their product.
 */
function windowCounts(spec: WindowSpec, countPad: boolean): number[] {
  /** The divisors along one axis (0 rows, 1 columns) of the windows. */
  const along = (axis: 0 | 1): number[] => {
    const size = axis === 0 ? spec.height : spec.width;
    const [k, s, p] = [spec.kernel[axis], spec.stride[axis], spec.padding[axis]];
    return Array.from({ length: axis === 0 ? spec.outHeight : spec.outWidth }, (_, o) => {
      const start = o * s - p;
      const end = Math.min(start + k, size + p);
      return countPad ? end - start : Math.min(end, size) - Math.max(start, 0);
    });
  };
  const rows = along(0);
  const cols = along(1);
  return rows.flatMap((r) => cols.map((c) => r * c));
}

function checkDivisor(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v === 0) {
    throw new RangeError(`avgPool2d: divisorOverride must be a non-zero integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * The mean of each window (torch.nn.functional.avg_pool2d): the window's sum divided by its size
 * (kh·kw, padding included), by its unpadded element count with `countIncludePad: false`, or by
 * `divisorOverride`. In ceil mode the part of the last window past the padded input is never counted,
 * as in PyTorch.
 */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  checkOptions('avgPool2d', options, {
    stride: true,
    padding: true,
    countIncludePad: true,
    ceilMode: true,
    divisorOverride: true,
  });
  requireFloat('avgPool2d', x);
  const ceilMode = checkBoolean('avgPool2d', 'ceilMode', options.ceilMode);
  const countPad =
    options.countIncludePad === undefined ||
    checkBoolean('avgPool2d', 'countIncludePad', options.countIncludePad);
  const divisor = checkDivisor(options.divisorOverride);
  const padding = options.padding ?? 0;
  checkPadding('avgPool2d', kernelSize, padding);
  const spec = windowSpec('avgPool2d', x, {
    kernel: kernelSize,
    stride: options.stride ?? kernelSize,
    padding,
    dilation: 1,
    ceilMode,
  });
  const [kh, kw] = spec.kernel;
  const length = spec.outHeight * spec.outWidth;
  const cols = reshape(im2col(x, spec, 0), [spec.batch, spec.channels, kh * kw, length]);
  const shape = [spec.batch, spec.channels, spec.outHeight, spec.outWidth];
  if (divisor !== null) return div(reshape(sum(cols, 2), shape), divisor);
  const counts = windowCounts(spec, countPad);
  if (counts.every((c) => c === kh * kw)) return reshape(mean(cols, 2), shape);
  const countTensor = empty([spec.outHeight, spec.outWidth], x.dtype, x.backend);
  const data = x.dtype === 'float64' ? Float64Array.from(counts) : Float32Array.from(counts);
  x.backend.write(countTensor.storage.buffer, data);
  return div(reshape(sum(cols, 2), shape), countTensor);
}

/** The mean over each feature map: [N, C, H, W] → [N, C] (or [N, C, 1, 1] with keepDim). */
export function globalAvgPool2d(x: Tensor, keepDim = false): Tensor {
  requireFloat('globalAvgPool2d', x);
  if (x.ndim !== 4) throw new RangeError(`globalAvgPool2d: input must be 4-D (N, C, H, W), got ${x.ndim}-D`);
  return mean(x, [2, 3], keepDim);
}
