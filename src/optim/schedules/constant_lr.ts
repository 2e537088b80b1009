/**
 * ConstantLR: scales the learning rate by a constant factor for the first `totalIters` steps, then
 * restores it.
 *
 *   lr_0 = baseLr · f;   lr_t = lr_{t−1} / f at t = totalIters;   otherwise lr_t = lr_{t−1}
 *
 * i.e. lr_t = baseLr · f for t < totalIters and baseLr from then on. Symbols: f = `factor`
 * (default 1/3), `totalIters` (default 5). Values equal PyTorch 1.13's `ConstantLR`, which multiplies
 * by `1 / f` (not divides by f) at `totalIters`. With `factor: 1` nothing changes: see also `FixedLR`.
 *
 * @example
 * // lr 0.025 for steps 0–3, then 0.05
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 *
 * Divergences from PyTorch: `factor` must be in (0, 1] (PyTorch accepts 0 and then divides by zero at
 * `totalIters`); `totalIters` must be a positive integer (with 0, PyTorch applies the factor forever).
 */
import { checkOptions } from '../../util/options.js';
import { inRange, positiveInt } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface ConstantLROptions {
  /** The factor applied until `totalIters`. Default 1/3. */
  factor?: number;
  /** Steps with the reduced lr. Default 5. */
  totalIters?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class ConstantLR extends LrScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    checkOptions('ConstantLR', options, { factor: true, totalIters: true, lastEpoch: true });
    const factor = inRange('ConstantLR', 'factor', options.factor ?? 1 / 3, 0, 1, { openLo: true });
    const totalIters = positiveInt('ConstantLR', 'totalIters', options.totalIters ?? 5);
    super(optimizer, 'ConstantLR', options.lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const after = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + after * (1 - this.factor)));
  }
}
