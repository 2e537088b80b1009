/**
 * Schedules as data, for plotting, the lab and configuration files: a `ScheduleSpec` names a scheduler
 * and its options (the same camelCase options as the classes); `createScheduler` builds it on an
 * optimizer; `lrValues` / `lrAt` run it on a one-group stand-in optimizer and return the learning
 * rates, without any tensors.
 *
 * @example
 * const spec: ScheduleSpec = { scheduler: 'CosineAnnealingLR', options: { tMax: 90 }, warmup: { warmupSteps: 10 } };
 * lrValues(spec, 100, { baseLr: 0.1 }).lr;   // 101 values: the lr before each of the first 101 steps
 * lrAt(spec, 50, { baseLr: 0.1 });           // one of them
 * const sched = createScheduler(opt, spec);  // the same schedule on a real optimizer
 */
import { checkOptions } from '../../util/options.js';
import { ChainedScheduler } from './chained_scheduler.js';
import { describe } from './checks.js';
import { ConstantLR, type ConstantLROptions } from './constant_lr.js';
import { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine_annealing_lr.js';
import {
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
} from './cosine_annealing_warm_restarts.js';
import { CyclicLR, type CyclicLROptions } from './cyclic_lr.js';
import { ExponentialLR, type ExponentialLROptions } from './exponential_lr.js';
import { FixedLR, type FixedLROptions } from './fixed_lr.js';
import { LambdaLR, type LambdaLROptions } from './lambda_lr.js';
import { LinearLR, type LinearLROptions } from './linear_lr.js';
import { MultiStepLR, type MultiStepLROptions } from './multi_step_lr.js';
import { MultiplicativeLR, type MultiplicativeLROptions } from './multiplicative_lr.js';
import { OneCycleLR, type OneCycleLROptions } from './one_cycle_lr.js';
import { PolynomialLR, type PolynomialLROptions } from './polynomial_lr.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce_lr_on_plateau.js';
import type { LrScheduler, SchedulableGroup, SchedulableOptimizer } from './scheduler.js';
import { SequentialLR } from './sequential_lr.js';
import { StepLR, type StepLROptions } from './step_lr.js';
import { type WarmupOptions, withWarmup } from './warmup.js';

/** A scheduler other than ReduceLROnPlateau, by name, with its options and an optional warmup in front. */
export type LrScheduleSpec = (
  | { scheduler: 'FixedLR'; options?: FixedLROptions }
  | { scheduler: 'LambdaLR'; options: LambdaLROptions }
  | { scheduler: 'MultiplicativeLR'; options: MultiplicativeLROptions }
  | { scheduler: 'ConstantLR'; options?: ConstantLROptions }
  | { scheduler: 'StepLR'; options: StepLROptions }
  | { scheduler: 'MultiStepLR'; options: MultiStepLROptions }
  | { scheduler: 'ExponentialLR'; options: ExponentialLROptions }
  | { scheduler: 'CosineAnnealingLR'; options: CosineAnnealingLROptions }
  | { scheduler: 'CosineAnnealingWarmRestarts'; options: CosineAnnealingWarmRestartsOptions }
  | { scheduler: 'LinearLR'; options?: LinearLROptions }
  | { scheduler: 'PolynomialLR'; options?: PolynomialLROptions }
  | { scheduler: 'OneCycleLR'; options: OneCycleLROptions }
  | { scheduler: 'CyclicLR'; options: CyclicLROptions }
  | {
      scheduler: 'SequentialLR';
      options: { schedulers: readonly LrScheduleSpec[]; milestones: readonly number[]; lastEpoch?: number };
    }
  | { scheduler: 'ChainedScheduler'; options: { schedulers: readonly LrScheduleSpec[] } }
) & { warmup?: WarmupOptions };

export type ScheduleSpec =
  | LrScheduleSpec
  | { scheduler: 'ReduceLROnPlateau'; options?: ReduceLROnPlateauOptions };

export const scheduleNames = [
  'FixedLR',
  'LambdaLR',
  'MultiplicativeLR',
  'ConstantLR',
  'StepLR',
  'MultiStepLR',
  'ExponentialLR',
  'CosineAnnealingLR',
  'CosineAnnealingWarmRestarts',
  'LinearLR',
  'PolynomialLR',
  'OneCycleLR',
  'CyclicLR',
  'SequentialLR',
  'ChainedScheduler',
  'ReduceLROnPlateau',
] as const;

/** Builds the scheduler a spec describes, on `optimizer` (which it changes, as any scheduler does). */
export function createScheduler(optimizer: SchedulableOptimizer, spec: LrScheduleSpec): LrScheduler;
export function createScheduler(
  optimizer: SchedulableOptimizer,
  spec: ScheduleSpec,
): LrScheduler | ReduceLROnPlateau;
export function createScheduler(
  optimizer: SchedulableOptimizer,
  spec: ScheduleSpec,
): LrScheduler | ReduceLROnPlateau {
  // A key beside these (`{ scheduler: 'StepLR', stepSize: 3 }`) belongs inside `options`.
  if (typeof spec === 'object' && spec !== null) {
    checkOptions<LrScheduleSpec>('createScheduler', spec as LrScheduleSpec, {
      scheduler: true,
      options: true,
      warmup: true,
    });
  }
  if (spec?.scheduler === 'ReduceLROnPlateau') {
    if ('warmup' in spec && spec.warmup !== undefined) {
      throw new RangeError(
        'createScheduler: ReduceLROnPlateau cannot take a warmup (its step needs a metric)',
      );
    }
    return new ReduceLROnPlateau(optimizer, spec.options);
  }
  const scheduler = build(optimizer, spec);
  return spec.warmup === undefined ? scheduler : withWarmup(scheduler, spec.warmup);
}

function build(optimizer: SchedulableOptimizer, spec: LrScheduleSpec): LrScheduler {
  switch (spec?.scheduler) {
    case 'FixedLR':
      return new FixedLR(optimizer, spec.options);
    case 'LambdaLR':
      return new LambdaLR(optimizer, spec.options);
    case 'MultiplicativeLR':
      return new MultiplicativeLR(optimizer, spec.options);
    case 'ConstantLR':
      return new ConstantLR(optimizer, spec.options);
    case 'StepLR':
      return new StepLR(optimizer, spec.options);
    case 'MultiStepLR':
      return new MultiStepLR(optimizer, spec.options);
    case 'ExponentialLR':
      return new ExponentialLR(optimizer, spec.options);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, spec.options);
    case 'CosineAnnealingWarmRestarts':
      return new CosineAnnealingWarmRestarts(optimizer, spec.options);
    case 'LinearLR':
      return new LinearLR(optimizer, spec.options);
    case 'PolynomialLR':
      return new PolynomialLR(optimizer, spec.options);
    case 'OneCycleLR':
      return new OneCycleLR(optimizer, spec.options);
    case 'CyclicLR':
      return new CyclicLR(optimizer, spec.options);
    case 'SequentialLR': {
      checkOptions('createScheduler: SequentialLR', spec.options, {
        schedulers: true,
        milestones: true,
        lastEpoch: true,
      });
      const built = buildChildren(optimizer, 'SequentialLR', spec.options?.schedulers);
      const { milestones, lastEpoch } = spec.options;
      return new SequentialLR(optimizer, built, milestones, lastEpoch === undefined ? {} : { lastEpoch });
    }
    case 'ChainedScheduler': {
      checkOptions('createScheduler: ChainedScheduler', spec.options, { schedulers: true });
      return new ChainedScheduler(buildChildren(optimizer, 'ChainedScheduler', spec.options?.schedulers));
    }
    default:
      throw new RangeError(
        `createScheduler: scheduler must be one of ${scheduleNames.join(', ')}, got ${describe((spec as { scheduler?: unknown })?.scheduler)}`,
      );
  }
}

