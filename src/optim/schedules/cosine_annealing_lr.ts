/**
 * CosineAnnealingLR: anneals the learning rate from its base value to `etaMin` along half a cosine
 * over `tMax` steps (the annealing of SGDR, without the restarts).
 *
 *   closed form:  η_t = η_min + (η_max − η_min) · (1 + cos(π·t / T_max)) / 2
 *   computed as:  η_t = (1 + cos(π·t/T_max)) / (1 + cos(π·(t−1)/T_max)) · (η_{t−1} − η_min) + η_min,
 *                 except when (t − 1 − T_max) mod 2T_max = 0, where
 *                 η_t = η_{t−1} + (η_max − η_min) · (1 − cos(π/T_max)) / 2
 *
 * Symbols: η_max = the group's base lr, η_min = `etaMin` (default 0), T_max = `tMax` (required),
 * t = steps taken. Paper: Loshchilov & Hutter 2016, "SGDR: Stochastic Gradient Descent with Warm
 * Restarts", arXiv:1608.03983.
 *
 * Values equal PyTorch 1.13's `CosineAnnealingLR`, which uses the recursive form above: it drifts from
 * the closed form by a few ulps. As in PyTorch the schedule is not clamped at `tMax`: past it the lr
 * climbs back towards the base lr (period 2·tMax). For restarts use `CosineAnnealingWarmRestarts`.
 *
 * @example
 * // 100 epochs, lr from 0.1 down to 1e-4
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-4 });
 * // per batch instead: tMax = epochs · batchesPerEpoch, and step() after every opt.step()
 *
 * Resumed with `lastEpoch: k > 0`, the constructor's step uses the closed form at k + 1 (PyTorch's
 * `_step_count == 1` branch), since the recursive form needs the previous lr.
 *
 * Divergence from PyTorch: `tMax` must be a positive integer and `etaMin` a non-negative number.
 */
import { checkOptions } from '../../util/options.js';
import { nonNegative, positiveInt } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface CosineAnnealingLROptions {
  /** Steps from the base lr down to `etaMin` (half a period). Required. */
  tMax: number;
  /** The lowest lr. Default 0. */
  etaMin?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class CosineAnnealingLR extends LrScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    checkOptions('CosineAnnealingLR', options, { tMax: true, etaMin: true, lastEpoch: true });
    const tMax = positiveInt('CosineAnnealingLR', 'tMax', options?.tMax);
    const etaMin = nonNegative('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0);
    super(optimizer, 'CosineAnnealingLR', options.lastEpoch);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const t = this.lastEpoch;
    const T = this.tMax;
    const etaMin = this.etaMin;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    if ((t - 1 - T) % (2 * T) === 0) {
      // At the trough 1 + cos(π(t−1)/T) = 0: the ratio below would divide by zero.
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax);
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * c) / 2);
  }
}
