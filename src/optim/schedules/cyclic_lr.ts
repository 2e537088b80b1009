/**
 * CyclicLR: the learning rate goes back and forth between `baseLr` and `maxLr` (cyclical learning
 * rates), while momentum moves the opposite way between `maxMomentum` and `baseMomentum`. Meant to be
 * stepped after every batch.
 *
 * With S = stepSizeUp + stepSizeDown, r = stepSizeUp / S and t = steps taken:
 *
 *   cycle = ⌊1 + t / S⌋,   x = 1 + t / S − cycle                      (position in the cycle, [0, 1))
 *   h = x / r  if x ≤ r,  else (x − 1) / (r − 1)                        (rises 0 → 1, falls 1 → 0)
 *   lr_t       = baseLr + (maxLr − baseLr) · h · f(u)
 *   momentum_t = maxMomentum − (maxMomentum − baseMomentum) · h · f(u)
 *
 * Amplitude scaling f and its argument u (u = cycle in 'cycle' scale mode, u = t in 'iterations'):
 *   'triangular'  (default): f = 1, u = cycle
 *   'triangular2':           f(u) = 1 / 2^(u − 1), u = cycle      (the amplitude halves every cycle)
 *   'exp_range':             f(u) = γ^u, u = t                    (γ = `gamma`)
 *   `scaleFn` given:          f = scaleFn, u by `scaleMode` (default 'cycle'); `mode` is not used
 *
 * Defaults: stepSizeUp 2000, stepSizeDown = stepSizeUp, mode 'triangular', gamma 1, cycleMomentum true,
 * baseMomentum 0.8, maxMomentum 0.9; `baseLr` and `maxLr` are required (one number or one per group).
 * Paper: Smith 2015, "Cyclical Learning Rates for Training Neural Networks", arXiv:1506.01186.
 *
 * Values equal PyTorch 1.13's `CyclicLR`, including: the constructor sets each group's lr to `baseLr`
 * (and, when cycling, its momentum to `baseMomentum`); the constructor's step computes from the
 * groups' `initialLr` (equal to `baseLr` unless another scheduler set it first), later steps from
 * `baseLr`. **Momentum cycling needs an optimizer with `momentum`** (SGD, RMSprop): as in PyTorch 1.13,
 * which requires 'momentum' in the optimizer's defaults, an Adam-like optimizer (with `betas`) is
 * refused, and its β₁ is never cycled; pass `cycleMomentum: false` for it. Resumed with `lastEpoch`,
 * PyTorch takes the lower momentum bound from the groups' current momentum, not from `baseMomentum`
 * (so the momentum does not continue as in the uninterrupted run); descent does the same.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new CyclicLR(opt, { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 4 * batchesPerEpoch });
 * // after every opt.step(): sched.step()
 *
 * **State.** `stateDict()` stores the counters, base lrs and the momentum's lower bounds; a `scaleFn`
 * cannot be serialized and is not stored (construct with the same one, then `loadStateDict`).
 *
 * Divergences from PyTorch: options that PyTorch would ignore are refused (`scaleMode` without
 * `scaleFn`, `mode` with `scaleFn`, `gamma` with a mode other than 'exp_range'); `scaleFn` must return
 * a finite number; stepSizeUp must be positive and stepSizeDown non-negative (PyTorch divides by zero).
 */
import { checkOptions, type OptionKeys } from '../../util/options.js';
import {
  boolean,
  describe,
  finiteResult,
  lastEpochOption,
  nonNegative,
  oneOf,
  perGroup,
  positive,
} from './checks.js';
import { checkOptimizer, LrScheduler, type SchedulableOptimizer, type SchedulerState } from './scheduler.js';

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

