/**
 * `fit`'s options and their resolution into a `FitPlan`: every check, default and derived value, done
 * once before the first epoch (in the order the checks have always run, so the first error reported for
 * several bad options stays the same).
 */
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { ReduceLROnPlateau } from '../optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../optim/schedules/scheduler.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { describeValue, toBatchSource } from './batches.js';
import type { Callback } from './callbacks/callback.js';
import { DivergenceGuard, type DivergenceGuardOptions } from './callbacks/divergence_guard.js';
import { PlateauDetector, type PlateauDetectorOptions } from './callbacks/plateau_detector.js';
import { batchDefault } from './evaluation.js';
import { type Metric, type MetricSpec, resolveLoss, resolveMetrics } from './metrics.js';
import type { TrainingState } from './training_state.js';
import type { BatchSource, LossFn, LossSpec, ProgressEvent, TrainData } from './types.js';

/** A learning-rate schedule `fit` can step. */
export type Schedule = LrScheduler | ReduceLROnPlateau;

export interface RegularizationOptions {
  /** λ of the L1 penalty λ·Σ|w| added to the loss (default 0). */
  l1?: number;
  /** λ of the L2 penalty λ·Σw² added to the loss (default 0). */
  l2?: number;
  /** Penalize biases and normalization parameters too (default false, as the course does). */
  includeBiases?: boolean;
  /** Rescale the gradients so that their joint L2 norm is at most this (default: no clipping). */
  clipNorm?: number;
}

export interface FitOptions {
  /** An optimizer over the model's parameters, e.g. `new Adam(model.parameters(), { lr: 1e-3 })`. */
  optimizer: OptimizerLike;
  /** `(output, target) => scalar Tensor`, or 'crossEntropy' | 'mse' | 'l1' | 'bceWithLogits'. */
  loss: LossSpec;
  /** The last epoch to train (counted from 1; a resumed fit continues up to it). */
  epochs: number;
  /** Tensor data only: samples per batch (default 32). */
  batchSize?: number;
  /** Tensor data only: reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Tensor data only: seed of the shuffling (default 0). */
  seed?: number;
  /** An lr schedule built on `optimizer`. */
  schedule?: Schedule;
  /** When an `LrScheduler` steps: after every optimizer 'step' or every 'epoch' (default). */
  scheduleInterval?: 'step' | 'epoch';
  regularization?: RegularizationOptions;
  callbacks?: readonly Callback[];
  /** Default: accuracy when the targets are class indices (int32) and the output has a class axis. */
  metrics?: readonly MetricSpec[];
  /** Evaluated after every epoch, in evaluation mode; adds `valLoss` and `val…` metrics to the logs. */
  validation?: TrainData;
  /** Options of the default divergence guard, or false for none. */
  divergenceGuard?: DivergenceGuardOptions | false;
  /** Options of the default plateau detector, or false for none. */
  plateauDetector?: PlateauDetectorOptions | false;
  /** Print one line per epoch (and each warning) with console.log (default false). */
  verbose?: boolean;
  /** Called after each batch, each epoch and each warning (progress bars). */
  onProgress?: (event: ProgressEvent) => void;
  /** Continue a run from this state (see `TrainingState`). */
  resume?: TrainingState;
  /**
   * Read the step losses from the device every this many steps (default 50), and at each epoch's end;
   * `onBatchEnd` and the batch progress events of those steps come then, in order. Steps read nothing
   * in between, so a GPU runs ahead and a captured step replays without stalls. Results do not depend
   * on it, only when callbacks see a step: a divergence is noticed (and training stopped) at the next
   * read. 1 reads after every step; Infinity only at epoch ends.
   */
  logEvery?: number;
  /**
   * Run each step's closure (zeroGrad, forward, loss, penalties, backward, clipping) through a
   * captured step (default true): traced once per batch shape, then replayed without the step's
   * JavaScript, bit-identical to `capture: false`, which runs every step eagerly. A step that cannot be
   * captured runs eagerly from then on, and `history.capture.fallback` says why.
   */
  capture?: boolean;
}

