/**
 * PlateauDetector: warns when the training loss barely moves — in the course's terms, "when the
 * objective changes too slowly, the learning rate is too low".
 *
 * Over the last `window` steps (batch losses across epochs), with m₁ the mean of the older half and m₂
 * of the newer half, and L₀ the mean of the fit's first half-window:
 *
 *   warn when |m₁ − m₂| / |m₁| < tolerance   (the loss barely moves)
 *         and m₂ > (1 − maxProgress) · L₀     (and has not come down much since the start)
 *
 * The second condition keeps converged runs, whose loss is also flat but far below where it began,
 * from being told their learning rate is too low. The warning (`plateau`, with `suggestedLr` = lr·10)
 * reads "loss barely moved over the last 200 steps (2.3 → 2.29, −0.2%) at epoch 3, step 600 with lr
 * 1e-5: the learning rate may be too low; try 1e-4". By default it warns once per fit and does not stop
 * training (`stop: true` stops it).
 *
 * Defaults: window 200, tolerance 0.01, maxProgress 0.1, once true, stop false. `fit` adds a detector
 * with the defaults unless `plateauDetector: false` or the callbacks already hold one.
 *
 * @example
 * fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 5, plateauDetector: { window: 50 } });
 */
import { checkOptions } from '../../util/options.js';
import type { StepLogs } from '../types.js';
import { type Callback, formatNumber, type TrainContext } from './callback.js';

export interface PlateauDetectorOptions {
  /** Steps compared, an even number ≥ 4 (default 200). */
  window?: number;
  /** Largest relative change between the two halves that counts as flat (default 0.01). */
  tolerance?: number;
  /** Warn only while the loss is above (1 − maxProgress) × its starting level (default 0.1; 1 disables). */
  maxProgress?: number;
  /** Warn at most once per fit (default true). */
  once?: boolean;
  /** Also stop training (default false). */
  stop?: boolean;
}

export class PlateauDetector implements Callback {
  readonly window: number;
  readonly tolerance: number;
  readonly maxProgress: number;
  readonly once: boolean;
  readonly stop: boolean;
  private losses: number[] = [];
  private startLevel: number | null = null;
  private warned = false;

  constructor(options: PlateauDetectorOptions = {}) {
    checkOptions('PlateauDetector', options, {
      window: true,
      tolerance: true,
      maxProgress: true,
      once: true,
      stop: true,
    });
    this.window = options.window ?? 200;
    this.tolerance = options.tolerance ?? 0.01;
    this.maxProgress = options.maxProgress ?? 0.1;
    this.once = options.once ?? true;
    this.stop = options.stop ?? false;
    if (!Number.isInteger(this.window) || this.window < 4 || this.window % 2 !== 0) {
      throw new RangeError(`PlateauDetector: window must be an even integer ≥ 4, got ${options.window}`);
    }
    if (!(this.tolerance > 0)) {
      throw new RangeError(`PlateauDetector: tolerance must be a positive number, got ${options.tolerance}`);
    }
    if (!(this.maxProgress > 0 && this.maxProgress <= 1)) {
      throw new RangeError(`PlateauDetector: maxProgress must be in (0, 1], got ${options.maxProgress}`);
    }
  }

  onTrainBegin(ctx: TrainContext): void {
    // A resumed fit continues from the losses of the original run.
    const past = ctx.history.stepLosses.filter((l) => Number.isFinite(l));
    const half = this.window / 2;
    this.startLevel = past.length >= half ? mean(past.slice(0, half)) : null;
    this.losses = past.slice(-this.window);
    this.warned = false;
  }

  onBatchEnd(logs: StepLogs, ctx: TrainContext): void {
    if (!Number.isFinite(logs.loss)) return;
    const half = this.window / 2;
    this.losses.push(logs.loss);
    if (this.losses.length > this.window) this.losses.shift();
    if (this.startLevel === null && this.losses.length === half) this.startLevel = mean(this.losses);
    if (this.losses.length < this.window || (this.once && this.warned)) return;
    const m1 = mean(this.losses.slice(0, half));
    const m2 = mean(this.losses.slice(half));
    const change = Math.abs(m1 - m2) / Math.max(Math.abs(m1), Number.MIN_VALUE);
    const start = this.startLevel!;
    if (change >= this.tolerance || !(m2 > (1 - this.maxProgress) * start)) return;
    this.warned = true;
    const suggestedLr = logs.lr * 10;
    const percent = ((m2 - m1) / Math.abs(m1)) * 100;
    const message = `loss barely moved over the last ${this.window} steps (${formatNumber(m1)} → ${formatNumber(m2)}, ${percent < 0 ? '−' : '+'}${formatNumber(Math.abs(percent))}%) at epoch ${logs.epoch}, step ${logs.step} with lr ${formatNumber(logs.lr)}: the learning rate may be too low; try ${formatNumber(suggestedLr)}`;
    ctx.warn({
      kind: 'plateau',
      message,
      epoch: logs.epoch,
      step: logs.step,
      lr: logs.lr,
      loss: m2,
      suggestedLr,
    });
    if (this.stop) ctx.stop(message);
    // Compare fresh windows from here on (when not `once`).
    this.losses = [];
  }
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
