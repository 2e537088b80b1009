import { aggmo } from '../alias.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import { boolean, describe, nonNegative, unitInterval } from './validate.js';

export interface AggmoOptions {
  /** γ. Default 0.1. */
  lr: number;
  /** The damping coefficients β⁽ⁱ⁾. Default [0, 0.9, 0.99]. */
  betas: readonly number[];
  /** Coupled L2. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

/**
 * Aggregated momentum (Lucas et al. 2019, arXiv:1804.00325): K velocities with different damping,
 * v⁽ⁱ⁾ ← β⁽ⁱ⁾v⁽ⁱ⁾ − g, averaged: θ ← θ + (γ/K)Σᵢ v⁽ⁱ⁾. The fast velocities damp the oscillations
 * that a single large β causes. Not in PyTorch.
 */
export class AggMo extends Optimizer<AggmoOptions> {
  constructor(params: ParamsArg<AggmoOptions>, options: Partial<AggmoOptions> = {}) {
    super(
      'AggMo',
      params,
      {
        lr: options.lr ?? 0.1,
        betas: options.betas ?? [0, 0.9, 0.99],
        weightDecay: options.weightDecay ?? 0,
        maximize: options.maximize ?? false,
      },
      options,
    );
  }
  protected validate(o: AggmoOptions): void {
    nonNegative('AggMo', 'lr', o.lr);
    if (!Array.isArray(o.betas) || o.betas.length === 0) {
      throw new RangeError(
        `AggMo: betas must be a non-empty list of numbers in [0, 1), got ${describe(o.betas)}`,
      );
    }
    for (const [i, b] of o.betas.entries()) unitInterval('AggMo', `betas[${i}]`, b);
    nonNegative('AggMo', 'weightDecay', o.weightDecay);
    boolean('AggMo', 'maximize', o.maximize);
  }
  protected buildChain(g: ParamGroup<AggmoOptions>) {
    return aggmo({
      lr: () => g.lr,
      betas: () => g.betas,
      weightDecay: () => g.weightDecay,
      maximize: () => g.maximize,
    });
  }
}