export interface CyclicLROptions {
  /** The lower lr bound, one number or one per group. Required. */
  baseLr: number | readonly number[];
  /** The upper lr bound (reached only if the scaling allows), one number or one per group. Required. */
  maxLr: number | readonly number[];
  /** Steps in the rising half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Steps in the falling half. Default: stepSizeUp. */
  stepSizeDown?: number;
  /** 'triangular' (default), 'triangular2' or 'exp_range'. Not with `scaleFn`. */
  mode?: CyclicMode;
  /** γ of 'exp_range': the amplitude is scaled by γ^t. Default 1. */
  gamma?: number;
  /** A custom amplitude scaling f(u), 0 ≤ f ≤ 1; replaces `mode`. */
  scaleFn?: (u: number) => number;
  /** With `scaleFn`: u is the cycle number ('cycle', default) or the step count ('iterations'). */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle the groups' momentum inversely to the lr (needs SGD-style `momentum`). Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr, one number or one per group. Default 0.8. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lowest lr, one number or one per group. Default 0.9. */
  maxMomentum?: number | readonly number[];
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

const KEYS: OptionKeys<CyclicLROptions> = {
  baseLr: true,
  maxLr: true,
  stepSizeUp: true,
  stepSizeDown: true,
  mode: true,
  gamma: true,
  scaleFn: true,
  scaleMode: true,
  cycleMomentum: true,
  baseMomentum: true,
  maxMomentum: true,
  lastEpoch: true,
};

interface Scaling {
  fn: (u: number) => number;
  mode: 'cycle' | 'iterations';
}

/** The amplitude scaling: a built-in mode, or the user's `scaleFn`; refuses options it would ignore. */
function scaling(who: string, options: CyclicLROptions): Scaling {
  if (options.scaleFn !== undefined) {
    if (typeof options.scaleFn !== 'function') {
      throw new TypeError(
        `${who}: scaleFn must be a function of one number, got ${describe(options.scaleFn)}`,
      );
    }
    for (const key of ['mode', 'gamma'] as const) {
      if (options[key] !== undefined) {
        throw new RangeError(
          `${who}: ${key} has no effect with scaleFn (PyTorch ignores it); remove one of them`,
        );
      }
    }
    const fn = options.scaleFn;
    const checked = (u: number) => finiteResult(fn(u), { who, name: 'scaleFn', at: `for ${u}` });
    return {
      fn: checked,
      mode: oneOf(who, 'scaleMode', options.scaleMode ?? 'cycle', ['cycle', 'iterations']),
    };
  }
  if (options.scaleMode !== undefined) {
    throw new RangeError(
      `${who}: scaleMode applies only with scaleFn ('triangular' and 'triangular2' scale by cycle, 'exp_range' by step); remove it or give a scaleFn`,
    );
  }
  const mode = oneOf(who, 'mode', options.mode ?? 'triangular', ['triangular', 'triangular2', 'exp_range']);
  if (mode !== 'exp_range' && options.gamma !== undefined) {
    throw new RangeError(`${who}: gamma applies only to mode 'exp_range', not '${mode}'`);
  }
  const gamma = positive(who, 'gamma', options.gamma ?? 1);
  if (mode === 'triangular') return { fn: () => 1, mode: 'cycle' };
  if (mode === 'triangular2') return { fn: (u) => 1 / 2 ** (u - 1), mode: 'cycle' };
  return { fn: (u) => gamma ** u, mode: 'iterations' };
}

/** PyTorch 1.13 cycles momentum only where the optimizer has it: 'momentum' in its defaults. */
function checkMomentum(who: string, optimizer: SchedulableOptimizer): void {
  const defaults = (optimizer as { defaults?: unknown }).defaults;
  const fix = 'pass cycleMomentum: false (as in PyTorch 1.13, Adam-like betas are not cycled)';
  if (typeof defaults === 'object' && defaults !== null && !('momentum' in defaults)) {
    throw new TypeError(
      `${who}: cycleMomentum needs an optimizer with a momentum option (SGD, RMSprop); ${fix}`,
    );
  }
  optimizer.paramGroups.forEach((g, i) => {
    if (typeof g.momentum !== 'number') {
      throw new TypeError(
        `${who}: cycleMomentum needs a momentum in every param group, paramGroups[${i}] has none; ${fix}`,
      );
    }
  });
}

export class CyclicLR extends LrScheduler {
  readonly maxLrs: readonly number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly cycleMomentum: boolean;
  /** The momentum at the peak lr: `baseMomentum`, or the groups' momentum when resumed. */
  baseMomentums: number[];
  readonly maxMomentums: readonly number[];
  private readonly scale: Scaling;

  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    const who = 'CyclicLR';
    checkOptions(who, options, KEYS);
    if (options === undefined) throw new TypeError(`${who}: options with baseLr and maxLr are required`);
    const groups = checkOptimizer(who, optimizer).paramGroups;
    const baseLrs = perGroup(who, 'baseLr', options.baseLr, groups.length, nonNegative);
    const maxLrs = perGroup(who, 'maxLr', options.maxLr, groups.length, nonNegative);
    const up = positive(who, 'stepSizeUp', options.stepSizeUp ?? 2000);
    const down = nonNegative(who, 'stepSizeDown', options.stepSizeDown ?? up);
    const scale = scaling(who, options);
    const cycleMomentum = boolean(who, 'cycleMomentum', options.cycleMomentum ?? true);
    const baseMomentum = perGroup(
      who,
      'baseMomentum',
      options.baseMomentum ?? 0.8,
      groups.length,
      nonNegative,
    );
    const maxMomentums = perGroup(who, 'maxMomentum', options.maxMomentum ?? 0.9, groups.length, nonNegative);
    if (cycleMomentum) checkMomentum(who, optimizer);
    const fresh = lastEpochOption(who, options.lastEpoch) === -1;

    if (fresh) {
      groups.forEach((g, i) => {
        g.lr = baseLrs[i]!;
        if (cycleMomentum) g.momentum = baseMomentum[i]!;
      });
    }
    super(optimizer, who, options.lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.scale = scale;
    this.cycleMomentum = cycleMomentum;
    this.baseMomentums = cycleMomentum ? groups.map((g) => g.momentum!) : [];
    this.maxMomentums = maxMomentums;
    // PyTorch's constructor step uses base_lrs from the groups' initial_lr; later steps use baseLr.
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const h = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const f = this.scale.fn(this.scale.mode === 'cycle' ? cycle : t);
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i]! - b) * h * f);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const max = this.maxMomentums[i]!;
        g.momentum = max - (max - this.baseMomentums[i]!) * h * f;
      });
    }
    return lrs;
  }

  override stateDict(): SchedulerState {
    return { ...super.stateDict(), baseMomentums: this.baseMomentums.slice() };
  }

  override loadStateDict(state: SchedulerState): void {
    super.loadStateDict(state);
    if (this.cycleMomentum) this.baseMomentums = this.numbers(state, 'baseMomentums');
  }
}
