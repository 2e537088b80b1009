/** Pooling over 2-D windows, built on the same unfold as conv2d. */
import { noGrad, record } from '../autograd/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { im2col, type Pair, windowSpec } from './conv.js';
import { div } from './elementwise.js';
import { mean, sum } from './reduce.js';
import { contiguous, reshape } from './shape_ops.js';
import { empty, requireFloat } from './util.js';

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
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

/**
 * The maximum of each window (torch.nn.functional.max_pool2d; padding counts as −∞). The gradient
 * goes to the first maximal element of each window in row-major order, as in PyTorch.
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  checkOptions('maxPool2d', options, { stride: true, padding: true, dilation: true });
  requireFloat('maxPool2d', x);
  const padding = options.padding ?? 0;
  checkPadding('maxPool2d', kernelSize, padding);
  const spec = windowSpec(
    'maxPool2d',
    x,
    kernelSize,
    options.stride ?? kernelSize,
    padding,
    options.dilation ?? 1,
  );
  // One kernel each way: the maxima with where they came from, and their gradient scattered back.
  const xc = contiguous(x);
  const shape = [spec.batch, spec.channels, spec.outHeight, spec.outWidth];
  const out = empty(shape, x.dtype, x.backend);
  const indices = empty(shape, 'int32', x.backend);
  if (out.size > 0)
    x.backend.maxPool2dForward(xc.strided(), spec, out.storage.buffer, indices.storage.buffer);
  return record('maxPool2d', [xc], out, { spec, indices });
}

export interface AvgPool2dOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  padding?: Pair;
  /** Count the zero padding in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

/** The mean of each window (torch.nn.functional.avg_pool2d, without ceil mode or divisor override). */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  checkOptions('avgPool2d', options, { stride: true, padding: true, countIncludePad: true });
  requireFloat('avgPool2d', x);
  const padding = options.padding ?? 0;
  checkPadding('avgPool2d', kernelSize, padding);
  const spec = windowSpec('avgPool2d', x, kernelSize, options.stride ?? kernelSize, padding, 1);
  const [kh, kw] = spec.kernel;
  const length = spec.outHeight * spec.outWidth;
  const cols = reshape(im2col(x, spec, 0), [spec.batch, spec.channels, kh * kw, length]);
  const shape = [spec.batch, spec.channels, spec.outHeight, spec.outWidth];
  if (options.countIncludePad ?? true) return reshape(mean(cols, 2), shape);
  // Divide by the number of real (unpadded) elements in each window.
  const counts = noGrad(() => {
    const one = x.detach().index(':1', ':1').onesLike();
    const oneSpec = { ...spec, batch: 1, channels: 1 };
    return reshape(sum(im2col(one, oneSpec, 0), 1), [1, 1, spec.outHeight, spec.outWidth]);
  });
  return div(reshape(sum(cols, 2), shape), counts);
}

/** The mean over each feature map: [N, C, H, W] → [N, C] (or [N, C, 1, 1] with keepDim). */
export function globalAvgPool2d(x: Tensor, keepDim = false): Tensor {
  requireFloat('globalAvgPool2d', x);
  if (x.ndim !== 4) throw new RangeError(`globalAvgPool2d: input must be 4-D (N, C, H, W), got ${x.ndim}-D`);
  return mean(x, [2, 3], keepDim);
}
