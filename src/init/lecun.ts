/**
 * LeCun initialization: LeCun, Bottou, Orr & Müller 1998, "Efficient BackProp" (Neural Networks:
 * Tricks of the Trade): weights of variance 1 / fanIn keep unit-variance inputs at unit variance
 * through a linear map,
 *
 *     Var[W] = 1 / fanIn
 *
 * It is Kaiming with gain 1 (`kaimingNormal_(t, { nonlinearity: 'linear' })`) and the initialization
 * SELU's self-normalizing property assumes (Klambauer et al. 2017, arXiv:1706.02515). Suits linear,
 * tanh (approximately) and SELU layers.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { fans } from './fan.js';
import { fillWith, generatorOf, type InitOptions, requireFloatTensor } from './fill.js';

/**
 * Fills `t` in place with N(0, 1 / fanIn) (LeCun et al. 1998). Returns `t`.
 *
 * @example
 * lecunNormal_(linear.weight); // [10, 100]: std = 0.1
 *
 * Divergence: PyTorch has no lecun_normal_; Keras and JAX draw it from a truncated normal (scaled so
 * that the variance is still 1 / fanIn), descent from the plain normal.
 */
export function lecunNormal_(t: Tensor, options: InitOptions = {}): Tensor {
  checkOptions('lecunNormal_', options, { generator: true });
  requireFloatTensor('lecunNormal_', t);
  if (t.size === 0) return t;
  const std = 1 / Math.sqrt(fans('lecunNormal_', t)[0]);
  const g = generatorOf(options);
  return fillWith(t, () => std * g.normal());
}

/**
 * Fills `t` in place with U(−√(3 / fanIn), √(3 / fanIn)), so Var = 1 / fanIn (LeCun et al. 1998).
 * Returns `t`.
 *
 * @example
 * lecunUniform_(linear.weight);
 *
 * Divergence: not in torch.nn.init (Keras's lecun_uniform is the same formula); descent's own stream.
 */
export function lecunUniform_(t: Tensor, options: InitOptions = {}): Tensor {
  checkOptions('lecunUniform_', options, { generator: true });
  requireFloatTensor('lecunUniform_', t);
  if (t.size === 0) return t;
  const bound = Math.sqrt(3 / fans('lecunUniform_', t)[0]);
  const g = generatorOf(options);
  return fillWith(t, () => (2 * g.uniform24() - 1) * bound);
}
