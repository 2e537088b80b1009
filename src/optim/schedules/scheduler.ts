/**
 * The learning-rate scheduler base, after PyTorch 1.13's `torch.optim.lr_scheduler._LRScheduler`.
 *
 * A scheduler owns no learning rate of its own: it reads and writes `group.lr` on the optimizer's
 * parameter groups, so any optimizer with `paramGroups` works (descent's `Optimizer` facade, or any
 * object satisfying {@link SchedulableOptimizer}). Construction takes the first step, as PyTorch does:
 * right after `new StepLR(opt, …)` the groups hold the lr of epoch 0 (for most schedules the base lr;
 * `LinearLR` and `ConstantLR` scale it, `OneCycleLR` replaces it).
 *
 * **Per step or per epoch.** `step()` advances the schedule by one unit; the unit is whatever the caller
 * steps it at. Call `scheduler.step()` once per epoch (after the epoch's last `optimizer.step()`) and
 * `stepSize`, `tMax`, `totalIters`… count epochs; call it after every `optimizer.step()` and they count
 * optimizer steps (batches). `OneCycleLR` is meant per batch (`totalSteps = epochs · stepsPerEpoch`).
 * Either way call it after `optimizer.step()`, never before: PyTorch's order since 1.1.
 *
 * **Base learning rates.** On construction every group gets an `initialLr` field (PyTorch's
 * `initial_lr`) unless it has one already, so several schedulers on one optimizer share the same base;
 * `baseLrs` copies them. The chainable schedules (StepLR, CosineAnnealingLR, LinearLR…) update
 * `group.lr` from its current value, exactly as PyTorch, so an lr changed from outside (another
 * scheduler, a callback) carries on through the schedule.
 *
 * **Resuming.** Either `loadStateDict` (which restores the counters, not the options — construct the
 * scheduler with the same options), or PyTorch's `lastEpoch` option: `lastEpoch: k` (default −1, a
 * fresh start) needs an `initialLr` in every group (PyTorch's KeyError "param 'initial_lr' is not
 * specified…"; restore the optimizer's state first), takes the base lrs from them, and its
 * constructor step moves to step k + 1 with the chainable form, from the groups' current lr. So on an
 * optimizer restored after k steps the scheduler continues as one stepped k times then once more
 * (where PyTorch does; `CosineAnnealingWarmRestarts` past its first restart and `CyclicLR`'s momentum
 * are exceptions in PyTorch too, documented there).
 *
 * **Divergences from PyTorch.** No `verbose`. `stateDict()` is plain JSON-able data.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) {
 *   trainOneEpoch(opt);   // calls opt.step() per batch
 *   sched.step();         // per epoch: lr 0.1, then 0.01 from epoch 30, 0.001 from epoch 60
 * }
 */
import { describe, lastEpochOption } from './checks.js';

/**
 * One parameter group as a scheduler sees it: its lr, momentum or betas for `OneCycleLR`, and the
 * `initialLr` the first scheduler adds. (No index signature, so that groups typed by an interface, such
 * as the optimizers' option interfaces, are assignable.)
 */
export interface SchedulableGroup {
  lr: number;
  momentum?: number;
  betas?: [number, number] | readonly [number, number];
  /** The base lr of the schedules: set by the first scheduler made on the optimizer (PyTorch's `initial_lr`). */
  initialLr?: number;
}

/** What a scheduler needs of an optimizer: mutable parameter groups. descent's `Optimizer` satisfies it. */
export interface SchedulableOptimizer {
  paramGroups: SchedulableGroup[];
}

/** The state a scheduler saves: plain data, safe to `JSON.stringify`. */
export interface SchedulerState {
  /** The class that wrote it (`'StepLR'`…); `loadStateDict` refuses another class's state. */
  scheduler: string;
  lastEpoch: number;
  lastLr: number[];
  [key: string]: unknown;
}

/** Checks that `optimizer` has parameter groups with numeric learning rates. */
export function checkOptimizer(who: string, optimizer: unknown): SchedulableOptimizer {
  const groups = (optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new TypeError(
      `${who}: optimizer must have a non-empty paramGroups array (an Optimizer), got ${describe(optimizer)}`,
    );
  }
  groups.forEach((g, i) => {
    if (typeof g?.lr !== 'number' || !Number.isFinite(g.lr)) {
      throw new TypeError(`${who}: paramGroups[${i}].lr must be a finite number, got ${describe(g?.lr)}`);
    }
  });
  return optimizer as SchedulableOptimizer;
}

