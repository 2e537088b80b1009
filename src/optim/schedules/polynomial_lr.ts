/**
 * PolynomialLR: decays the learning rate polynomially to zero over `totalIters` steps.
 *
 *   closed form:  lr_t = baseLr · (1 − min(t, T) / T)^p
 *   computed as:  lr_t = lr_{t−1} · ((1 − t/T) / (1 − (t − 1)/T))^p   for 1 ≤ t ≤ T, else unchanged
 *
 * Symbols: T = `totalIters` (default 5), p = `power` (default 1: linear decay), t = steps taken. Values
 * equal PyTorch 1.13's `PolynomialLR` (the recursive form above). The lr is 0 from step T on.
 *
 * @example
 * // lr 0.001, 0.00075, 0.0005, 0.00025, then 0
 * const sched = new PolynomialLR(opt, { totalIters: 4, power: 1 });
 *
 * Divergence from PyTorch: `totalIters` must be a positive integer and `power` a non-negative number
 * (a negative power divides by zero at step T in PyTorch).
 */
import { checkOptions } from '../../util/options.js';
import { nonNegative, positiveInt } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface PolynomialLROptions {
  /** Steps until the lr reaches 0. Default 5. */
  totalIters?: number;
  /** The power of the polynomial. Default 1. */
  power?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class PolynomialLR extends LrScheduler {
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: SchedulableOptimizer, options: PolynomialLROptions = {}) {
    checkOptions('PolynomialLR', options, { totalIters: true, power: true, lastEpoch: true });
    const totalIters = positiveInt('PolynomialLR', 'totalIters', options.totalIters ?? 5);
    const power = nonNegative('PolynomialLR', 'power', options.power ?? 1);
    super(optimizer, 'PolynomialLR', options.lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const t = this.lastEpoch;
    const T = this.totalIters;
    if (t === 0 || t > T) return groups.map((g) => g.lr);
    const decay = ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  protected override closedFormLr(): number[] {
    const T = this.totalIters;
    return this.baseLrs.map((b) => b * (1.0 - Math.min(T, this.lastEpoch) / T) ** this.power);
  }
}