/** `logEvery`'s default: a read every 50 steps costs nothing measurable, and callbacks stay timely. */
export const LOG_EVERY_DEFAULT = 50;

const FIT_KEYS: OptionKeys<FitOptions> = {
  optimizer: true,
  loss: true,
  epochs: true,
  batchSize: true,
  shuffle: true,
  seed: true,
  schedule: true,
  scheduleInterval: true,
  regularization: true,
  callbacks: true,
  metrics: true,
  validation: true,
  divergenceGuard: true,
  plateauDetector: true,
  verbose: true,
  onProgress: true,
  resume: true,
  logEvery: true,
  capture: true,
};

/** What one step adds to the data loss and does to the gradients (see `trainer.ts`'s module comment). */
export interface Penalties {
  l1: number;
  l2: number;
  clipNorm: number | undefined;
  /** The parameters the penalties and the clipping apply to: the model's trainable ones. */
  trainable: Tensor[];
  penaltyOptions: { includeBiases: boolean };
}

/** `fit`'s options checked, defaulted and resolved. */
export interface FitPlan {
  who: string;
  optimizer: OptimizerLike;
  lossFn: LossFn;
  epochs: number;
  schedule: Schedule | undefined;
  interval: 'step' | 'epoch';
  penalties: Penalties;
  /** null: chosen by the first batch (accuracy for classification, none otherwise). */
  metrics: Metric[] | null;
  source: BatchSource;
  validation: BatchSource | undefined;
  /** The user's callbacks with the default divergence guard first and plateau detector last. */
  callbacks: Callback[];
  verbose: boolean;
  onProgress: ((event: ProgressEvent) => void) | undefined;
  resume: TrainingState | undefined;
  /** Steps between two reads of the step losses (a positive integer or Infinity). */
  logEvery: number;
  capture: boolean;
}

