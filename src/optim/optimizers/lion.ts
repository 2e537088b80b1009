import { lion } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { betasPair, boolean, nonNegative } from './validate.js';

export interface LionOptions {
  /** η. Default 1e-4 (3–10× below AdamW's, since every coordinate moves by η). */
  lr: number;
  /** (β₁, β₂). Default [0.9, 0.99]. */
  betas: readonly [number, number];
  /** Decoupled weight decay λ. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

const LION: OptimizerSpec<LionOptions> = {
  name: 'Lion',
  checks: { lr: nonNegative, betas: betasPair, weightDecay: nonNegative, maximize: boolean },
  defaults: { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false },
  chain: (h) => lion(h),
};

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", arXiv:2302.06675):
 * c = β₁m + (1 − β₁)g;  θ ← θ − η(sign(c) + λθ);  m ← β₂m + (1 − β₂)g. Not in PyTorch.
 */
export class Lion extends Optimizer<LionOptions> {
  constructor(params: ParamsArg<LionOptions>, options: Partial<LionOptions> = {}) {
    super(LION, params, options);
  }
}
