import { add, mul, rsqrt, square, sub } from '../ops/elementwise.js';
import { mean } from '../ops/reduce.js';
import { ones, zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { nonNegativeNumber, positiveInt } from './checks.js';
import { Module } from './module.js';

export interface LayerNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale γ (`weight`, init 1) and shift β (`bias`, init 0) (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalization (Ba, Kiros & Hinton 2016, "Layer Normalization", arXiv:1607.06450;
 * torch.nn.LayerNorm): each sample is normalized over its last dimensions, those of
 * `normalizedShape`:
 *
 *   y = (x − E[x]) / √(Var[x] + eps) · γ + β,
 *
 * with E and the biased Var over the last len(normalizedShape) dimensions, and γ, β of shape
 * `normalizedShape`. The same computation in training and evaluation (no running statistics).
 * Defaults: eps 1e-5, elementwiseAffine true.
 *
 * @example
 * const ln = new LayerNorm(64);
 * ln.call(randn([8, 10, 64])).shape; // [8, 10, 64]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', options, { eps: true, elementwiseAffine: true });
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0)
      throw new RangeError('LayerNorm: normalizedShape must have at least one dimension');
    for (const d of shape) positiveInt('LayerNorm', 'each entry of normalizedShape', d);
    this.normalizedShape = Object.freeze(shape);
    this.eps = nonNegativeNumber('LayerNorm', 'eps', options.eps ?? 1e-5);
    const affine = options.elementwiseAffine ?? true;
    this.weight = this.registerParameter('weight', affine ? ones(shape) : null);
    this.bias = this.registerParameter('bias', affine ? zeros(shape) : null);
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.ndim - k);
    if (x.ndim < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new RangeError(
        `LayerNorm: the input's last dimensions must be normalizedShape ${formatShape(this.normalizedShape)}, got input of shape ${formatShape(x.shape)}`,
      );
    }
    const axes = tail.map((_, i) => x.ndim - k + i);
    const centered = sub(x, mean(x, axes, true));
    const normalized = mul(centered, rsqrt(add(mean(square(centered), axes, true), this.eps)));
    if (this.weight === null || this.bias === null) return normalized;
    return add(mul(normalized, this.weight), this.bias);
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
