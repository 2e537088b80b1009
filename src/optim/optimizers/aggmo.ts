import { aggmo } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { boolean, nonNegative, unitIntervalList } from './validate.js';

export interface AggmoOptions {
  /** γ. Default 0.1. */
  lr: number;
  /** The damping coefficients β⁽ⁱ⁾. Default [0, 0.9, 0.99]. */
  betas: readonly number[];
  /** Coupled L2. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

const AGGMO: OptimizerSpec<AggmoOptions> = {
  name: 'AggMo',
  checks: { lr: nonNegative, betas: unitIntervalList, weightDecay: nonNegative, maximize: boolean },
  defaults: { lr: 0.1, betas: [0, 0.9, 0.99], weightDecay: 0, maximize: false },
  chain: (h) => aggmo(h),
};

/**
 * Aggregated momentum (Lucas et al. 2019, arXiv:1804.00325): K velocities with different damping,
 * v⁽ⁱ⁾ ← β⁽ⁱ⁾v⁽ⁱ⁾ − g, averaged: θ ← θ + (γ/K)Σᵢ v⁽ⁱ⁾. The fast velocities damp the oscillations
 * that a single large β causes. Not in PyTorch.
 */
export class AggMo extends Optimizer<AggmoOptions> {
  constructor(params: ParamsArg<AggmoOptions>, options: Partial<AggmoOptions> = {}) {
    super(AGGMO, params, options);
  }
}
