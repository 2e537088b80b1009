import { demon } from '../alias.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import { boolean, describe, nonNegative, unitInterval } from './validate.js';

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

/**
 * Demon, SGD with decaying momentum (Chen et al. 2022, arXiv:1910.04952):
 * β_t = β·(1 − t/T) / ((1 − β) + β(1 − t/T));  b ← β_t·b + g;  θ ← θ − η·b. Not in PyTorch.
 */
export class Demon extends Optimizer<DemonOptions> {
  constructor(
    params: ParamsArg<DemonOptions>,
    options: Partial<DemonOptions> & { lr: number; totalSteps: number },
  ) {
    if (options?.lr === undefined || options.totalSteps === undefined) {
      throw new TypeError(
        'Demon: lr and totalSteps are required, e.g. new Demon(params, { lr: 0.01, totalSteps: 1000 })',
      );
    }
    super(
      'Demon',
      params,
      {
        lr: options.lr,
        momentum: options.momentum ?? 0.9,
        totalSteps: options.totalSteps,
        weightDecay: options.weightDecay ?? 0,
        maximize: options.maximize ?? false,
      },
      options,
    );
  }
  protected validate(o: DemonOptions): void {
    nonNegative('Demon', 'lr', o.lr);
    unitInterval('Demon', 'momentum', o.momentum);
    if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) {
      throw new RangeError(`Demon: totalSteps must be a positive integer, got ${describe(o.totalSteps)}`);
    }
    nonNegative('Demon', 'weightDecay', o.weightDecay);
    boolean('Demon', 'maximize', o.maximize);
  }
  protected buildChain(g: ParamGroup<DemonOptions>) {
    return demon({
      lr: () => g.lr,
      momentum: () => g.momentum,
      totalSteps: () => g.totalSteps,
      weightDecay: () => g.weightDecay,
      maximize: () => g.maximize,
    });
  }
}