function isLr(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

/** The common interface of every scheduler except `ReduceLROnPlateau` (whose `step` takes a metric). */
export abstract class LrScheduler {
  readonly optimizer: SchedulableOptimizer;
  /** The class name, written into `stateDict()` and checked by `loadStateDict()`. */
  readonly kind: string;
  /** Each group's `initialLr` when the scheduler was made. */
  baseLrs: number[];
  /** Steps taken: −1 before the constructor's first step, 0 after it, then 1, 2, … */
  lastEpoch = -1;
  protected lastLr: number[];
  /**
   * Steps since the last `initialStep()` (PyTorch's `_step_count`): 1 during the constructor's step,
   * which is how `CosineAnnealingLR` tells a resumed start (`lastEpoch` > 0) from a chained step.
   */
  protected stepCount = 0;

  /**
   * @param lastEpoch PyTorch's `last_epoch`: −1 starts afresh (each group's `initialLr` defaults to
   *   its lr); k ≥ 0 resumes and requires `initialLr` in every group. Subclasses check it with
   *   `lastEpochOption` before touching the optimizer.
   */
  protected constructor(optimizer: SchedulableOptimizer, kind: string, lastEpoch = -1) {
    this.kind = kind;
    this.optimizer = checkOptimizer(kind, optimizer);
    const last = lastEpochOption(kind, lastEpoch);
    this.optimizer.paramGroups.forEach((group, i) => {
      if (last === -1) {
        if (typeof group.initialLr !== 'number') group.initialLr = group.lr;
      } else if (!isLr(group.initialLr)) {
        throw new TypeError(
          `${kind}: lastEpoch ${last} resumes a schedule, which needs paramGroups[${i}].initialLr (a finite non-negative number, set by the scheduler that ran before: restore the optimizer's state first), got ${describe(group.initialLr)}; PyTorch: "param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer"`,
        );
      }
    });
    this.baseLrs = this.optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
    this.lastEpoch = last;
  }

  /**
   * The chainable update at `lastEpoch` (already advanced), computed from the groups' current lr:
   * PyTorch's `get_lr`.
   */
  protected abstract getLr(): number[];

  /** The lr at `lastEpoch` from the base lrs alone (PyTorch's `_get_closed_form_lr`), where one exists. */
  protected closedFormLr(): number[] | undefined {
    return undefined;
  }

  /**
   * Advances the schedule one step (epoch or batch, as the caller uses it) and writes the new lr into
   * every group.
   *
   * `step(epoch)` jumps to `epoch` and uses the closed form where the schedule has one, as PyTorch's
   * deprecated `step(epoch)`; `SequentialLR` relies on it (`step(0)` at each milestone).
   */
  step(epoch?: number): void {
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) {
        throw new RangeError(
          `${this.kind}.step: epoch must be a non-negative number, got ${describe(epoch)}`,
        );
      }
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.writeLrs(values);
  }

  protected writeLrs(values: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lr of every group as this scheduler last set it. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The counters and base lrs (not the options), as plain data. */
  stateDict(): SchedulerState {
    return {
      scheduler: this.kind,
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLr.slice(),
      baseLrs: this.baseLrs.slice(),
    };
  }

  /**
   * Restores what `stateDict()` saved, into a scheduler built with the same options on an optimizer
   * with as many groups. Restore the optimizer's state too: the chainable schedules continue from
   * `group.lr`.
   */
  loadStateDict(state: SchedulerState): void {
    this.checkState(state);
    this.lastEpoch = state.lastEpoch;
    this.lastLr = this.numbers(state, 'lastLr');
    this.baseLrs = this.numbers(state, 'baseLrs');
  }

  /** The state of a schedule made of others (`SequentialLR`, `ChainedScheduler`): its counters and each one's. */
  protected compositeStateDict(schedulers: readonly LrScheduler[]): SchedulerState {
    return {
      scheduler: this.kind,
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLr.slice(),
      schedulers: schedulers.map((s) => s.stateDict()),
    };
  }

  /** Restores what `compositeStateDict` saved, checking that it holds one state per scheduler. */
  protected loadCompositeState(state: SchedulerState, schedulers: readonly LrScheduler[]): void {
    this.checkState(state);
    const states = state.schedulers;
    if (!Array.isArray(states) || states.length !== schedulers.length) {
      throw new RangeError(
        `${this.kind}.loadStateDict: schedulers must hold ${schedulers.length} states, got ${describe(states)}`,
      );
    }
    this.lastLr = this.numbers(state, 'lastLr');
    schedulers.forEach((s, i) => {
      s.loadStateDict(states[i] as SchedulerState);
    });
    this.lastEpoch = state.lastEpoch;
  }

  protected checkState(state: SchedulerState): void {
    if (state === null || typeof state !== 'object') {
      throw new TypeError(`${this.kind}.loadStateDict: expected a state object, got ${describe(state)}`);
    }
    if (state.scheduler !== this.kind) {
      throw new TypeError(
        `${this.kind}.loadStateDict: this state was saved by ${describe(state.scheduler)}, not ${this.kind}`,
      );
    }
    // A tampered counter or learning rate would train on silently (NaN lr, a schedule run backwards).
    if (!Number.isInteger(state.lastEpoch) || (state.lastEpoch as number) < -1) {
      throw new TypeError(
        `${this.kind}.loadStateDict: lastEpoch must be an integer ≥ -1, got ${describe(state.lastEpoch)}`,
      );
    }
  }

  protected numbers(state: SchedulerState, key: string): number[] {
    const v = state[key];
    const n = this.optimizer.paramGroups.length;
    if (
      !Array.isArray(v) ||
      v.length !== n ||
      v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)
    ) {
      throw new RangeError(
        `${this.kind}.loadStateDict: ${key} must be an array of ${n} finite non-negative numbers (one per param group), got ${describe(v)}`,
      );
    }
    return v.slice();
  }

  /**
   * The constructor's first step (PyTorch's `_initial_step`). Subclasses call it last in their
   * constructor; `SequentialLR` calls it again on its first scheduler.
   * @internal
   */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Undoes the constructor's step count (`lastEpoch -= 1`), as `SequentialLR` does to the schedulers it
   * is given before it restarts the first one.
   * @internal
   */
  rewind(): void {
    this.lastEpoch -= 1;
  }
}
