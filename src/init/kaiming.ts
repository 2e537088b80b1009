/**
 * Kaiming (He) initialization: He, Zhang, Ren & Sun 2015, "Delving Deep into Rectifiers: Surpassing
 * Human-Level Performance on ImageNet Classification", arXiv:1502.01852.
 *
 * A ReLU zeroes half of its inputs, halving the second moment that reaches the next layer, so keeping
 * the variance through a ReLU layer asks fan·Var[W] = 2. With a general nonlinearity's gain:
 *
 *     std = gain / √fan,   fan = fanIn (mode 'fanIn', preserves forward activations)
 *                              or fanOut (mode 'fanOut', preserves backward gradients)
 *
 * so for ReLU (gain √2) and mode 'fanIn': Var[W] = 2 / fanIn. The course's "He" formula
 * 4 / (fanIn + fanOut) is the symmetric variant (see `heCourseNormal_`).
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { type FanMode, selectFan } from './fan.js';
import { fillWith, generatorOf, type InitOptions, requireFinite, requireFloatTensor } from './fill.js';
import { calculateGain, type Nonlinearity } from './gain.js';

export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU that follows (used when nonlinearity is 'leakyRelu'); default 0. */
  a?: number;
  /** 'fanIn' (default) keeps the forward variance, 'fanOut' the backward one. */
  mode?: FanMode;
  /** The activation after this layer; default 'leakyRelu' (with a = 0 that is ReLU's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

/** std = gain(nonlinearity, a) / √fan, the scale shared by both Kaiming initializers. */
export function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const a = requireFinite(op, 'a', options.a ?? 0);
  const fan = selectFan(op, t, options.mode ?? 'fanIn');
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', a);
  return gain / Math.sqrt(fan);
}

/**
 * Fills `t` in place with U(−bound, bound), bound = gain·√(3 / fan) (He et al. 2015), so that
 * Var = gain² / fan; for ReLU and 'fanIn', Var = 2 / fanIn. Defaults: a = 0, mode 'fanIn',
 * nonlinearity 'leakyRelu'. Suits ReLU-family activations. Returns `t`.
 *
 * PyTorch's default for Linear and Conv2d weights is this with a = √5 (bound = 1/√fanIn).
 *
 * @example
 * kaimingUniform_(conv.weight, { mode: 'fanOut', nonlinearity: 'relu' });
 *
 * Divergence from PyTorch: camelCase names (mode 'fanIn', nonlinearity 'leakyRelu') and descent's own
 * seeded stream; a zero-element tensor is returned unchanged without PyTorch's warning.
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions('kaimingUniform_', options, { a: true, mode: true, nonlinearity: true, generator: true });
  requireFloatTensor('kaimingUniform_', t);
  if (t.size === 0) return t;
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  const g = generatorOf(options);
  return fillWith(t, () => (2 * g.uniform24() - 1) * bound);
}

/**
 * Fills `t` in place with N(0, std²), std = gain / √fan (He et al. 2015); for ReLU and 'fanIn',
 * Var = 2 / fanIn. Defaults: a = 0, mode 'fanIn', nonlinearity 'leakyRelu'. Suits ReLU-family
 * activations. Returns `t`.
 *
 * @example
 * kaimingNormal_(linear.weight, { nonlinearity: 'relu' });
 *
 * Divergence from PyTorch: as for `kaimingUniform_`.
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions('kaimingNormal_', options, { a: true, mode: true, nonlinearity: true, generator: true });
  requireFloatTensor('kaimingNormal_', t);
  if (t.size === 0) return t;
  const std = kaimingStd('kaimingNormal_', t, options);
  const g = generatorOf(options);
  return fillWith(t, () => std * g.normal());
}
