/**
 * `lrDiagnostics`: the trainer's learning-rate diagnostics as data, for any sequence of step losses —
 * a training run's, or an optimizer's path on a 2-D surface. It runs the same callbacks `fit` adds by
 * default, in the same order, over the losses: `DivergenceGuard` ("…: the learning rate is very likely
 * too high; try …") and `PlateauDetector` ("…: the learning rate may be too low; try …"), and returns
 * the warnings they record (the `TrainingWarning`s of `History.warnings`, same messages and suggested
 * learning rates) and where a divergence would have stopped training. The lab shows these without any
 * rule of its own; the numbers and words are the trainer's.
 *
 * @example
 * const { loss } = runTrajectory({ fn: 'quadratic', optimizer: 'sgd', options: { lr: 0.1 }, steps: 50 });
 * lrDiagnostics(loss.slice(1), { lr: 0.1 }).warnings[0]?.message;
 * // 'loss exploded to … at epoch 1, step 12 with lr 0.1: the learning rate is very likely too high; try 0.01 or lower'
 */
import { checkOptions } from '../util/options.js';
import type { Callback, TrainContext } from './callbacks/callback.js';
import { DivergenceGuard, type DivergenceGuardOptions } from './callbacks/divergence_guard.js';
import { PlateauDetector, type PlateauDetectorOptions } from './callbacks/plateau_detector.js';
import { History } from './history.js';
import type { StepLogs, TrainingWarning } from './types.js';

export interface LrDiagnosticsOptions {
  /** The learning rate of every step: one number, or one per loss. */
  lr: number | readonly number[];
  /** Steps per epoch, for the epoch and batch the messages name (default: every step in epoch 1). */
  stepsPerEpoch?: number;
  /** The divergence guard's options (as `fit`'s), or false for none. */
  divergenceGuard?: DivergenceGuardOptions | false;
  /** The plateau detector's options (as `fit`'s), or false for none. */
  plateauDetector?: PlateauDetectorOptions | false;
}

export interface LrDiagnostics {
  /** The warnings in the order the trainer would record them. */
  warnings: TrainingWarning[];
  /** The index in `losses` after which the divergence guard stops training, or null. */
  stoppedAt: number | null;
  /** The stop message (`history.stopReason` of a fit), or null. */
  stopReason: string | null;
}

/** See the module comment. `losses[k]` is the loss of optimizer step k + 1 (the step's batch loss). */
export function lrDiagnostics(losses: readonly number[], options: LrDiagnosticsOptions): LrDiagnostics {
  const who = 'lrDiagnostics';
  checkOptions(who, options, { lr: true, stepsPerEpoch: true, divergenceGuard: true, plateauDetector: true });
  if (!Array.isArray(losses)) throw new TypeError(`${who}: losses must be an array of numbers`);
  const lrOf = learningRates(who, options.lr, losses.length);
  const perEpoch = options.stepsPerEpoch ?? Math.max(1, losses.length);
  if (!Number.isInteger(perEpoch) || perEpoch < 1) {
    throw new RangeError(`${who}: stepsPerEpoch must be a positive integer, got ${options.stepsPerEpoch}`);
  }
  const callbacks: Callback[] = [];
  if (options.divergenceGuard !== false) callbacks.push(new DivergenceGuard(options.divergenceGuard ?? {}));
  if (options.plateauDetector !== false) callbacks.push(new PlateauDetector(options.plateauDetector ?? {}));
  const ctx = new DiagnosticContext();
  for (const c of callbacks) c.onTrainBegin?.(ctx);
  let stoppedAt: number | null = null;
  for (let k = 0; k < losses.length && stoppedAt === null; k++) {
    const logs: StepLogs = {
      epoch: Math.floor(k / perEpoch) + 1,
      batch: k % perEpoch,
      step: k + 1,
      loss: losses[k]!,
      lr: lrOf(k),
      size: 1,
    };
    ctx.history.stepLosses.push(logs.loss);
    ctx.history.stepLrs.push(logs.lr);
    for (const c of callbacks) c.onBatchEnd?.(logs, ctx);
    if (ctx.stopTraining) stoppedAt = k;
  }
  return { warnings: ctx.history.warnings, stoppedAt, stopReason: ctx.history.stopReason };
}

function learningRates(who: string, lr: unknown, n: number): (k: number) => number {
  if (typeof lr === 'number' && Number.isFinite(lr)) return () => lr;
  if (Array.isArray(lr) && lr.length === n && lr.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return (k) => lr[k] as number;
  }
  throw new RangeError(
    `${who}: lr must be a finite number or an array of ${n} finite numbers (one per loss), got ${Array.isArray(lr) ? `an array of ${lr.length}` : String(lr)}`,
  );
}

/**
 * The part of a training context the two callbacks use: the history, `warn` and `stop`. There is no
 * model or optimizer here; a callback reaching for one would be a bug, so those throw.
 */
class DiagnosticContext implements TrainContext {
  readonly history = new History();
  readonly epochs = 1;
  readonly hasValidation = false;
  readonly epoch = 1;
  readonly step = 0;
  readonly lr = Number.NaN;
  stopTraining = false;

  get model(): never {
    throw new Error('lrDiagnostics: the diagnostics have no model');
  }

  get optimizer(): never {
    throw new Error('lrDiagnostics: the diagnostics have no optimizer');
  }

  stop(reason: string): void {
    this.stopTraining = true;
    this.history.stopReason ??= reason;
  }

  warn(warning: TrainingWarning): void {
    this.history.warnings.push(warning);
  }

  trainingState(): never {
    throw new Error('lrDiagnostics: the diagnostics have no training state');
  }
}
