/** 2-D convolution as unfold (im2col) followed by a batched matrix product. */
import { record } from '../autograd/tape.js';
import type { WindowSpec } from '../backend/backend.js';
import { hasFused } from '../backend/capabilities.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { add } from './elementwise.js';
import { matmulNd } from './linalg.js';
import { contiguous, pad, permute, reshape } from './shape_ops.js';
import { empty, requireFloat, requireSameBackend, requireSameDType, requireShape } from './util.js';

export type Pair = number | readonly [number, number];

function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (
    !p.every((d) => Number.isInteger(d) && d >= min) ||
    (typeof v !== 'number' && (v as readonly number[]).length !== 2)
  ) {
    throw new RangeError(
      `${op}: ${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return p;
}

/**
 * The number of windows along one axis (PyTorch's pooling_output_shape). In ceil mode the last window
 * may run past the padded input, but it must start inside the input or its left padding: a window
 * that would start in the right padding only is dropped.
 */
/** One axis of a sliding window, resolved to numbers. */
interface AxisWindow {
  kernel: number;
  stride: number;
  padding: number;
  dilation: number;
  ceilMode: boolean;
}

/** How many windows fit along an axis of `size` (PyTorch's pooling_output_shape). */
function outputLength(size: number, w: AxisWindow): number {
  const { kernel, stride, padding, dilation, ceilMode } = w;
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  let n = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (n - 1) * stride >= size + padding) n--;
  return n;
}

/** A sliding window as the caller gives it: each size a number or a [height, width] pair. */
export interface WindowOptions {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  /** Round the number of windows up (pooling only, torch's `ceil_mode`); default false. */
  ceilMode?: boolean;
}

/**
 * @internal the sliding-window geometry shared by conv2d and pooling, validated. `ceilMode` (pooling
 * only) rounds the number of windows up, as torch's `ceil_mode`; the kernels read windows that run past
 * the input as padding.
 */
export function windowSpec(op: string, x: Tensor, window: WindowOptions): WindowSpec {
  requireShape(op, x, 4, 'input (N, C, H, W)');
  const [batch, channels, height, width] = x.shape as [number, number, number, number];
  const k = pair(op, 'kernelSize', window.kernel, 1);
  const s = pair(op, 'stride', window.stride, 1);
  const p = pair(op, 'padding', window.padding, 0);
  const d = pair(op, 'dilation', window.dilation, 1);
  const ceilMode = window.ceilMode ?? false;
  const along = (axis: 0 | 1): AxisWindow => ({
    kernel: k[axis],
    stride: s[axis],
    padding: p[axis],
    dilation: d[axis],
    ceilMode,
  });
  const outHeight = outputLength(height, along(0));
  const outWidth = outputLength(width, along(1));
  if (outHeight <= 0 || outWidth <= 0) {
    throw new RangeError(
      `${op}: the input ${formatShape(x.shape)} is too small for kernel ${formatShape(k)} with padding ${formatShape(p)} and dilation ${formatShape(d)} (output would be ${outHeight}×${outWidth})`,
    );
  }
  return {
    batch,
    channels,
    height,
    width,
    kernel: k,
    stride: s,
    padding: p,
    dilation: d,
    outHeight,
    outWidth,
  };
}

/**
 * Sliding windows as columns: [N, C, H, W] → [N, C·kh·kw, outH·outW] (torch.nn.functional.unfold), or
 * [C·kh·kw, N, outH·outW] with `spec.columnLayout` 'KNL'.
 */
export function im2col(x: Tensor, spec: WindowSpec, padValue = 0): Tensor {
  const c = contiguous(x);
  const depth = spec.channels * spec.kernel[0] * spec.kernel[1];
  const length = spec.outHeight * spec.outWidth;
  const shape = spec.columnLayout === 'KNL' ? [depth, spec.batch, length] : [spec.batch, depth, length];
  const out = empty(shape, x.dtype, x.backend);
  if (out.size > 0) c.backend.im2col({ x: c.strided(), spec, padValue, out: out.storage.buffer });
  return record('im2col', [c], out, { spec, padValue });
}

/** Sums columns back into an image, the adjoint of im2col (torch.nn.functional.fold). */
export function col2im(cols: Tensor, spec: WindowSpec): Tensor {
  const c = contiguous(cols);
  const out = empty([spec.batch, spec.channels, spec.height, spec.width], cols.dtype, cols.backend);
  if (out.size > 0) c.backend.col2im({ cols: c.strided(), spec, out: out.storage.buffer });
  return record('col2im', [c], out, { spec });
}

/**
 * Whether conv2d runs as one direct convolution kernel each way (Backend.conv2d and its gradients,
 * where the backend has them) instead of im2col and matrix products: for stride 1, dilation 1, padding below the kernel size (so
 * that the input gradient is a convolution with non-negative padding), kernels up to 7×7, and few
 * input taps per output (C·kh·kw ≤ 400), where the unfolded columns cost more memory traffic than the
 * products save. LeNet-5's convolutions are such (25 and 150 taps). (One group only; the caller checks.)
 */
export function directConvolution(spec: WindowSpec, outChannels: number): boolean {
  const [kh, kw] = spec.kernel;
  return (
    spec.stride[0] === 1 &&
    spec.stride[1] === 1 &&
    spec.dilation[0] === 1 &&
    spec.dilation[1] === 1 &&
    spec.padding[0] < kh &&
    spec.padding[1] < kw &&
    kh <= 7 &&
    kw <= 7 &&
    spec.channels * kh * kw <= 400 &&
    outChannels > 0
  );
}

export interface Conv2dOptions {
  stride?: Pair;
  /**
   * Zero padding on each side, or 'valid' (none) or 'same' (output as large as the input; stride 1
   * only; an even effective kernel d·(k − 1) + 1 gets the odd pad on the bottom/right, as PyTorch).
   */
  padding?: Pair | 'valid' | 'same';
  dilation?: Pair;
  groups?: number;
}

/**
 * out[n, o] = bias[o] + Σ_c Σ_(i,j) weight[o, c, i, j] · x[n, c, s·y + d·i − p, s·x + d·j − p]
 * (cross-correlation, as torch.nn.functional.conv2d). x: [N, C, H, W]; weight: [O, C/groups, kh, kw];
 * bias: [O]. Defaults: stride 1, padding 0, dilation 1, groups 1.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', options, { stride: true, padding: true, dilation: true, groups: true });
  requireFloat('conv2d', x);
  requireSameDType('conv2d', x, weight);
  requireSameBackend('conv2d', x, weight);
  requireShape('conv2d', x, 4, 'input (N, C, H, W)');
  requireShape('conv2d', weight, 4, 'weight (O, C/groups, kh, kw)');
  const groups = options.groups ?? 1;
  const [outChannels, groupChannels, kh, kw] = weight.shape as [number, number, number, number];
  const channels = x.shape[1]!;
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0 || outChannels % groups !== 0) {
    throw new RangeError(
      `conv2d: groups must be a positive integer dividing both the input channels (${channels}) and the output channels (${outChannels}), got ${groups}`,
    );
  }
  if (groupChannels * groups !== channels) {
    throw new RangeError(
      `conv2d: weight ${formatShape(weight.shape)} expects ${groupChannels * groups} input channels (C/groups = ${groupChannels}), but the input ${formatShape(x.shape)} has ${channels}`,
    );
  }
  if (bias != null) {
    requireSameDType('conv2d', x, bias);
    if (bias.ndim !== 1 || bias.shape[0] !== outChannels) {
      throw new RangeError(`conv2d: bias must have shape [${outChannels}], got ${formatShape(bias.shape)}`);
    }
  }
  const dilation = options.dilation ?? 1;
  const resolved = resolvePadding(options.padding, [kh, kw], options.stride ?? 1, dilation);
  const xp = resolved.extra === null ? x : pad(x, [0, resolved.extra[1], 0, resolved.extra[0]]);
  return convolve(xp, weight, bias, {
    spec: windowSpec('conv2d', xp, {
      kernel: [kh, kw],
      stride: options.stride ?? 1,
      padding: resolved.padding,
      dilation,
    }),
    groups,
  });
}

interface ResolvedPadding {
  /** Zero padding on each side, as the window kernels take it. */
  padding: Pair;
  /** [bottom, right] rows and columns to add to the input first, or null when padding is symmetric. */
  extra: [number, number] | null;
}

/**
 * conv2d's padding option as the kernels take it. 'same' pads d·(k − 1) in all along each axis: half
 * (rounded down) on each side, and for an even effective kernel the one left over on the bottom/right,
 * added to the input beforehand (PyTorch's _convolution_mode does the same with constant_pad_nd).
 */
function resolvePadding(
  padding: Conv2dOptions['padding'],
  kernel: [number, number],
  stride: Pair,
  dilation: Pair,
): ResolvedPadding {
  if (padding === 'valid' || padding === undefined) return { padding: 0, extra: null };
  if (padding !== 'same') return { padding, extra: null };
  const d = pair('conv2d', 'dilation', dilation, 1);
  const s = pair('conv2d', 'stride', stride, 1);
  if (s[0] !== 1 || s[1] !== 1) {
    throw new RangeError(
      `conv2d: padding 'same' requires stride 1 (as in PyTorch), got stride ${JSON.stringify(stride)}`,
    );
  }
  const total = [d[0] * (kernel[0] - 1), d[1] * (kernel[1] - 1)] as const;
  const before: [number, number] = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
  const extra: [number, number] = [total[0] - 2 * before[0], total[1] - 2 * before[1]];
  return { padding: before, extra: extra[0] === 0 && extra[1] === 0 ? null : extra };
}

/** The convolution itself, on an input already padded as far as symmetric padding cannot. */
function convolve(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  { spec, groups }: { spec: WindowSpec; groups: number },
): Tensor {
  const [outChannels, groupChannels, kh, kw] = weight.shape as [number, number, number, number];
  const backend = x.backend;
  if (groups === 1 && hasFused(backend, 'conv2d') && directConvolution(spec, outChannels)) {
    const xc = contiguous(x);
    const wc = contiguous(weight);
    const bc = bias == null ? null : contiguous(bias);
    const out = empty([spec.batch, outChannels, spec.outHeight, spec.outWidth], x.dtype, backend);
    if (out.size > 0) {
      backend.conv2d({
        x: xc.strided(),
        weight: wc.strided(),
        bias: bc?.strided() ?? null,
        spec,
        outChannels,
        out: out.storage.buffer,
      });
    }
    return record('conv2d', bc === null ? [xc, wc] : [xc, wc, bc], out, { spec });
  }
  const length = spec.outHeight * spec.outWidth;
  const depth = groupChannels * kh * kw;
  const n = spec.batch;
  // One product per group over the whole batch: the columns come unfolded as [groups, C·kh·kw,
  // N·outH·outW] (the KNL layout), so the forward product and both gradient products (computed by
  // the matmul rule) are single large GEMMs — the weight gradient sums over the batch inside its
  // product instead of as N small products and a reduction.
  const cols = im2col(x, { ...spec, columnLayout: 'KNL' });
  const w = reshape(weight, [groups, outChannels / groups, depth]);
  let y = reshape(matmulNd(w, reshape(cols, [groups, depth, n * length])), [outChannels, n * length]);
  if (bias != null) y = add(y, reshape(bias, [outChannels, 1]));
  const out = contiguous(permute(reshape(y, [outChannels, n, length]), [1, 0, 2]));
  return reshape(out, [n, outChannels, spec.outHeight, spec.outWidth]);
}
