/**
 * DivergenceGuard: stops training when the loss diverges and says why in the course's terms — "when
 * the objective becomes NaN, the learning rate is usually too high".
 *
 * After every step, with L the batch loss and L₀ the first finite loss of the fit:
 *   - L is NaN or ±Infinity                        → "loss became NaN at epoch 2, step 140 with lr 0.5: …"
 *   - L > explosionFactor · L₀  (and L₀ > 0)       → "loss exploded to 3.1e+5 (1.4e+5× its first value 2.3) …"
 *   - L > maxLoss                                  → "loss exploded to … (above maxLoss 1e+4) …"
 * then it records a `divergence` warning (with `suggestedLr` = lr/10), sets `history.stopReason` to the
 * same message and stops training after that batch; `fit` then skips that epoch's `onCheckpoint`, so
 * checkpoints keep the last good epoch (and `descent train` exits with code 3). NaN alone is not
 * enough: PyTorch measurements on a small ReLU MLP show SGD at lr 10 and Adam at lr 1–10 reaching
 * losses of 1e2–1e24 while staying finite, hence the explosion tests.
 *
 * Defaults: explosionFactor 1e3, maxLoss Infinity (off). `fit` adds a guard with the defaults unless
 * `divergenceGuard: false` or the callbacks already hold one.
 *
 * @example
 * fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 10, divergenceGuard: { explosionFactor: 100 } });
 */
import { checkOptions } from '../../util/options.js';
import type { StepLogs } from '../types.js';
import { type Callback, formatNumber, type TrainContext } from './callback.js';

export interface DivergenceGuardOptions {
  /** Stop when the loss exceeds this multiple of the fit's first finite loss (default 1e3). */
  explosionFactor?: number;
  /** Stop when the loss exceeds this absolute value (default Infinity: off). */
  maxLoss?: number;
}

export class DivergenceGuard implements Callback {
  readonly explosionFactor: number;
  readonly maxLoss: number;
  /** The first finite loss of the current fit (the reference for the explosion test). */
  firstLoss: number | null = null;

  constructor(options: DivergenceGuardOptions = {}) {
    checkOptions('DivergenceGuard', options, { explosionFactor: true, maxLoss: true });
    this.explosionFactor = options.explosionFactor ?? 1e3;
    this.maxLoss = options.maxLoss ?? Infinity;
    if (!(this.explosionFactor > 1)) {
      throw new RangeError(
        `DivergenceGuard: explosionFactor must be a number above 1, got ${options.explosionFactor}`,
      );
    }
    if (!(this.maxLoss > 0)) {
      throw new RangeError(`DivergenceGuard: maxLoss must be a positive number, got ${options.maxLoss}`);
    }
  }

  onTrainBegin(ctx: TrainContext): void {
    // A resumed fit keeps the reference of the original run.
    this.firstLoss = ctx.history.stepLosses.find((l) => Number.isFinite(l)) ?? null;
  }

  onBatchEnd(logs: StepLogs, ctx: TrainContext): void {
    const { loss } = logs;
    let what: string | null = null;
    if (!Number.isFinite(loss)) {
      what = `loss became ${loss}`;
    } else {
      if (this.firstLoss === null) this.firstLoss = loss;
      const first = this.firstLoss;
      if (first > 0 && loss > this.explosionFactor * first) {
        what = `loss exploded to ${formatNumber(loss)} (${formatNumber(loss / first)}× its first value ${formatNumber(first)})`;
      } else if (loss > this.maxLoss) {
        what = `loss exploded to ${formatNumber(loss)} (above maxLoss ${formatNumber(this.maxLoss)})`;
      }
    }
    if (what === null) return;
    const suggestedLr = logs.lr / 10;
    const message = `${what} at epoch ${logs.epoch}, step ${logs.step} with lr ${formatNumber(logs.lr)}: the learning rate is very likely too high; try ${formatNumber(suggestedLr)} or lower`;
    ctx.warn({
      kind: 'divergence',
      message,
      epoch: logs.epoch,
      step: logs.step,
      lr: logs.lr,
      loss,
      suggestedLr,
    });
    ctx.stop(message);
  }
}
