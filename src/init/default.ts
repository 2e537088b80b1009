/**
 * PyTorch's default initialization of Linear and Conv layers (their `reset_parameters`), descent's
 * documented default too:
 *
 *     W ~ U(−1/√fanIn, 1/√fanIn)   (kaimingUniform_ with a = √5: gain √(2/6) = √(1/3), bound = gain·√(3/fanIn))
 *     b ~ U(−1/√fanIn, 1/√fanIn)
 *
 * i.e. Var[W] = 1 / (3·fanIn), a third of LeCun's variance. PyTorch keeps it for backward
 * compatibility (it comes from Lua Torch); it trains fine with BatchNorm or Adam but shrinks
 * activations through deep plain ReLU stacks — the course's initialization experiment shows why
 * 'he' is preferred there.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { uniform_ } from './basic.js';
import { fans } from './fan.js';
import { generatorOf, type InitOptions, requireFloatTensor } from './fill.js';
import { kaimingUniform_ } from './kaiming.js';

/**
 * Initializes a Linear/Conv `weight` (and its `bias`, if given) in place as PyTorch's layers do by
 * default: weight by `kaimingUniform_(weight, { a: √5 })`, bias from U(±1/√fanIn). Returns `weight`.
 *
 * @example
 * torchDefaultInit_(linear.weight, linear.bias);
 *
 * Divergence from PyTorch: the same distributions from descent's own seeded stream.
 */
export function torchDefaultInit_(weight: Tensor, bias?: Tensor | null, options: InitOptions = {}): Tensor {
  checkOptions('torchDefaultInit_', options, { generator: true });
  requireFloatTensor('torchDefaultInit_', weight);
  kaimingUniform_(weight, { a: Math.sqrt(5), generator: generatorOf(options) });
  if (bias) torchDefaultBias_(bias, weight, options);
  return weight;
}

/**
 * @internal PyTorch's default bias alone: U(−1/√fanIn, 1/√fanIn) with fanIn from `weight` (0 → zeros).
 */
export function torchDefaultBias_(bias: Tensor, weight: Tensor, options: InitOptions = {}): Tensor {
  checkOptions('torchDefaultBias_', options, { generator: true });
  const fanIn = fans('torchDefaultInit_', weight)[0];
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform_(bias, -bound, bound, { generator: generatorOf(options) });
}
