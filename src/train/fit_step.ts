/**
 * One optimizer step of `fit` (see `trainer.ts`'s module comment for what it computes).
 *
 * A step is the hot path, so a `FitStep` is built once per `fit` and allocates no closures per step:
 * the closure handed to `optimizer.step`, the scoped step body and the metric update are bound once here,
 * and the step's batch, output and loss live in fields (cleared at the end of each step so no released
 * tensor is kept alive).
 *
 * A step reads nothing from the device: its data loss is copied into the `losses` log (read as a block
 * by the epoch, see `fit_epoch.ts`) and the metrics accumulate on the device.
 *
 * With `capture` (fit's default) the closure's work — zeroGrad, forward, loss, penalties, backward,
 * clipping — runs through a captured step (src/capture/): traced once per batch shape, then replayed
 * without the step's JavaScript, bit-identical to running it eagerly. The optimizer update stays
 * outside, after the closure. A step that cannot be captured (clipping reads the gradient norm on the
 * host) runs eagerly from then on; `captureStats.fallback` says why. The JavaScript state the step
 * reads (training mode, loss function, which parameters train) must not change within an epoch;
 * between epochs it may (each epoch starts from fresh traces, see `newEpoch`).
 */
import { noGrad } from '../autograd/tape.js';
import { type CapturedStep, type CaptureStats, capture } from '../capture/capture.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { clipGradNorm_, l1Penalty, l2Penalty } from '../optim/regularization.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBatch } from './batches.js';
import { checkLoss, isClassification, withContext } from './evaluation.js';
import type { Penalties } from './fit_options.js';
import { accuracy, type Metric } from './metrics.js';
import type { ScalarLog } from './scalar_log.js';
import type { Batch, LossFn } from './types.js';

/** What a `FitStep` is built from. */
export interface FitStepSpec {
  who: string;
  model: Module;
  optimizer: OptimizerLike;
  lossFn: LossFn;
  penalties: Penalties;
  /** null: chosen by the first batch (accuracy for classification, none otherwise). */
  metrics: Metric[] | null;
  /** Where each step's data loss goes (on the device). */
  losses: ScalarLog;
  /** Run the closure's work through a captured step (see the module comment). */
  capture: boolean;
}

/** What the step body leaves for after the optimizer update: the output and the data loss. */
interface StepResult {
  output: Tensor;
  dataLoss: Tensor;
}

export class FitStep {
  /** The training metrics, resolved by the first step when the options left them to the data. */
  metrics: Metric[] | null;
  /**
   * The last step's data loss when the optimizer returned it as a number (a foreign optimizer that read
   * it already), else null: the loss was pushed to `spec.losses`. Valid after `run` returned true, as `size` is.
   */
  loss: number | null = null;
  size = 0;
  /** Whether `metrics` were chosen by this fit (from the first batch), not given by the caller. */
  readonly ownMetrics: boolean;
  private readonly captured: CapturedStep<[Tensor, Tensor], StepResult> | null;

  private it: Iterator<Batch> | null = null;
  private epoch = 0;
  private batch = 0;
  private x: Tensor | null = null;
  private y: Tensor | null = null;
  private output: Tensor | null = null;
  private dataLoss: Tensor | null = null;

  /** The device log of the data losses (read by the epoch every `logEvery` steps). */
  get losses(): ScalarLog {
    return this.spec.losses;
  }

  constructor(private readonly spec: FitStepSpec) {
    this.metrics = spec.metrics;
    this.ownMetrics = spec.metrics === null;
    this.captured = spec.capture
      ? capture({ step: this.body, params: spec.model.parameters(), name: spec.who })
      : null;
  }

  /** How the captured step ran so far (null with `capture: false`): traces, replays, eager steps, fallback. */
  get captureStats(): CaptureStats | null {
    return this.captured?.stats ?? null;
  }

  /** Before an epoch: the next steps trace afresh, so callbacks may change the model between epochs. */
  newEpoch(): void {
    this.captured?.invalidate();
  }

  /** Releases what the captured step owns. */
  dispose(): void {
    this.captured?.dispose();
  }

  /**
   * Pulls the next batch from `it` and trains on it inside one memory scope; false when `it` is done.
   * `epoch` and `batch` only name the step in an error.
   */
  run(it: Iterator<Batch>, epoch: number, batch: number): boolean {
    this.it = it;
    this.epoch = epoch;
    this.batch = batch;
    try {
      return scope(this.scopedStep);
    } finally {
      this.it = null;
      this.x = this.y = this.output = this.dataLoss = null;
    }
  }

  private readonly scopedStep = (): boolean => {
    const next = this.it!.next();
    if (next.done) return false;
    const { who, optimizer } = this.spec;
    try {
      this.size = checkBatch(who, next.value);
      this.x = (next.value as Batch).x;
      this.y = (next.value as Batch).y;
      this.output = this.dataLoss = null;
      const reported = optimizer.step(this.closure);
      if (this.output === null || this.dataLoss === null) {
        throw new Error('optimizer.step(closure) did not call the closure; fit needs an optimizer that does');
      }
      if (this.metrics === null) this.metrics = isClassification(this.output, this.y) ? [accuracy()] : [];
      noGrad(this.updateMetrics);
      this.loss = typeof reported === 'number' ? reported : null;
      if (this.loss === null) this.spec.losses.push(this.dataLoss as Tensor);
      return true;
    } catch (error) {
      throw withContext(error, who, `epoch ${this.epoch}, batch ${this.batch}`);
    }
  };

  /**
   * The closure `optimizer.step` evaluates: zeroGrad, forward, penalties, backward, clipping. It returns
   * the data loss tensor; `step(closure)` hands it back unread, as PyTorch's does.
   */
  private readonly closure = (): Tensor => {
    const x = this.x!;
    const y = this.y!;
    const { output, dataLoss } = this.captured === null ? this.body(x, y) : this.captured.run(x, y);
    this.output = output;
    this.dataLoss = dataLoss;
    return dataLoss;
  };

  /** The closure's work: zeroGrad, forward, loss, penalties, backward, clipping (captured or not). */
  private readonly body = (x: Tensor, y: Tensor): StepResult => {
    const { who, model, optimizer, lossFn } = this.spec;
    const { l1, l2, clipNorm, trainable, penaltyOptions } = this.spec.penalties;
    optimizer.zeroGrad();
    const output = model.call(x);
    const dataLoss = checkLoss(who, lossFn(output, y));
    let total = dataLoss;
    if (l2 > 0) total = total.add(l2Penalty(trainable, l2, penaltyOptions));
    if (l1 > 0) total = total.add(l1Penalty(trainable, l1, penaltyOptions));
    total.backward();
    if (clipNorm !== undefined) clipGradNorm_(trainable, clipNorm);
    return { output, dataLoss };
  };

  private readonly updateMetrics = (): void => {
    for (const m of this.metrics!) m.update(this.output!.detach(), this.y!);
  };
}
