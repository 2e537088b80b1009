/** The plain fills: constants and the uniform and normal distributions (torch.nn.init's basics). */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { fillWith, generatorOf, type InitOptions, requireFinite, requireFloatTensor } from './fill.js';

/**
 * Fills `t` in place with samples of U(a, b): a + (b − a)·u with u uniform in [0, 1) on a 24-bit grid,
 * rounded once to `t`'s dtype. Defaults a = 0, b = 1. Returns `t`.
 *
 * @example
 * uniform_(zeros([3, 4]), -0.1, 0.1);
 *
 * Divergence from PyTorch: the stream comes from descent's seeded generator (xoshiro128**), so the
 * same seed gives other numbers than torch; as in torch, rounding to float32 can produce b itself
 * when |a| and |b| differ greatly in magnitude.
 */
export function uniform_(t: Tensor, a = 0, b = 1, options?: InitOptions): Tensor {
  checkOptions('uniform_', options, { generator: true });
  requireFloatTensor('uniform_', t);
  requireFinite('uniform_', 'a', a);
  requireFinite('uniform_', 'b', b);
  if (a > b) throw new RangeError(`uniform_: expects a ≤ b, got a = ${a} > b = ${b}`);
  const g = generatorOf(options);
  const width = b - a;
  return fillWith(t, () => a + width * g.uniform24());
}

/**
 * Fills `t` in place with samples of N(mean, std²), from the polar method in float64 rounded once
 * to `t`'s dtype. Defaults mean = 0, std = 1. Returns `t`.
 *
 * @example
 * normal_(zeros([256, 128]), 0, 0.01); // the course's 'little-random' scheme
 *
 * Divergence from PyTorch: descent's own seeded stream (see `uniform_`).
 */
export function normal_(t: Tensor, mean = 0, std = 1, options?: InitOptions): Tensor {
  checkOptions('normal_', options, { generator: true });
  requireFloatTensor('normal_', t);
  requireFinite('normal_', 'mean', mean);
  requireFinite('normal_', 'std', std);
  if (std < 0) throw new RangeError(`normal_: std must be ≥ 0, got ${std}`);
  const g = generatorOf(options);
  return fillWith(t, () => mean + std * g.normal());
}

/** Fills `t` in place with `value` (torch.nn.init.constant_). Returns `t`. */
export function constant_(t: Tensor, value: number): Tensor {
  requireFloatTensor('constant_', t);
  if (typeof value !== 'number') requireFinite('constant_', 'value', value);
  if (t.size > 0) t.assign(value);
  return t;
}

/** Fills `t` in place with 0 (the course's choice for biases). Returns `t`. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` in place with 1 (BatchNorm's γ). Returns `t`. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}
