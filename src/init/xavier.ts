/**
 * Glorot (Xavier) initialization: Glorot & Bengio 2010, "Understanding the difficulty of training
 * deep feedforward neural networks" (AISTATS).
 *
 * The course's derivation: with o_i = Σ_j w_ij x_j, independent zero-mean weights of variance σ² and
 * inputs of variance γ², Var[o_i] = N_in σ² γ². Keeping the forward variance asks N_in σ² = 1, keeping
 * the backward (gradient) variance asks N_out σ² = 1; the compromise ½(N_in + N_out)σ² = 1 gives
 *
 *     Var[W] = 2 / (N_in + N_out)          (N_in = fanIn, N_out = fanOut)
 *
 * It assumes a nearly linear activation around 0 (tanh, sigmoid, linear); it does not suit ReLU,
 * which zeroes half its inputs (use Kaiming/He there).
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { fans } from './fan.js';
import { fillWith, generatorOf, type InitOptions, requireFinite, requireFloatTensor } from './fill.js';

export interface XavierOptions extends InitOptions {
  /** Multiplies the standard deviation (see `calculateGain`); default 1. */
  gain?: number;
}

/** std = gain·√(2 / (fanIn + fanOut)) for Xavier initialization of `t`. */
export function xavierStd(op: string, t: Tensor, gain: number): number {
  const [fanIn, fanOut] = fans(op, t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

/**
 * Fills `t` in place with U(−bound, bound), bound = gain·√(6 / (fanIn + fanOut)), so that
 * Var = gain²·2 / (fanIn + fanOut) (Glorot & Bengio 2010). Default gain 1. Suits tanh, sigmoid and
 * linear layers. Returns `t`.
 *
 * @example
 * xavierUniform_(linear.weight, { gain: calculateGain('tanh') });
 *
 * Divergence from PyTorch: descent's own seeded stream.
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  checkOptions('xavierUniform_', options, { gain: true, generator: true });
  requireFloatTensor('xavierUniform_', t);
  const gain = requireFinite('xavierUniform_', 'gain', options.gain ?? 1);
  const bound = Math.sqrt(3) * xavierStd('xavierUniform_', t, gain);
  const g = generatorOf(options);
  return fillWith(t, () => (2 * g.uniform24() - 1) * bound);
}

/**
 * Fills `t` in place with N(0, std²), std = gain·√(2 / (fanIn + fanOut)) (Glorot & Bengio 2010).
 * Default gain 1. Suits tanh, sigmoid and linear layers; this is the course's 'xavier' scheme.
 * Returns `t`.
 *
 * @example
 * xavierNormal_(conv.weight);
 *
 * Divergence from PyTorch: descent's own seeded stream.
 */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  checkOptions('xavierNormal_', options, { gain: true, generator: true });
  requireFloatTensor('xavierNormal_', t);
  const gain = requireFinite('xavierNormal_', 'gain', options.gain ?? 1);
  const std = xavierStd('xavierNormal_', t, gain);
  const g = generatorOf(options);
  return fillWith(t, () => std * g.normal());
}
