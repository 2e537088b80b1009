import { rmsprop } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { boolean, nonNegative } from './validate.js';

export interface RmspropOptions {
  /** η. Default 1e-2. */
  lr: number;
  /** α, the decay of the squared-gradient average (the course's ρ). Default 0.99. */
  alpha: number;
  /** Default 1e-8. */
  eps: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  /** Default 0. */
  momentum: number;
  /** Default false. */
  centered: boolean;
  maximize: boolean;
  /** √(s + ε) as the course writes it. Default false (PyTorch: √s + ε). */
  epsInsideSqrt: boolean;
}

const RMSPROP: OptimizerSpec<RmspropOptions> = {
  name: 'RMSprop',
  checks: {
    lr: nonNegative,
    alpha: nonNegative,
    eps: nonNegative,
    weightDecay: nonNegative,
    momentum: nonNegative,
    centered: boolean,
    maximize: boolean,
    epsInsideSqrt: boolean,
  },
  defaults: {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
    epsInsideSqrt: false,
  },
  chain: (h) => rmsprop(h),
};

/**
 * RMSprop (Hinton 2012, Neural Networks for Machine Learning, lecture 6e), as torch.optim.RMSprop:
 *
 *   g ← ∇θ + λθ;  s ← αs + (1 − α)g²;  (centered: a ← αa + (1 − α)g, s̃ = s − a²);
 *   d = √s̃ + ε;  b ← ρb + g/d (momentum ρ), θ ← θ − η·b;  without momentum θ ← θ − η·g/d.
 *
 * The course writes s ← ρs + (1 − ρ)g², θ ← θ − η/√(s + ε) ⊙ g (`epsInsideSqrt: true`).
 *
 * Each step runs as one fused kernel per parameter where the backend has it (one pass over memory
 * instead of about ten tensor ops), bit-identical to the chain `rmsprop()` of alias.ts.
 */
export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: ParamsArg<RmspropOptions>, options: Partial<RmspropOptions> = {}) {
    super(RMSPROP, params, options);
  }
}
