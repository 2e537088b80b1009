/**
 * The course's "He" initialization: the lecture takes Xavier's Var[W] = 2 / (N_in + N_out) and, since
 * in a ReLU network about half the units are active (the other half output 0), doubles it:
 *
 *     Var[W] = 4 / (fanIn + fanOut)
 *
 * Relation to Kaiming (He et al. 2015, arXiv:1502.01852): this is Xavier with ReLU's gain √2, i.e.
 * the harmonic-mean compromise between Kaiming's fanIn rule (Var = 2 / fanIn, which keeps forward
 * activations) and its fanOut rule (Var = 2 / fanOut, which keeps backward gradients). For square
 * weights (fanIn = fanOut) all three coincide; for others it sits between them. PyTorch has no such
 * initializer; `kaimingNormal_` is PyTorch's He.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { fillWith, generatorOf, type InitOptions, requireFloatTensor } from './fill.js';
import { xavierStd } from './xavier.js';

/**
 * Fills `t` in place with N(0, 4 / (fanIn + fanOut)), the course's He scheme ('he' in `initialize`).
 * Suits ReLU. Returns `t`.
 *
 * @example
 * heCourseNormal_(linear.weight); // [256, 784]: std = √(4 / 1040) ≈ 0.062
 *
 * Divergence from PyTorch: not in torch.nn.init (its He is `kaimingNormal_`); descent's own stream.
 */
export function heCourseNormal_(t: Tensor, options: InitOptions = {}): Tensor {
  checkOptions('heCourseNormal_', options, { generator: true });
  requireFloatTensor('heCourseNormal_', t);
  const std = xavierStd('heCourseNormal_', t, Math.SQRT2);
  const g = generatorOf(options);
  return fillWith(t, () => std * g.normal());
}

/**
 * Fills `t` in place with U(−bound, bound), bound = √(12 / (fanIn + fanOut)), so that
 * Var = 4 / (fanIn + fanOut) as in `heCourseNormal_` (the lecture allows Gaussian or uniform).
 * Suits ReLU. Returns `t`.
 *
 * @example
 * heCourseUniform_(conv.weight);
 *
 * Divergence from PyTorch: not in torch.nn.init; descent's own stream.
 */
export function heCourseUniform_(t: Tensor, options: InitOptions = {}): Tensor {
  checkOptions('heCourseUniform_', options, { generator: true });
  requireFloatTensor('heCourseUniform_', t);
  const bound = Math.sqrt(3) * xavierStd('heCourseUniform_', t, Math.SQRT2);
  const g = generatorOf(options);
  return fillWith(t, () => (2 * g.uniform24() - 1) * bound);
}
