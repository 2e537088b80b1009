/**
 * MultiStepLR: multiplies the learning rate by γ at each milestone.
 *
 *   lr_t = lr_{t−1} · γ^c(t),   c(t) = how many times t appears in `milestones`
 *
 * so, with nothing else touching the lr, lr_t = baseLr · γ^(number of milestones ≤ t). Symbols:
 * γ = `gamma` (default 0.1), t = steps taken (`lastEpoch`).
 *
 * Values equal PyTorch 1.13's `MultiStepLR`. As there (a `Counter`), a milestone listed twice
 * multiplies by γ² at that step, and the order of the list does not matter.
 *
 * @example
 * // lr 0.05 for epochs 0–29, 0.005 for 30–79, 0.0005 from 80
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 *
 * Divergence from PyTorch: milestones must be non-negative integers (PyTorch accepts anything and a
 * fractional milestone silently never fires); `gamma` must be a positive finite number.
 */
import { checkOptions } from '../../util/options.js';
import { describe, nonNegativeInt, positive } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface MultiStepLROptions {
  /** The steps at which the lr is multiplied by gamma. Required (may be empty). */
  milestones: readonly number[];
  /** Multiplicative factor of each decay. Default 0.1. */
  gamma?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class MultiStepLR extends LrScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;
  private readonly counts = new Map<number, number>();

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    checkOptions('MultiStepLR', options, { milestones: true, gamma: true, lastEpoch: true });
    const milestones = options?.milestones;
    if (!Array.isArray(milestones)) {
      throw new TypeError(
        `MultiStepLR: milestones must be an array of non-negative integers, got ${describe(milestones)}`,
      );
    }
    milestones.forEach((m, i) => {
      nonNegativeInt('MultiStepLR', `milestones[${i}]`, m);
    });
    const gamma = positive('MultiStepLR', 'gamma', options.gamma ?? 0.1);
    super(optimizer, 'MultiStepLR', options.lastEpoch);
    this.milestones = milestones.slice().sort((a, b) => a - b);
    for (const m of this.milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.counts.get(this.lastEpoch);
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    // bisect_right: how many milestones are ≤ lastEpoch.
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
