/** Pooling layers: thin modules over the pooling ops, with torch.nn's names and defaults. */
import type { Pair } from '../ops/conv.js';
import { avgPool2d, globalAvgPool2d, maxPool2d } from '../ops/pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { requireNdim } from './checks.js';
import { Module } from './module.js';

export interface MaxPool2dLayerOptions {
  /** Default: the kernel size (non-overlapping windows). */
  stride?: Pair;
  /** Implicit −∞ padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
  /** Default 1. */
  dilation?: Pair;
  /** Round the output size up (default false): ⌈·⌉ instead of ⌊·⌋ in H' and W', as torch's `ceil_mode`. */
  ceilMode?: boolean;
  /** Keep each call's indices in `indices` (default false); see MaxPool2d. */
  returnIndices?: boolean;
}

/**
 * Max pooling (torch.nn.MaxPool2d): y[n, c, p, q] = max over the kh×kw window at (s·p − pad, s·q − pad).
 * x: [N, C, H, W] → [N, C, H', W'], H' = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1
 * (⌈·⌉ with `ceilMode`, dropping a last window that would start in the right padding). The gradient
 * goes to the first maximal element of each window, or to its last NaN if it holds any, as in
 * PyTorch's CPU kernel.
 *
 * Divergence from PyTorch: a module returns one tensor, so with `returnIndices: true` the layer
 * returns the values and keeps the indices of its latest call in `indices` (int32, flat y·W + x per
 * plane, as maxPool2d's `{ values, indices }`); they belong to the same scope as the output.
 *
 * @example
 * new MaxPool2d(2).call(randn([1, 6, 28, 28])).shape; // [1, 6, 14, 14]
 * new MaxPool2d(2, { ceilMode: true }).call(randn([1, 6, 5, 5])).shape; // [1, 6, 3, 3]
 */
export class MaxPool2d extends Module {
  /** With `returnIndices`, the indices of the latest call's maxima; otherwise null. */
  indices: Tensor | null = null;

  constructor(
    readonly kernelSize: Pair,
    readonly options: MaxPool2dLayerOptions = {},
  ) {
    super();
    checkOptions('MaxPool2d', options, {
      stride: true,
      padding: true,
      dilation: true,
      ceilMode: true,
      returnIndices: true,
    });
  }

  forward(x: Tensor): Tensor {
    requireNdim('MaxPool2d', x, [4], '(N, C, H, W)');
    const { returnIndices, ...rest } = this.options;
    if (returnIndices === true) {
      const { values, indices } = maxPool2d(x, this.kernelSize, { ...rest, returnIndices: true });
      this.indices = indices;
      return values;
    }
    return maxPool2d(x, this.kernelSize, { ...rest, returnIndices });
  }

  override extraRepr(): string {
    const { dilation, ceilMode, returnIndices } = this.options;
    return [
      windowRepr(this.kernelSize, this.options),
      ...(dilation !== undefined && JSON.stringify(dilation) !== '1'
        ? [`dilation=${JSON.stringify(dilation)}`]
        : []),
      ...(ceilMode === true ? ['ceilMode=true'] : []),
      ...(returnIndices === true ? ['returnIndices=true'] : []),
    ].join(', ');
  }
}

/** The options every pooling layer shows (as PyTorch's repr does); the others only when not default. */
function windowRepr(kernelSize: Pair, options: { stride?: Pair; padding?: Pair }): string {
  return `kernelSize=${JSON.stringify(kernelSize)}, stride=${JSON.stringify(options.stride ?? kernelSize)}, padding=${JSON.stringify(options.padding ?? 0)}`;
}

export interface AvgPool2dLayerOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  /** Implicit zero padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
  /** Count the zero padding in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Round the output size up (default false), as MaxPool2d's. */
  ceilMode?: boolean;
  /** Divide each window's sum by this non-zero integer instead of its element count (default none). */
  divisorOverride?: number | null;
}

/**
 * Average pooling (torch.nn.AvgPool2d): y[n, c, p, q] = the sum of the kh×kw window divided by kh·kw
 * (by the unpadded element count with `countIncludePad: false`, by `divisorOverride` when given).
 * Shapes as MaxPool2d, `ceilMode` included; a ceil-mode window's part past the padded input never
 * counts in the divisor, as in PyTorch.
 *
 * @example
 * new AvgPool2d(2).call(randn([1, 6, 28, 28])).shape; // [1, 6, 14, 14]
 */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: AvgPool2dLayerOptions = {},
  ) {
    super();
    checkOptions('AvgPool2d', options, {
      stride: true,
      padding: true,
      countIncludePad: true,
      ceilMode: true,
      divisorOverride: true,
    });
  }

  forward(x: Tensor): Tensor {
    requireNdim('AvgPool2d', x, [4], '(N, C, H, W)');
    return avgPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const { ceilMode, countIncludePad, divisorOverride } = this.options;
    return [
      windowRepr(this.kernelSize, this.options),
      ...(ceilMode === true ? ['ceilMode=true'] : []),
      ...(countIncludePad === false ? ['countIncludePad=false'] : []),
      ...(divisorOverride != null ? [`divisorOverride=${divisorOverride}`] : []),
    ].join(', ');
  }
}

/**
 * Global average pooling: y[n, c] = mean over h, w of x[n, c, h, w]; [N, C, H, W] → [N, C]. This is
 * PyTorch's `AdaptiveAvgPool2d(1)` followed by `flatten(1)`, as ResNet and DenseNet heads use it.
 *
 * @example
 * new GlobalAvgPool2d().call(randn([2, 64, 8, 8])).shape; // [2, 64]
 */
export class GlobalAvgPool2d extends Module {
  forward(x: Tensor): Tensor {
    requireNdim('GlobalAvgPool2d', x, [4], '(N, C, H, W)');
    return globalAvgPool2d(x);
  }
}
