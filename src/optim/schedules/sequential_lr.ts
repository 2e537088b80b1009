/**
 * SequentialLR: runs schedulers one after another, switching at the milestones.
 *
 *   steps [0, m₁): schedulers[0];  [m₁, m₂): schedulers[1], restarted at its epoch 0;  …
 *
 * Every scheduler must be built on the same optimizer (each takes its first step when built; this
 * constructor undoes that, puts every group's lr back to its `initialLr` and restarts the first one).
 * At milestone m_k the next scheduler takes `step(0)`: its closed form at epoch 0 (for most schedules
 * the base lr), then continues with its own chainable form, so its time axis starts at the milestone.
 *
 * Values equal PyTorch 1.13's `SequentialLR`. Linear warmup in front of any schedule is
 * `new SequentialLR(opt, [new LinearLR(opt, …), schedule], [warmupSteps])`; `withWarmup` builds it.
 *
 * @example
 * // lr 0.01 for steps 0–1, then 0.1·0.9^(t−2)
 * const sched = new SequentialLR(opt, [
 *   new ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(opt, { gamma: 0.9 }),
 * ], [2]);
 *
 * Beyond PyTorch: a SequentialLR may itself be one of the schedulers (PyTorch 1.13 fails there), and
 * `step(epoch)` jumps to `epoch` (the scheduler in charge jumps to `epoch − its milestone`).
 * Divergence: milestones must be strictly increasing positive integers (PyTorch does not check, and
 * bisects them as if sorted). `ReduceLROnPlateau` cannot be part of it (as in PyTorch).
 */
import { checkOptions } from '../../util/options.js';
import { describe, lastEpochOption } from './checks.js';
import { LrScheduler, type SchedulableOptimizer, type SchedulerState } from './scheduler.js';

export interface SequentialLROptions {
  /**
   * PyTorch's `last_epoch`: the sequence's step counter starts at lastEpoch + 1 (it decides which
   * scheduler is in charge), while the schedulers restart as at a fresh start, as in PyTorch 1.13.
   * Resume a SequentialLR with `loadStateDict` instead. Default −1.
   */
  lastEpoch?: number;
}

export class SequentialLR extends LrScheduler {
  readonly schedulers: readonly LrScheduler[];
  readonly milestones: readonly number[];

  constructor(
    optimizer: SchedulableOptimizer,
    schedulers: readonly LrScheduler[],
    milestones: readonly number[],
    options: SequentialLROptions = {},
  ) {
    const who = 'SequentialLR';
    checkOptions(who, options, { lastEpoch: true });
    const lastEpoch = lastEpochOption(who, options.lastEpoch);
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new TypeError(
        `${who}: schedulers must be a non-empty array of schedulers, got ${describe(schedulers)}`,
      );
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LrScheduler)) {
        throw new TypeError(
          `${who}: schedulers[${i}] must be a learning-rate scheduler (ReduceLROnPlateau cannot be sequenced), got ${describe(s)}`,
        );
      }
      if (s.optimizer !== optimizer) {
        throw new RangeError(
          `${who}: schedulers[${i}] belongs to another optimizer; all must use the one given`,
        );
      }
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        `${who}: milestones must be an array of ${schedulers.length - 1} step numbers (one fewer than the ${schedulers.length} schedulers), got ${describe(milestones)}`,
      );
    }
    milestones.forEach((m, i) => {
      const previous = i === 0 ? 0 : milestones[i - 1]!;
      if (typeof m !== 'number' || !Number.isInteger(m) || m <= previous) {
        throw new RangeError(
          `${who}: milestones must be strictly increasing positive integers; milestones[${i}] is ${describe(m)}`,
        );
      }
    });
    super(optimizer, who);
    this.schedulers = schedulers.slice();
    this.milestones = milestones.slice();
    this.lastEpoch = lastEpoch + 1;
    for (const group of this.optimizer.paramGroups) group.lr = group.initialLr!;
    for (const s of this.schedulers) s.rewind();
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  protected getLr(): number[] {
    throw new Error('unreachable: SequentialLR.step delegates to its schedulers');
  }

  override step(epoch?: number): void {
    if (epoch !== undefined) {
      if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) {
        throw new RangeError(
          `SequentialLR.step: epoch must be a non-negative number, got ${describe(epoch)}`,
        );
      }
      this.lastEpoch = epoch;
      const idx = this.indexAt(epoch);
      const scheduler = this.schedulers[idx]!;
      scheduler.step(epoch - (idx > 0 ? this.milestones[idx - 1]! : 0));
      this.lastLr = scheduler.getLastLr();
      return;
    }
    this.lastEpoch += 1;
    const idx = this.indexAt(this.lastEpoch);
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /** bisect_right: the number of milestones ≤ epoch. */
  private indexAt(epoch: number): number {
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= epoch) idx++;
    return idx;
  }

  /** Restarts the sequence at step 0 (when it is the first scheduler of an enclosing SequentialLR). */
  override initialStep(): void {
    this.lastEpoch = 0;
    const first = this.schedulers[0]!;
    first.rewind();
    first.initialStep();
    this.lastLr = first.getLastLr();
  }

  override rewind(): void {
    this.lastEpoch -= 1;
  }

  override stateDict(): SchedulerState {
    return this.compositeStateDict(this.schedulers);
  }

  override loadStateDict(state: SchedulerState): void {
    this.loadCompositeState(state, this.schedulers);
  }
}