/** Checks `options` (the model is already checked) and resolves them into a `FitPlan`. */
export function resolveFitOptions(model: Module, data: TrainData, options: FitOptions): FitPlan {
  const who = 'fit';
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${who}: options { optimizer, loss, epochs, … } are required`);
  }
  checkOptions(who, options, FIT_KEYS);
  const optimizer = checkOptimizer(model, options.optimizer);
  const lossFn = resolveLoss(who, options.loss);
  const epochs = options.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`${who}: epochs must be a positive integer, got ${describeValue(epochs)}`);
  }
  const schedule = checkSchedule(options.schedule, optimizer);
  const interval = checkInterval(schedule, options.scheduleInterval ?? 'epoch');
  const penalties = resolvePenalties(model, options.regularization ?? {});
  const metrics = options.metrics === undefined ? null : resolveMetrics(who, options.metrics);
  const source = toBatchSource(who, 'data', data, {
    batchSize: options.batchSize,
    shuffle: options.shuffle ?? true,
    seed: options.seed,
  });
  const validation =
    options.validation === undefined
      ? undefined
      : toBatchSource(who, 'validation', options.validation, {
          batchSize: batchDefault(options.validation),
          shuffle: false,
        });
  return {
    who,
    optimizer,
    lossFn,
    epochs,
    schedule,
    interval,
    penalties,
    metrics,
    source,
    validation,
    callbacks: buildCallbacks(options),
    verbose: options.verbose ?? false,
    onProgress: options.onProgress,
    resume: options.resume,
    logEvery: checkLogEvery(options.logEvery ?? LOG_EVERY_DEFAULT),
    capture: checkCapture(options.capture ?? true),
  };
}

function checkCapture(v: unknown): boolean {
  if (typeof v !== 'boolean') {
    throw new TypeError(
      `fit: capture must be true (captured steps) or false (eager steps), got ${describeValue(v)}`,
    );
  }
  return v;
}

function checkLogEvery(v: unknown): number {
  if (v !== Infinity && !(Number.isInteger(v) && (v as number) >= 1)) {
    throw new RangeError(
      `fit: logEvery must be a positive integer (steps between two reads of the losses) or Infinity (epoch ends only), got ${describeValue(v)}`,
    );
  }
  return v as number;
}

function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new RangeError(`fit: ${name} must be a non-negative number, got ${describeValue(v)}`);
  }
  return v;
}

function resolvePenalties(model: Module, reg: RegularizationOptions): Penalties {
  checkOptions('fit: regularization', reg, { l1: true, l2: true, includeBiases: true, clipNorm: true });
  const l1 = nonNegative('regularization.l1', reg.l1 ?? 0);
  const l2 = nonNegative('regularization.l2', reg.l2 ?? 0);
  const clipNorm =
    reg.clipNorm === undefined ? undefined : nonNegative('regularization.clipNorm', reg.clipNorm);
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  return { l1, l2, clipNorm, trainable, penaltyOptions: { includeBiases: reg.includeBiases ?? false } };
}

function checkOptimizer(model: Module, optimizer: unknown): OptimizerLike {
  const opt = optimizer as OptimizerLike | undefined;
  if (opt === undefined || opt === null) {
    throw new TypeError(
      'fit: options.optimizer is required: an optimizer over the model, e.g. new Adam(model.parameters(), { lr: 1e-3 })',
    );
  }
  if (typeof opt !== 'object' || typeof opt.step !== 'function' || !Array.isArray(opt.paramGroups)) {
    throw new TypeError(
      `fit: optimizer must be an optimizer (SGD, Adam, …), got ${describeValue(optimizer)}`,
    );
  }
  const own = new Set(model.parameters());
  if (!(opt.paramGroups as OptimizerLike['paramGroups']).some((g) => g.params.some((p) => own.has(p)))) {
    throw new RangeError(
      "fit: the optimizer holds none of the model's parameters (was it built for another model?)",
    );
  }
  return opt;
}

function checkSchedule(schedule: unknown, optimizer: OptimizerLike): Schedule | undefined {
  if (schedule === undefined) return undefined;
  const s = schedule as Schedule;
  if (s === null || typeof s !== 'object' || typeof s.step !== 'function' || !('optimizer' in s)) {
    throw new TypeError(
      `fit: schedule must be an lr schedule (StepLR, ReduceLROnPlateau, …), got ${describeValue(schedule)}`,
    );
  }
  if (s.optimizer.paramGroups[0] !== optimizer.paramGroups[0]) {
    throw new RangeError('fit: the schedule was built on another optimizer; build it on options.optimizer');
  }
  return s;
}

function checkInterval(schedule: Schedule | undefined, interval: unknown): 'step' | 'epoch' {
  if (interval !== 'step' && interval !== 'epoch') {
    throw new RangeError(`fit: scheduleInterval must be 'step' or 'epoch', got ${describeValue(interval)}`);
  }
  if (schedule instanceof ReduceLROnPlateau && interval === 'step') {
    throw new RangeError(
      "fit: ReduceLROnPlateau steps once per epoch with a metric; use scheduleInterval 'epoch'",
    );
  }
  return interval;
}

/** The user's callbacks, with a default `DivergenceGuard` first and `PlateauDetector` last unless given or off. */
function buildCallbacks(options: FitOptions): Callback[] {
  const userCallbacks = options.callbacks ?? [];
  if (!Array.isArray(userCallbacks) || userCallbacks.some((c) => c === null || typeof c !== 'object')) {
    throw new TypeError(
      `fit: callbacks must be an array of callback objects, got ${describeValue(userCallbacks)}`,
    );
  }
  const callbacks: Callback[] = [...userCallbacks];
  if (options.divergenceGuard !== false && !callbacks.some((c) => c instanceof DivergenceGuard)) {
    callbacks.unshift(new DivergenceGuard(options.divergenceGuard ?? {}));
  }
  if (options.plateauDetector !== false && !callbacks.some((c) => c instanceof PlateauDetector)) {
    callbacks.push(new PlateauDetector(options.plateauDetector ?? {}));
  }
  return callbacks;
}
