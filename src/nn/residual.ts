import { add } from '../ops/elementwise.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { BatchNorm2d } from './batch_norm.js';
import { positiveInt } from './checks.js';
import { Conv2d } from './conv2d.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Sequential } from './sequential.js';

export interface ResidualOptions {
  /**
   * The shortcut for when f changes the shape: y = f(x) + projection(x). Usually a Linear (vectors)
   * or a 1×1 convolution with stride plus BatchNorm (images): see `linearProjection` and
   * `convProjection`. Default: none (identity shortcut; f(x) must have x's shape).
   */
  projection?: Module | null;
}

/**
 * A residual connection (He et al. 2016, "Deep Residual Learning for Image Recognition",
 * arXiv:1512.03385): y = f(x) + x, or y = f(x) + P(x) with a projection shortcut P when f changes the
 * shape. The identity path lets gradients reach early layers undiminished: ∂y/∂x = ∂f/∂x + I.
 * Children: `fn` (f) and, if given, `projection` (P); the sum is not followed by an activation
 * (wrap it in a Sequential with one, or use `BasicBlock`).
 *
 * @example
 * const block = new Residual(new Sequential(new Linear(16, 16), new ReLU(), new Linear(16, 16)));
 * block.call(randn([4, 16])).shape; // [4, 16]
 * const wider = new Residual(new Linear(16, 32), { projection: linearProjection(16, 32) });
 */
export class Residual extends Module {
  readonly fn: Module;
  readonly projection: Module | null;

  constructor(fn: Module, options: ResidualOptions = {}) {
    super();
    checkOptions('Residual', options, { projection: true });
    this.fn = this.registerModule('fn', fn);
    this.projection = this.registerModule('projection', options.projection ?? null);
  }

  forward(x: Tensor): Tensor {
    const fx = this.fn.call(x);
    const shortcut = this.projection === null ? x : this.projection.call(x);
    if (!shapesEqual(fx.shape, shortcut.shape)) {
      throw new RangeError(
        this.projection === null
          ? `Residual: f(x) has shape ${formatShape(fx.shape)} but x has shape ${formatShape(x.shape)}; pass { projection } (e.g. linearProjection or convProjection) to map x to f(x)'s shape`
          : `Residual: f(x) has shape ${formatShape(fx.shape)} but the projection gives ${formatShape(shortcut.shape)}`,
      );
    }
    return add(fx, shortcut);
  }
}

/** A projection shortcut for vectors: a Linear map inFeatures → outFeatures without bias (y = x Wᵀ). */
export function linearProjection(inFeatures: number, outFeatures: number): Linear {
  return new Linear(inFeatures, outFeatures, { bias: false });
}

export interface ConvProjectionOptions {
  /** Stride of the 1×1 convolution, matching the block's downsampling (default 1). */
  stride?: number;
  /** Follow the convolution with BatchNorm2d (default true, as ResNet's option B). */
  batchNorm?: boolean;
}

/**
 * ResNet's projection shortcut ("option B"): a 1×1 convolution with stride and no bias, then
 * BatchNorm2d — a Sequential named like torchvision's `downsample` (`0.weight`, `1.running_mean`).
 */
export function convProjection(
  inChannels: number,
  outChannels: number,
  options: ConvProjectionOptions = {},
): Sequential {
  const stride = positiveInt('convProjection', 'stride', options.stride ?? 1);
  const conv = new Conv2d(inChannels, outChannels, 1, { stride, bias: false });
  return options.batchNorm === false
    ? new Sequential(conv)
    : new Sequential(conv, new BatchNorm2d(outChannels));
}
