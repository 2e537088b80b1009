import { adadelta } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { boolean, closedUnitInterval, nonNegative } from './validate.js';

export interface AdadeltaOptions {
  /** A factor on the update. Default 1. */
  lr: number;
  /** ρ. Default 0.9. */
  rho: number;
  /** Default 1e-6. */
  eps: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

const ADADELTA: OptimizerSpec<AdadeltaOptions> = {
  name: 'Adadelta',
  checks: {
    lr: nonNegative,
    rho: closedUnitInterval,
    eps: nonNegative,
    weightDecay: nonNegative,
    maximize: boolean,
  },
  defaults: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
  chain: (h) => adadelta(h),
};

/**
 * AdaDelta (Zeiler 2012, arXiv:1212.5701), as torch.optim.Adadelta:
 *
 *   g ← ∇θ + λθ;  s ← ρs + (1 − ρ)g²;  Δ = √(a + ε)/√(s + ε) · g;  a ← ρa + (1 − ρ)Δ²;  θ ← θ − η·Δ.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsArg<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(ADADELTA, params, options);
  }
}
