/**
 * LambdaLR: the learning rate is the base lr times a factor you compute from the step count.
 *
 *   lr_t = baseLr · λ(t)
 *
 * Symbols: λ = `lrLambda` (required: one function for every group, or an array with one per group),
 * t = steps taken (`lastEpoch`; 0 at construction, so lr_0 = baseLr · λ(0)), baseLr = the group's
 * `initialLr`. Not chainable: an lr changed from outside is overwritten at the next step. Values equal
 * PyTorch 1.13's `LambdaLR` (a product of the base lr and λ's value, nothing else).
 *
 * @example
 * // group 0: ×0.95 per epoch; group 1: a tenth for 30 epochs, then the base lr
 * const sched = new LambdaLR(opt, { lrLambda: [(e) => 0.95 ** e, (e) => (e < 30 ? 0.1 : 1)] });
 *
 * **State.** Functions cannot be serialized: `stateDict()` stores the counters and base lrs only, never
 * the λs (PyTorch stores a λ's `__dict__` when it is a callable object, and nothing for a function).
 * Construct the scheduler with the same λs, then `loadStateDict`. Specs (`createScheduler`) accept a
 * λ in TypeScript, but a configuration file cannot hold one.
 *
 * Divergence from PyTorch: λ must return a finite number (PyTorch sets whatever it returns, NaN included).
 */
import { type LrLambda, LrLambdaScheduler } from './lr_lambda.js';
import type { SchedulableOptimizer } from './scheduler.js';

export interface LambdaLROptions {
  /** The factor of the base lr at step t: one function, or one per param group. Required. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class LambdaLR extends LrLambdaScheduler {
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    super(optimizer, 'LambdaLR', options);
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.factor(i));
  }
}