/** The schedulers a SequentialLR or ChainedScheduler spec lists, built in order on `optimizer`. */
function buildChildren(optimizer: SchedulableOptimizer, who: string, children: unknown): LrScheduler[] {
  if (!Array.isArray(children)) {
    throw new TypeError(
      `createScheduler: ${who} options.schedulers must be an array of specs, got ${describe(children)}`,
    );
  }
  return children.map((child: LrScheduleSpec) => createScheduler(optimizer, child));
}

export interface LrValuesOptions {
  /** The optimizer's lr before the schedule. Default 0.1. */
  baseLr?: number;
  /** The group's momentum (what OneCycleLR cycles). Default 0; ignored when `betas` is given. */
  momentum?: number;
  /** Adam-style betas: OneCycleLR then cycles betas[0]. */
  betas?: [number, number];
  /** ReduceLROnPlateau only: the metric passed to each step (at least `steps` values). */
  metrics?: readonly number[];
}

/**
 * The learning rate (and momentum, or β₁) of a one-group optimizer under `spec`: `lr[0]` once the
 * scheduler is built (the lr of the first optimizer step), `lr[k]` after `k` calls of `step()`.
 */
export function lrValues(
  spec: ScheduleSpec,
  steps: number,
  options: LrValuesOptions = {},
): { lr: number[]; momentum: number[] } {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`lrValues: steps must be a non-negative integer, got ${describe(steps)}`);
  }
  checkOptions('lrValues', options, { baseLr: true, momentum: true, betas: true, metrics: true });
  const group: SchedulableGroup = { lr: options.baseLr ?? 0.1 };
  if (options.betas !== undefined) group.betas = [options.betas[0], options.betas[1]];
  else group.momentum = options.momentum ?? 0;
  const optimizer: SchedulableOptimizer = { paramGroups: [group] };
  const scheduler = createScheduler(optimizer, spec);
  const metrics = options.metrics;
  if (scheduler instanceof ReduceLROnPlateau && (metrics === undefined || metrics.length < steps)) {
    throw new RangeError(
      `lrValues: ReduceLROnPlateau needs metrics with at least ${steps} values (one per step), got ${metrics?.length ?? 'none'}`,
    );
  }
  const momentumOf = () => (group.betas !== undefined ? group.betas[0] : (group.momentum as number));
  const lr = [group.lr];
  const momentum = [momentumOf()];
  for (let k = 0; k < steps; k++) {
    if (scheduler instanceof ReduceLROnPlateau) scheduler.step(metrics![k]!);
    else scheduler.step();
    lr.push(group.lr);
    momentum.push(momentumOf());
  }
  return { lr, momentum };
}

/** The lr after `step` calls of `step()` (see `lrValues`); costs `step` steps. */
export function lrAt(spec: ScheduleSpec, step: number, options: LrValuesOptions = {}): number {
  return lrValues(spec, step, options).lr[step]!;
}
