/**
 * Learning-rate schedules as curves over a whole run: the learning rate (and momentum, or β₁) of every
 * optimizer step, with the schedule stepped exactly as `fit` steps it — after every optimizer step for
 * `interval: 'step'` (cosine, one-cycle, polynomial, any warmup), after each epoch's last step for
 * `interval: 'epoch'` (step, multi-step, exponential). So a plotted curve is the lr a run really
 * trains with, and the lab's schedule panel needs no math of its own.
 *
 * `lrCurve` steps a schedule already built on an optimizer (for instance the one a run configuration
 * builds); `scheduleCurve` builds a `ScheduleSpec` on a one-group stand-in optimizer first, with no
 * tensors. Neither takes ReduceLROnPlateau, whose steps need a metric (see `lrValues`).
 *
 * @example
 * // Cosine over 5 epochs of 100 steps, after 50 steps of linear warmup, from lr 0.1:
 * const c = scheduleCurve(
 *   { scheduler: 'CosineAnnealingLR', options: { tMax: 450 }, warmup: { warmupSteps: 50 } },
 *   { interval: 'step', epochs: 5, stepsPerEpoch: 100, baseLr: 0.1 },
 * );
 * c.lr.length; // 500: the lr of each optimizer step; c.epoch[k] is its epoch (from 0)
 */
import { checkOptions } from '../../util/options.js';
import { describe } from './checks.js';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';
import type { LrScheduler, SchedulableGroup, SchedulableOptimizer } from './scheduler.js';
import { createScheduler, type LrScheduleSpec } from './spec.js';

/** The run a curve covers: `epochs` × `stepsPerEpoch` optimizer steps. */
export interface CurveRun {
  epochs: number;
  stepsPerEpoch: number;
}

export interface ScheduleCurve {
  /** Optimizer step k = 0 … epochs·stepsPerEpoch − 1. */
  step: number[];
  /** The epoch of each step, from 0. */
  epoch: number[];
  /** The lr that step k uses. */
  lr: number[];
  /** The first group's momentum (β₁ for Adam-style betas) that step k uses. */
  momentum: number[];
}

function count(who: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${who}: ${name} must be an integer ≥ ${min}, got ${describe(v)}`);
  }
  return v;
}

/**
 * Steps `schedule` (built on `optimizer`) through a run as `fit` does with `scheduleInterval`
 * `interval`, reading the first parameter group before each optimizer step. It changes the optimizer's
 * learning rate, as training would: use a stand-in or a fresh optimizer.
 */
export function lrCurve(
  optimizer: SchedulableOptimizer,
  schedule: { schedule: LrScheduler; interval: 'step' | 'epoch' },
  run: CurveRun,
): ScheduleCurve {
  const who = 'lrCurve';
  checkOptions(who, run, { epochs: true, stepsPerEpoch: true });
  const epochs = count(who, 'epochs', run.epochs, 0);
  const stepsPerEpoch = count(who, 'stepsPerEpoch', run.stepsPerEpoch, 1);
  if ((schedule.schedule as unknown) instanceof ReduceLROnPlateau) {
    throw new RangeError(`${who}: ReduceLROnPlateau steps on a metric, so it has no curve in advance`);
  }
  if (schedule.interval !== 'step' && schedule.interval !== 'epoch') {
    throw new RangeError(`${who}: interval must be 'step' or 'epoch', got ${describe(schedule.interval)}`);
  }
  const group = optimizer.paramGroups[0]!;
  const curve: ScheduleCurve = { step: [], epoch: [], lr: [], momentum: [] };
  for (let e = 0; e < epochs; e++) {
    for (let b = 0; b < stepsPerEpoch; b++) {
      curve.step.push(e * stepsPerEpoch + b);
      curve.epoch.push(e);
      curve.lr.push(group.lr);
      curve.momentum.push(momentumOf(group));
      if (schedule.interval === 'step') schedule.schedule.step();
    }
    if (schedule.interval === 'epoch') schedule.schedule.step();
  }
  return curve;
}

function momentumOf(group: SchedulableGroup): number {
  return group.betas !== undefined ? group.betas[0] : (group.momentum ?? 0);
}

export interface ScheduleCurveOptions extends CurveRun {
  /** When the schedule steps: after every optimizer step or after every epoch (as `fit`'s `scheduleInterval`). */
  interval: 'step' | 'epoch';
  /** The optimizer's lr before the schedule (default 0.1). */
  baseLr?: number;
  /** The group's momentum (what OneCycleLR cycles; default 0); ignored when `betas` is given. */
  momentum?: number;
  /** Adam-style betas: OneCycleLR then cycles betas[0]. */
  betas?: [number, number];
}

/** The curve of `spec` (see the module comment) on a one-group stand-in optimizer. */
export function scheduleCurve(spec: LrScheduleSpec, options: ScheduleCurveOptions): ScheduleCurve {
  const who = 'scheduleCurve';
  checkOptions(who, options, {
    interval: true,
    epochs: true,
    stepsPerEpoch: true,
    baseLr: true,
    momentum: true,
    betas: true,
  });
  const group: SchedulableGroup = { lr: options.baseLr ?? 0.1 };
  if (typeof group.lr !== 'number' || !Number.isFinite(group.lr)) {
    throw new RangeError(`${who}: baseLr must be a finite number, got ${describe(options.baseLr)}`);
  }
  if (options.betas !== undefined) group.betas = [options.betas[0], options.betas[1]];
  else group.momentum = options.momentum ?? 0;
  const optimizer: SchedulableOptimizer = { paramGroups: [group] };
  if ((spec as { scheduler?: unknown })?.scheduler === 'ReduceLROnPlateau') {
    throw new RangeError(`${who}: ReduceLROnPlateau steps on a metric, so it has no curve in advance`);
  }
  const schedule = createScheduler(optimizer, spec);
  return lrCurve(
    optimizer,
    { schedule, interval: options.interval },
    {
      epochs: options.epochs,
      stepsPerEpoch: options.stepsPerEpoch,
    },
  );
}
