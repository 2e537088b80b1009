/**
 * ReduceLROnPlateauCallback: the `ReduceLROnPlateau` schedule (src/optim/schedules, PyTorch 1.13's
 * semantics) driven by `fit`: after each epoch it steps the schedule with `logs[monitor]`, which
 * multiplies the learning rate by `factor` once the value has not improved for more than `patience`
 * epochs. The schedule is built on `fit`'s optimizer when training begins; its state travels with a
 * `TrainingState`.
 *
 * Options: `monitor` (default 'valLoss'), `mode` ('auto' by default: 'max' for accuracies, else
 * 'min'), and the schedule's own: factor 0.1, patience 10, threshold 1e-4, thresholdMode 'rel',
 * cooldown 0, minLr 0, eps 1e-8 (see `ReduceLROnPlateau`).
 *
 * Named with `Callback` so that it does not clash with the schedule it wraps (Keras calls both
 * ReduceLROnPlateau).
 *
 * @example
 * fit(model, data, { …, validation, callbacks: [new ReduceLROnPlateauCallback({ factor: 0.5, patience: 2 })] });
 */
import {
  REDUCE_LR_ON_PLATEAU_KEYS,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
} from '../../optim/schedules/reduce_lr_on_plateau.js';
import type { SchedulableOptimizer, SchedulerState } from '../../optim/schedules/scheduler.js';
import { checkOptions } from '../../util/options.js';
import type { EpochLogs } from '../types.js';
import { type Callback, monitored, requireValidation, resolveMode, type TrainContext } from './callback.js';

export interface ReduceLROnPlateauCallbackOptions extends Omit<ReduceLROnPlateauOptions, 'mode'> {
  /** The log key to watch (default 'valLoss'). */
  monitor?: string;
  /** 'min', 'max' or 'auto' (default: 'max' for accuracies, 'min' otherwise). */
  mode?: 'auto' | 'min' | 'max';
}

export class ReduceLROnPlateauCallback implements Callback {
  readonly monitor: string;
  /** The schedule, once training has begun. */
  schedule: ReduceLROnPlateau | null = null;
  private readonly scheduleOptions: ReduceLROnPlateauOptions;
  private pendingState: SchedulerState | null = null;

  constructor(options: ReduceLROnPlateauCallbackOptions = {}) {
    const who = 'ReduceLROnPlateauCallback';
    checkOptions(who, options, { monitor: true, ...REDUCE_LR_ON_PLATEAU_KEYS });
    const { monitor = 'valLoss', mode = 'auto', ...rest } = options ?? {};
    if (typeof monitor !== 'string' || monitor === '') {
      throw new TypeError(
        `${who}: monitor must be a log key such as 'valLoss', got ${JSON.stringify(monitor)}`,
      );
    }
    this.monitor = monitor;
    this.scheduleOptions = { ...rest, mode: resolveMode(who, mode, monitor) };
    // Check the schedule's options now rather than when fit starts.
    new ReduceLROnPlateau({ paramGroups: [{ lr: 1 }] }, this.scheduleOptions);
  }

  onTrainBegin(ctx: TrainContext): void {
    requireValidation('ReduceLROnPlateauCallback', this.monitor, ctx);
    this.schedule = new ReduceLROnPlateau(
      ctx.optimizer as unknown as SchedulableOptimizer,
      this.scheduleOptions,
    );
    if (this.pendingState !== null) this.schedule.loadStateDict(this.pendingState);
    this.pendingState = null;
  }

  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    this.schedule!.step(monitored('ReduceLROnPlateauCallback', this.monitor, logs));
  }

  stateDict(): SchedulerState | null {
    return this.schedule?.stateDict() ?? this.pendingState;
  }

  /** Restores the schedule's counters; applied when training begins (the schedule is built then). */
  loadStateDict(state: unknown): void {
    if (state === null) return;
    if (this.schedule !== null) this.schedule.loadStateDict(state as SchedulerState);
    else this.pendingState = state as SchedulerState;
  }
}
