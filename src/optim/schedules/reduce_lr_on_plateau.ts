/**
 * ReduceLROnPlateau: multiplies the learning rate by `factor` when a monitored metric has stopped
 * improving for more than `patience` steps.
 *
 * At every `step(metric)`:
 *   better = metric < best·(1 − threshold)   ('min', 'rel')    metric < best − threshold   ('min', 'abs')
 *            metric > best·(1 + threshold)   ('max', 'rel')    metric > best + threshold   ('max', 'abs')
 *   if better: best ← metric, numBadEpochs ← 0; else numBadEpochs += 1
 *   if cooldownCounter > 0: cooldownCounter −= 1, numBadEpochs ← 0    (bad steps in cooldown are ignored)
 *   if numBadEpochs > patience: for each group, lr' = max(lr·factor, minLr), applied only if
 *      lr − lr' > eps; then cooldownCounter ← cooldown, numBadEpochs ← 0
 *
 * best starts at +∞ ('min') or −∞ ('max'). Defaults: mode 'min', factor 0.1, patience 10,
 * threshold 1e-4, thresholdMode 'rel', cooldown 0, minLr 0 (one number or one per group), eps 1e-8.
 * With patience 2 the lr is cut on the 3rd step in a row without improvement. Values equal PyTorch
 * 1.13's `ReduceLROnPlateau`; as there, the constructor changes nothing, a NaN metric counts as a bad
 * step, and the counters reset after a reduction even when `eps` blocked it.
 *
 * It is not an `LrScheduler` (its step needs the metric), so it cannot be part of a `SequentialLR`.
 * Call it once per evaluation, usually per epoch with the validation loss.
 *
 * @example
 * const sched = new ReduceLROnPlateau(opt, { mode: 'min', factor: 0.5, patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(validationLoss()); }
 *
 * Divergences from PyTorch: `factor` must be in [0, 1) and the counts non-negative integers (PyTorch
 * only checks factor < 1); `getLastLr()` works before the first step; the state keeps best = ±∞ as
 * `null` so that it survives JSON.
 */
import { checkOptions, type OptionKeys } from '../../util/options.js';
import { describe, inRange, nonNegative, nonNegativeInt, oneOf, perGroup } from './checks.js';
import { checkOptimizer, type SchedulableOptimizer, type SchedulerState } from './scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': it should rise (an accuracy). Default 'min'. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor. Default 0.1. */
  factor?: number;
  /** Steps without improvement tolerated before a reduction. Default 10. */
  patience?: number;
  /** How much better than the best a metric must be to count. Default 1e-4. */
  threshold?: number;
  /** 'rel': relative to best; 'abs': absolute. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps after a reduction during which bad steps are not counted. Default 0. */
  cooldown?: number;
  /** Lower bound of the lr, one number or one per group. Default 0. */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/** The accepted options (also `ReduceLROnPlateauCallback`'s, with its `monitor`). */
export const REDUCE_LR_ON_PLATEAU_KEYS: OptionKeys<ReduceLROnPlateauOptions> = {
  mode: true,
  factor: true,
  patience: true,
  threshold: true,
  thresholdMode: true,
  cooldown: true,
  minLr: true,
  eps: true,
};

export class ReduceLROnPlateau {
  readonly optimizer: SchedulableOptimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far (±∞ before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  /** Steps taken. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const who = 'ReduceLROnPlateau';
    checkOptions(who, options, REDUCE_LR_ON_PLATEAU_KEYS);
    this.optimizer = checkOptimizer(who, optimizer);
    this.mode = oneOf(who, 'mode', options.mode ?? 'min', ['min', 'max']);
    this.factor = inRange(who, 'factor', options.factor ?? 0.1, 0, 1, { openHi: true });
    this.patience = nonNegativeInt(who, 'patience', options.patience ?? 10);
    this.threshold = nonNegative(who, 'threshold', options.threshold ?? 1e-4);
    this.thresholdMode = oneOf(who, 'thresholdMode', options.thresholdMode ?? 'rel', ['rel', 'abs']);
    this.cooldown = nonNegativeInt(who, 'cooldown', options.cooldown ?? 0);
    this.minLrs = perGroup(who, 'minLr', options.minLr ?? 0, this.optimizer.paramGroups.length, nonNegative);
    this.eps = nonNegative(who, 'eps', options.eps ?? 1e-8);
    this.best = this.worst();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Records one value of the monitored metric (a number, or anything with `item()`, like a 0-d Tensor). */
  step(metric: number | { item(): number }): void {
    const current =
      typeof metric === 'object' && metric !== null && 'item' in metric ? metric.item() : metric;
    if (typeof current !== 'number') {
      throw new TypeError(`ReduceLROnPlateau.step: metric must be a number, got ${describe(metric)}`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  /** The lr of every group after the last step (before any step: the lr when it was made). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): SchedulerState {
    return {
      scheduler: 'ReduceLROnPlateau',
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLr.slice(),
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
    };
  }

  /** Restores the counters and the best metric (not the options) saved by `stateDict()`. */
  loadStateDict(state: SchedulerState): void {
    const who = 'ReduceLROnPlateau.loadStateDict';
    if (state === null || typeof state !== 'object' || state.scheduler !== 'ReduceLROnPlateau') {
      throw new TypeError(
        `${who}: this state was saved by ${describe(state?.scheduler ?? state)}, not ReduceLROnPlateau`,
      );
    }
    for (const key of ['lastEpoch', 'numBadEpochs', 'cooldownCounter'] as const) {
      if (typeof state[key] !== 'number') {
        throw new TypeError(`${who}: ${key} must be a number, got ${describe(state[key])}`);
      }
      // Counters: a tampered −3 or 1.5 would make the plateau logic wait forever or never.
      if (!Number.isInteger(state[key]) || (state[key] as number) < 0) {
        throw new RangeError(`${who}: ${key} must be a non-negative integer, got ${describe(state[key])}`);
      }
    }
    const best = state.best;
    if (best !== null && best !== undefined && typeof best !== 'number') {
      throw new TypeError(`${who}: best must be a number or null, got ${describe(best)}`);
    }
    const lastLr = state.lastLr;
    if (
      !Array.isArray(lastLr) ||
      lastLr.length !== this.optimizer.paramGroups.length ||
      lastLr.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)
    ) {
      throw new RangeError(
        `${who}: lastLr must be an array of ${this.optimizer.paramGroups.length} finite non-negative numbers (one per param group), got ${describe(lastLr)}`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    this.numBadEpochs = state.numBadEpochs as number;
    this.cooldownCounter = state.cooldownCounter as number;
    this.best = typeof best === 'number' ? best : this.worst();
    this.lastLr = lastLr.slice();
  }
}
