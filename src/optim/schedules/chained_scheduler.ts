/**
 * ChainedScheduler: steps several schedulers together, in order, at every step, so that their
 * chainable updates compose on the same learning rate.
 *
 *   step():  schedulers[0].step(); schedulers[1].step(); …     lr = the groups' lr afterwards
 *
 * Each scheduler takes its own first step when it is built (in the order built), so the lr at step 0 is
 * already the composition. Every scheduler must be built on the same optimizer. Values equal PyTorch
 * 1.13's `ChainedScheduler`: with chainable schedules (StepLR, ExponentialLR, ConstantLR, LinearLR,
 * CosineAnnealingLR, MultiplicativeLR…) the factors multiply; a closed-form schedule (LambdaLR,
 * CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts) overwrites the lr, so only what follows it in
 * the list acts on its value.
 *
 * @example
 * // lr 0.1 (step 0), 0.09, 0.81, 0.729, … : a tenth for two steps, and ×0.9 at every step
 * const sched = new ChainedScheduler([
 *   new ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
 *
 * Beyond PyTorch: `step(epoch)` passes the jump to every scheduler, and a ChainedScheduler may be one of
 * the schedulers of a `SequentialLR` (PyTorch 1.13 fails in both). It has no `lastEpoch` option (as in
 * PyTorch): build its schedulers with theirs, or resume it with `loadStateDict`.
 * `ReduceLROnPlateau` cannot be chained (its step needs a metric).
 */
import { describe } from './checks.js';
import { LrScheduler, type SchedulerState } from './scheduler.js';

export class ChainedScheduler extends LrScheduler {
  readonly schedulers: readonly LrScheduler[];

  constructor(schedulers: readonly LrScheduler[]) {
    const who = 'ChainedScheduler';
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new TypeError(
        `${who}: schedulers must be a non-empty array of schedulers, got ${describe(schedulers)}`,
      );
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LrScheduler)) {
        throw new TypeError(
          `${who}: schedulers[${i}] must be a learning-rate scheduler (ReduceLROnPlateau cannot be chained), got ${describe(s)}`,
        );
      }
      if (s.optimizer !== schedulers[0]!.optimizer) {
        // PyTorch: "ChainedScheduler expects all schedulers to belong to the same optimizer".
        throw new RangeError(
          `${who}: schedulers[${i}] belongs to another optimizer than schedulers[0]; all must use the same one`,
        );
      }
    });
    super(schedulers[0]!.optimizer, who);
    this.schedulers = schedulers.slice();
    this.lastEpoch = 0;
  }

  protected getLr(): number[] {
    throw new Error('unreachable: ChainedScheduler.step delegates to its schedulers');
  }

  /** Steps every scheduler (with `epoch`, each jumps there) and records the resulting lr. */
  override step(epoch?: number): void {
    if (epoch !== undefined && (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0)) {
      throw new RangeError(
        `ChainedScheduler.step: epoch must be a non-negative number, got ${describe(epoch)}`,
      );
    }
    for (const s of this.schedulers) s.step(epoch);
    this.lastEpoch = epoch === undefined ? this.lastEpoch + 1 : Math.floor(epoch);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Restarts every scheduler, in order (as the first scheduler of a SequentialLR). */
  override initialStep(): void {
    for (const s of this.schedulers) s.initialStep();
    this.lastEpoch = 0;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  override rewind(): void {
    for (const s of this.schedulers) s.rewind();
    this.lastEpoch -= 1;
  }

  override stateDict(): SchedulerState {
    return this.compositeStateDict(this.schedulers);
  }

  override loadStateDict(state: SchedulerState): void {
    this.loadCompositeState(state, this.schedulers);
  }
}
