/**
 * LinearLR: scales the learning rate by a factor that moves linearly from `startFactor` to
 * `endFactor` over `totalIters` steps, then stays. This is PyTorch's linear warmup (or linear decay
 * when endFactor < startFactor).
 *
 *   closed form:  lr_t = baseLr · (s + (e − s) · min(t, T) / T)
 *   computed as:  lr_0 = baseLr · s;  lr_t = lr_{t−1} · (1 + (e − s) / (T·s + (t − 1)(e − s)))  for 1 ≤ t ≤ T
 *
 * Symbols: s = `startFactor` (default 1/3), e = `endFactor` (default 1), T = `totalIters` (default 5),
 * t = steps taken. Values equal PyTorch 1.13's `LinearLR`, which uses the recursive (chainable) form;
 * it differs from the closed form in the last bits. Gradual warmup: Goyal et al. 2017, "Accurate,
 * Large Minibatch SGD: Training ImageNet in 1 Hour", arXiv:1706.02677.
 *
 * @example
 * // warm up from 0.1·lr to lr over the first 10 steps
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 * // or, in front of any other schedule:
 * const sched = withWarmup(new CosineAnnealingLR(opt, { tMax: 90 }), { warmupSteps: 10, startFactor: 0.1 });
 *
 * Divergences from PyTorch: `startFactor` must be in (0, 1] (with 0 PyTorch divides by zero at the
 * first step); `totalIters` must be a positive integer.
 */
import { checkOptions } from '../../util/options.js';
import { inRange, positiveInt } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface LinearLROptions {
  /** The factor at step 0. Default 1/3. */
  startFactor?: number;
  /** The factor reached at `totalIters` and kept after. Default 1. */
  endFactor?: number;
  /** Steps over which the factor moves. Default 5. */
  totalIters?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class LinearLR extends LrScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    checkOptions('LinearLR', options, {
      startFactor: true,
      endFactor: true,
      totalIters: true,
      lastEpoch: true,
    });
    const startFactor = inRange('LinearLR', 'startFactor', options.startFactor ?? 1 / 3, 0, 1, {
      openLo: true,
    });
    const endFactor = inRange('LinearLR', 'endFactor', options.endFactor ?? 1, 0, 1);
    const totalIters = positiveInt('LinearLR', 'totalIters', options.totalIters ?? 5);
    super(optimizer, 'LinearLR', options.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const s = this.startFactor;
    const e = this.endFactor;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * s);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const ratio = 1 + (e - s) / (this.totalIters * s + (this.lastEpoch - 1) * (e - s));
    return groups.map((g) => g.lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const s = this.startFactor;
    const e = this.endFactor;
    const t = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((b) => b * (s + ((e - s) * t) / this.totalIters));
  }
}
