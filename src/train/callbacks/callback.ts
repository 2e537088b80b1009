/**
 * The callback interface of `fit` (Keras's, trimmed): every method is optional and synchronous.
 *
 *   onTrainBegin(ctx)                 once, after a resumed state is restored, before the first epoch
 *   onEpochBegin(epoch, ctx)          epoch counted from 1
 *   onBatchEnd(logs, ctx)             for each optimizer step, with the batch's loss and lr, when fit
 *                                     reads the losses: every `logEvery` steps and at the epoch's end
 *   onEpochEnd(epoch, logs, ctx)      after the epoch's validation; logs is the History entry
 *   onCheckpoint(epoch, logs, ctx)    after every onEpochEnd: the state to save is final (not in an
 *                                     epoch the divergence guard stopped: keep the last good one)
 *   onTrainEnd(ctx)                   once, also after a stop; not after an error
 *
 * Steps read nothing from the device, so `onBatchEnd` runs late, in blocks: for steps k−n+1…k after
 * step k ran (`logs.step` names the step; `ctx.step` is the last step run). A callback stops training
 * with `ctx.stop(reason)` (sets `ctx.stopTraining`): from `onBatchEnd` the epoch ends at once (its
 * validation and `onEpochEnd` still run), but the steps already run after the one it stopped at stay
 * in the history — a divergence is noticed at the next read (`logEvery: 1` reads after every step);
 * from `onEpochEnd` no further epoch starts. It
 * reports problems with `ctx.warn(...)`, which lands in `history.warnings` and `onProgress`.
 *
 * Callbacks with state that matters for resuming (EarlyStopping's best value and weights) implement
 * `stateDict()` / `loadStateDict()`; `TrainingState` keeps them by position in the callbacks list.
 *
 * @example
 * const printer: Callback = {
 *   onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch}: loss ${logs.trainLoss.toFixed(4)}`),
 * };
 * fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 3, callbacks: [printer] });
 */
import type { Module } from '../../nn/module.js';
import type { OptimizerLike } from '../../optim/optimizer.js';
import type { History } from '../history.js';
import type { TrainingState } from '../training_state.js';
import type { EpochLogs, StepLogs, TrainingWarning } from '../types.js';

export interface TrainContext {
  readonly model: Module;
  readonly optimizer: OptimizerLike;
  readonly history: History;
  /** The last epoch this fit runs to (counted from 1). */
  readonly epochs: number;
  /** Whether validation data was given (so `valLoss` will be logged). */
  readonly hasValidation: boolean;
  /** The current epoch (from 1); 0 before the first. */
  readonly epoch: number;
  /** Optimizer steps taken in this fit so far (a resumed fit continues the count). */
  readonly step: number;
  /** The learning rate of the first parameter group now. */
  readonly lr: number;
  /** Set by `stop`; training ends after the current batch. */
  readonly stopTraining: boolean;
  /** Stops training; `reason` becomes `history.stopReason` (the first reason given wins). */
  stop(reason: string): void;
  /** Records a warning (`history.warnings`) and reports it to `onProgress`. */
  warn(warning: TrainingWarning): void;
  /** A snapshot of everything needed to resume from the end of the last completed epoch. */
  trainingState(): TrainingState;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onEpochBegin?(epoch: number, ctx: TrainContext): void;
  onBatchEnd?(logs: StepLogs, ctx: TrainContext): void;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainContext): void;
  /**
   * The last phase of an epoch, after every callback's `onEpochEnd`: the epoch's state is final (the
   * schedule has stepped, every callback has updated), so `ctx.trainingState()` taken here resumes
   * exactly. Checkpoints save here.
   */
  onCheckpoint?(epoch: number, logs: EpochLogs, ctx: TrainContext): void;
  onTrainEnd?(ctx: TrainContext): void;
  /** Plain data (JSON-able after `encodeNonFinite`) needed to resume this callback. */
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
}

/** The value of `key` in `logs`, or an error listing the keys that exist. */
export function monitored(who: string, key: string, logs: EpochLogs): number {
  const v = logs[key];
  if (typeof v !== 'number') {
    const keys = Object.keys(logs).filter((k) => typeof logs[k] === 'number' && k !== 'epoch');
    throw new RangeError(`${who}: monitor '${key}' is not in the epoch logs; available: ${keys.join(', ')}`);
  }
  return v;
}

/** 'auto' resolves to 'max' for accuracies and other scores, 'min' for losses and anything else. */
export function resolveMode(who: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
    throw new RangeError(`${who}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  }
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|f1|score/i.test(monitor) ? 'max' : 'min';
}

/** Throws when `monitor` is a validation key but fit has no validation data. */
export function requireValidation(who: string, monitor: string, ctx: TrainContext): void {
  if (monitor.startsWith('val') && !ctx.hasValidation) {
    throw new RangeError(
      `${who}: monitor '${monitor}' needs validation data; pass fit(…, { validation }) or monitor a training key such as 'trainLoss'`,
    );
  }
}

/**
 * A number formatted for messages: 3 significant digits without float noise (0.05, not
 * 0.05000000000000001); exponent form below 1e-3 and from 1e6 (1e-5, 2.5e+7).
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
}
