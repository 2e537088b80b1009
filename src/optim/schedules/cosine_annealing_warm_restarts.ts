/**
 * CosineAnnealingWarmRestarts: cosine annealing from the base lr to `etaMin`, restarted at the base lr
 * every T_i steps, the period growing by `tMult` after each restart (SGDR).
 *
 *   η_t = η_min + (η_max − η_min) · (1 + cos(π · T_cur / T_i)) / 2
 *
 * T_cur counts steps since the last restart; when it reaches T_i it wraps to 0 and T_i ← T_i · T_mult.
 * Symbols: η_max = the group's base lr, η_min = `etaMin` (default 0), T_0 = `t0` (the first period,
 * required), T_mult = `tMult` (default 1). Paper: Loshchilov & Hutter 2016, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", arXiv:1608.03983.
 *
 * Values equal PyTorch 1.13's `CosineAnnealingWarmRestarts` (closed form within each period). As
 * there, `step(epoch)` accepts a fractional epoch, so a per-epoch schedule can move per batch:
 * `sched.step(epoch + i / batchesPerEpoch)`.
 *
 * @example
 * // periods of 10, 20, 40 epochs
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2, etaMin: 1e-5 });
 *
 * Resumed with `lastEpoch: k`, T_cur starts at k and wraps at most once in the constructor's step, as
 * in PyTorch 1.13: once k + 1 reaches the second restart (t0 + t0·tMult) the resumed schedule is not
 * the uninterrupted one. Resume there with `loadStateDict` (which restores T_i and T_cur).
 *
 * Divergence from PyTorch: `etaMin` must be a non-negative number.
 */
import { checkOptions } from '../../util/options.js';
import { describe, nonNegative, positiveInt } from './checks.js';
import { LrScheduler, type SchedulableOptimizer, type SchedulerState } from './scheduler.js';

export interface CosineAnnealingWarmRestartsOptions {
  /** Steps in the first period. Required. */
  t0: number;
  /** Growth factor of the period after each restart, an integer ≥ 1. Default 1. */
  tMult?: number;
  /** The lowest lr. Default 0. */
  etaMin?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class CosineAnnealingWarmRestarts extends LrScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Length of the current period. */
  tI: number;
  /** Steps (possibly fractional) since the last restart. */
  tCur: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    const who = 'CosineAnnealingWarmRestarts';
    checkOptions(who, options, { t0: true, tMult: true, etaMin: true, lastEpoch: true });
    const t0 = positiveInt(who, 't0', options?.t0);
    const tMult = positiveInt(who, 'tMult', options.tMult ?? 1);
    const etaMin = nonNegative(who, 'etaMin', options.etaMin ?? 0);
    super(optimizer, who, options.lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    // PyTorch: T_cur = last_epoch, so a resumed schedule wraps only once in its first step.
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.tCur) / this.tI);
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * c) / 2);
  }

  /** One step, or (with `epoch`, possibly fractional) a jump to that point of the schedule. */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) {
        throw new RangeError(
          `${this.kind}.step: epoch must be a non-negative number, got ${describe(epoch)}`,
        );
      }
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = epoch % this.t0;
        } else {
          // Which period holds `epoch`: t0·(m^n − 1)/(m − 1) ≤ epoch.
          const n = Math.trunc(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.writeLrs(this.getLr());
  }

  override stateDict(): SchedulerState {
    return { ...super.stateDict(), tI: this.tI, tCur: this.tCur };
  }

  override loadStateDict(state: SchedulerState): void {
    super.loadStateDict(state);
    for (const key of ['tI', 'tCur'] as const) {
      if (typeof state[key] !== 'number') {
        throw new TypeError(
          `${this.kind}.loadStateDict: ${key} must be a number, got ${describe(state[key])}`,
        );
      }
    }
    this.tI = state.tI as number;
    this.tCur = state.tCur as number;
  }
}
