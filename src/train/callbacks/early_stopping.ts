/**
 * EarlyStopping (the course's 及早停止; Keras's callback): stops training when a monitored value has
 * not improved for `patience` epochs, and can put back the weights of the best epoch.
 *
 * After each epoch, with v = logs[monitor]:
 *   improved = v < best − minDelta   (mode 'min')      v > best + minDelta   (mode 'max')
 *   if improved: best ← v, wait ← 0, remember the epoch (and a copy of the weights)
 *   else: wait += 1; if wait ≥ patience: stop
 * A NaN value never improves. With patience 2 and the best value at epoch 3, training stops at the
 * end of epoch 5.
 *
 * `restoreBestWeights` loads the state dict (parameters and buffers, e.g. BatchNorm's running
 * statistics) of the best epoch when training ends — after an early stop *and* when the last epoch is
 * reached without one (unlike Keras before 2.11), so the model `fit` leaves behind is always the best
 * one seen. `bestEpoch` and `best` say which.
 *
 * Defaults: monitor 'valLoss', mode 'auto' ('max' for accuracies, 'min' otherwise), patience 0,
 * minDelta 0, restoreBestWeights false. A `val…` monitor without validation data is an error at the
 * start of `fit`.
 *
 * @example
 * fit(model, data, { …, validation, callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */

import { noGrad } from '../../autograd/tape.js';
import { clone } from '../../ops/shape_ops.js';
import { tensor } from '../../tensor/creation.js';
import type { DType, TypedArray } from '../../tensor/dtype.js';
import { keepStorage, scope } from '../../tensor/storage.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import type { EpochLogs } from '../types.js';
import {
  type Callback,
  formatNumber,
  monitored,
  requireValidation,
  resolveMode,
  type TrainContext,
} from './callback.js';

export interface EarlyStoppingOptions {
  /** The log key to watch (default 'valLoss'). */
  monitor?: string;
  /** 'min', 'max' or 'auto' (default: 'max' for accuracies, 'min' otherwise). */
  mode?: 'auto' | 'min' | 'max';
  /** Epochs without improvement before stopping (default 0: stop at the first epoch that does not improve). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the best epoch's weights when training ends (default false). */
  restoreBestWeights?: boolean;
}

interface SavedWeights {
  shape: number[];
  dtype: DType;
  /** A typed array from `stateDict()` (a training state stores it as a tensor); plain arrays load too. */
  data: TypedArray | number[];
}

interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number | null;
  wait: number;
  bestWeights: Record<string, SavedWeights> | null;
}

