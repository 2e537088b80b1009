import { demon } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { boolean, nonNegative, positiveInteger, unitInterval } from './validate.js';

export interface DemonOptions {
  /** η. Required. */
  lr: number;
  /** β_init. Default 0.9. */
  momentum: number;
  /** T, the step by which the momentum has decayed to 0. Required. */
  totalSteps: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

const DEMON: OptimizerSpec<DemonOptions> = {
  name: 'Demon',
  checks: {
    lr: nonNegative,
    momentum: unitInterval,
    totalSteps: positiveInteger,
    weightDecay: nonNegative,
    maximize: boolean,
  },
  defaults: { momentum: 0.9, weightDecay: 0, maximize: false },
  required: {
    options: ['lr', 'totalSteps'],
    message: 'lr and totalSteps are required, e.g. new Demon(params, { lr: 0.01, totalSteps: 1000 })',
  },
  chain: (h) => demon(h),
};

/**
 * Demon, SGD with decaying momentum (Chen et al. 2022, arXiv:1910.04952):
 * β_t = β·(1 − t/T) / ((1 − β) + β(1 − t/T));  b ← β_t·b + g;  θ ← θ − η·b. Not in PyTorch.
 */
export class Demon extends Optimizer<DemonOptions> {
  constructor(
    params: ParamsArg<DemonOptions>,
    options: Partial<DemonOptions> & { lr: number; totalSteps: number },
  ) {
    super(DEMON, params, options);
  }
}
