/**
 * One optimizer step of `fit` (see `trainer.ts`'s module comment for what it computes).
 *
 * A step is the hot path, so a `FitStep` is built once per `fit` and allocates no closures per step:
 * the closure handed to `optimizer.step`, the scoped step body and the metric update are bound once here,
 * and the step's batch, output and loss live in fields (cleared at the end of each step so no released
 * tensor is kept alive).
 */
import { noGrad } from '../autograd/tape.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { clipGradNorm_, l1Penalty, l2Penalty } from '../optim/regularization.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBatch } from './batches.js';
import { checkLoss, isClassification, withContext } from './evaluation.js';
import type { Penalties } from './fit_options.js';
import { accuracy, type Metric } from './metrics.js';
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
}

export class FitStep {
  /** The training metrics, resolved by the first step when the options left them to the data. */
  metrics: Metric[] | null;
  /** The last step's data loss and batch size (valid after `run` returned true). */
  loss = 0;
  size = 0;

  private it: Iterator<Batch> | null = null;
  private epoch = 0;
  private batch = 0;
  private x: Tensor | null = null;
  private y: Tensor | null = null;
  private output: Tensor | null = null;
  private dataLoss: Tensor | null = null;

  constructor(private readonly spec: FitStepSpec) {
    this.metrics = spec.metrics;
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
      this.loss = typeof reported === 'number' ? reported : (this.dataLoss as Tensor).item();
      return true;
    } catch (error) {
      throw withContext(error, who, `epoch ${this.epoch}, batch ${this.batch}`);
    }
  };

  /** The closure `optimizer.step` evaluates: zeroGrad, forward, penalties, backward, clipping. */
  private readonly closure = (): Tensor => {
    const { who, model, optimizer, lossFn } = this.spec;
    const { l1, l2, clipNorm, trainable, penaltyOptions } = this.spec.penalties;
    optimizer.zeroGrad();
    this.output = model.call(this.x!);
    const dataLoss = checkLoss(who, lossFn(this.output, this.y!));
    this.dataLoss = dataLoss;
    let total = dataLoss;
    if (l2 > 0) total = total.add(l2Penalty(trainable, l2, penaltyOptions));
    if (l1 > 0) total = total.add(l1Penalty(trainable, l1, penaltyOptions));
    total.backward();
    if (clipNorm !== undefined) clipGradNorm_(trainable, clipNorm);
    return dataLoss;
  };

  private readonly updateMetrics = (): void => {
    for (const m of this.metrics!) m.update(this.output!.detach(), this.y!);
  };
}