export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly modeOption: 'auto' | 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  /** The best value so far (null before the first epoch). */
  best: number | null = null;
  /** The epoch (from 1) of the best value. */
  bestEpoch: number | null = null;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch at which this callback stopped training, or null. */
  stoppedEpoch: number | null = null;
  private mode: 'min' | 'max' = 'min';
  private bestWeights: Map<string, Tensor> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    const who = 'EarlyStopping';
    checkOptions(who, options, {
      monitor: true,
      mode: true,
      patience: true,
      minDelta: true,
      restoreBestWeights: true,
    });
    this.monitor = options.monitor ?? 'valLoss';
    if (typeof this.monitor !== 'string' || this.monitor === '') {
      throw new TypeError(
        `${who}: monitor must be a log key such as 'valLoss', got ${JSON.stringify(options.monitor)}`,
      );
    }
    this.modeOption = options.mode ?? 'auto';
    this.mode = resolveMode(who, this.modeOption, this.monitor);
    this.patience = options.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new RangeError(`${who}: patience must be a non-negative integer, got ${options.patience}`);
    }
    this.minDelta = options.minDelta ?? 0;
    if (!(this.minDelta >= 0) || !Number.isFinite(this.minDelta)) {
      throw new RangeError(`${who}: minDelta must be a non-negative number, got ${options.minDelta}`);
    }
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  private improved(v: number): boolean {
    if (Number.isNaN(v)) return false;
    if (this.best === null) return true;
    return this.mode === 'min' ? v < this.best - this.minDelta : v > this.best + this.minDelta;
  }

  onTrainBegin(ctx: TrainContext): void {
    requireValidation('EarlyStopping', this.monitor, ctx);
    this.stoppedEpoch = null;
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    const v = monitored('EarlyStopping', this.monitor, logs);
    if (this.improved(v)) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.snapshot(ctx);
      return;
    }
    this.wait += 1;
    if (this.wait >= this.patience && !ctx.stopTraining) {
      this.stoppedEpoch = epoch;
      ctx.stop(
        `early stopping at epoch ${epoch}: ${this.monitor} has not improved for ${this.wait} epoch${this.wait === 1 ? '' : 's'} (best ${formatNumber(this.best ?? Number.NaN)} at epoch ${this.bestEpoch ?? '-'})`,
      );
    }
  }

  onTrainEnd(ctx: TrainContext): void {
    if (!this.restoreBestWeights || this.bestWeights === null) return;
    const last = ctx.history.last?.epoch;
    if (last !== this.bestEpoch) scope(() => void ctx.model.loadStateDict(this.bestWeights!));
  }

  private snapshot(ctx: TrainContext): void {
    this.release();
    const copies = new Map<string, Tensor>();
    noGrad(() => {
      for (const [name, t] of ctx.model.stateDict()) {
        const c = clone(t);
        keepStorage(c.storage);
        copies.set(name, c);
      }
    });
    this.bestWeights = copies;
  }

  private release(): void {
    if (this.bestWeights !== null) for (const t of this.bestWeights.values()) t.dispose();
    this.bestWeights = null;
  }

  stateDict(): EarlyStoppingState {
    let bestWeights: Record<string, SavedWeights> | null = null;
    if (this.bestWeights !== null) {
      bestWeights = {};
      for (const [k, t] of this.bestWeights) {
        bestWeights[k] = { shape: [...t.shape], dtype: t.dtype, data: t.data() };
      }
    }
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait, bestWeights };
  }

  /** Restores what `stateDict()` returned, checked first (a refused state changes nothing). */
  loadStateDict(state: unknown): void {
    const s = checkedState(state);
    this.best = s.best;
    this.bestEpoch = s.bestEpoch;
    this.wait = s.wait;
    this.release();
    if (s.bestWeights !== null && s.bestWeights !== undefined) {
      const weights = new Map<string, Tensor>();
      for (const [k, w] of Object.entries(s.bestWeights)) {
        const t = tensor(w.data, { shape: w.shape, dtype: w.dtype });
        keepStorage(t.storage);
        weights.set(k, t);
      }
      this.bestWeights = weights;
    }
  }
}

function checkedState(state: unknown): EarlyStoppingState {
  const who = 'EarlyStopping.loadStateDict';
  const s = state as EarlyStoppingState | null;
  if (s === null || typeof s !== 'object') {
    throw new TypeError(`${who}: expected the object returned by stateDict()`);
  }
  if (!Number.isInteger(s.wait) || s.wait < 0)
    throw new RangeError(`${who}: wait must be a non-negative integer, got ${String(s.wait)}`);
  if (s.best !== null && typeof s.best !== 'number')
    throw new RangeError(`${who}: best must be a number or null, got ${String(s.best)}`);
  if (s.bestEpoch !== null && (!Number.isInteger(s.bestEpoch) || s.bestEpoch < 1))
    throw new RangeError(
      `${who}: bestEpoch must be an epoch (an integer from 1) or null, got ${String(s.bestEpoch)}`,
    );
  if (s.bestWeights !== null && s.bestWeights !== undefined) {
    if (typeof s.bestWeights !== 'object')
      throw new RangeError(`${who}: bestWeights must be a record of tensors or null`);
    for (const [k, w] of Object.entries(s.bestWeights)) {
      const ok =
        w !== null &&
        typeof w === 'object' &&
        ['float32', 'float64', 'int32'].includes(w.dtype) &&
        Array.isArray(w.shape) &&
        w.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
        (Array.isArray(w.data) || ArrayBuffer.isView(w.data)) &&
        w.data.length === w.shape.reduce((a, d) => a * d, 1);
      if (!ok)
        throw new RangeError(
          `${who}: bestWeights['${k}'] must be { shape, dtype, data } with as many values as its shape holds`,
        );
    }
  }
  return s;
}
