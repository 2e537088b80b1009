/**
 * FixedLR: the constant schedule. It never changes the learning rate; `step()` only counts.
 *
 *   lr_t = lr_{t−1} = … = the group's lr when the scheduler was made
 *
 * Useful where a scheduler is expected but none is wanted (a trainer option, a CLI default) and as the
 * schedule after a warmup: `withWarmup(new FixedLR(opt), { warmupSteps: 500 })` is linear warmup to
 * the base lr, then constant (Goyal et al. 2017, arXiv:1706.02677).
 *
 * @example
 * const sched = new FixedLR(opt);   // lr stays 0.1
 *
 * PyTorch has no class of its own for this; `ConstantLR(opt, { factor: 1 })` gives the same values.
 */
import { checkOptions } from '../../util/options.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface FixedLROptions {
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class FixedLR extends LrScheduler {
  constructor(optimizer: SchedulableOptimizer, options: FixedLROptions = {}) {
    checkOptions('FixedLR', options, { lastEpoch: true });
    super(optimizer, 'FixedLR', options.lastEpoch);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.slice();
  }
}
