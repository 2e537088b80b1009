/**
 * ExponentialLR: multiplies the learning rate by γ at every step.
 *
 *   lr_t = lr_{t−1} · γ  (t ≥ 1),   so lr_t = baseLr · γ^t when nothing else touches the lr.
 *
 * Symbols: γ = `gamma` (required; PyTorch has no default), t = steps taken (`lastEpoch`). Values equal
 * PyTorch 1.13's `ExponentialLR` (the repeated product, not `γ ** t`). A γ above 1 makes the
 * exponentially growing sweep of a learning-rate range test.
 *
 * @example
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });   // lr 0.1, 0.095, 0.09025, …
 *
 * Divergence from PyTorch: `gamma` must be a positive finite number.
 */
import { checkOptions } from '../../util/options.js';
import { positive } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface ExponentialLROptions {
  /** Multiplicative factor applied at every step. Required. */
  gamma: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class ExponentialLR extends LrScheduler {
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    checkOptions('ExponentialLR', options, { gamma: true, lastEpoch: true });
    const gamma = positive('ExponentialLR', 'gamma', options?.gamma);
    super(optimizer, 'ExponentialLR', options.lastEpoch);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
