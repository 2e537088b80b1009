/**
 * MultiplicativeLR: multiplies the learning rate by a factor you compute from the step count, at every
 * step but the constructor's.
 *
 *   lr_0 = the group's lr;   lr_t = lr_{t−1} · λ(t)   for t ≥ 1
 *
 * Symbols: λ = `lrLambda` (required: one function for every group, or an array with one per group),
 * t = steps taken (`lastEpoch`). Chainable: it multiplies the group's current lr, so an lr changed from
 * outside carries on. Values equal PyTorch 1.13's `MultiplicativeLR`; as there, `step(epoch)` has no
 * closed form and multiplies by λ(epoch) once.
 *
 * @example
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.95 });   // lr 0.1, 0.095, 0.09025, …
 *
 * **State.** Functions cannot be serialized: `stateDict()` stores the counters and base lrs only, never
 * the λs (PyTorch stores a λ's `__dict__` when it is a callable object, and nothing for a function).
 * Construct the scheduler with the same λs, restore the optimizer (the lr carries the product so far),
 * then `loadStateDict`.
 *
 * Divergence from PyTorch: λ must return a finite number (PyTorch sets whatever it returns, NaN included).
 */
import { type LrLambda, LrLambdaScheduler } from './lr_lambda.js';
import type { SchedulableOptimizer } from './scheduler.js';

export interface MultiplicativeLROptions {
  /** The factor applied at step t ≥ 1: one function, or one per param group. Required. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class MultiplicativeLR extends LrLambdaScheduler {
  constructor(optimizer: SchedulableOptimizer, options: MultiplicativeLROptions) {
    super(optimizer, 'MultiplicativeLR', options);
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch <= 0) return groups.map((g) => g.lr);
    return groups.map((g, i) => g.lr * this.factor(i));
  }
}
