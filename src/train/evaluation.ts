/**
 * The evaluation pass shared by `evaluate` and `fit`'s validation, and the checks both training and
 * evaluation apply to a model, a loss value and a step's error.
 */
import { noGrad } from '../autograd/tape.js';
import { Module } from '../nn/module.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkBatch, describeValue } from './batches.js';
import { accuracy, type Metric, metricValue } from './metrics.js';
import { saveModes } from './mode.js';
import { PAUSE, type Reads, read, runSync } from './reads.js';
import { ScalarLog } from './scalar_log.js';
import type { Batch, BatchSource, LossFn, TrainData } from './types.js';

export function checkModel(who: string, model: unknown): asserts model is Module {
  if (!(model instanceof Module))
    throw new TypeError(`${who}: model must be a Module, got ${describeValue(model)}`);
}

/**
 * An error of a training or evaluation step, rethrown as `who: where: message` (its own `who: ` prefix
 * dropped), keeping its class and the original as `cause`.
 */
export function withContext(error: unknown, who: string, where: string): Error {
  if (!(error instanceof Error)) return new Error(`${who}: ${where}: ${String(error)}`);
  const own = `${who}: `;
  const text = error.message.startsWith(own) ? error.message.slice(own.length) : error.message;
  const message = `${who}: ${where}: ${text}`;
  const Ctor = error.constructor as new (message: string, options?: { cause: unknown }) => Error;
  try {
    return new Ctor(message, { cause: error });
  } catch {
    return new Error(message, { cause: error });
  }
}

export function checkLoss(who: string, loss: unknown): Tensor {
  if (!(loss instanceof Tensor)) {
    throw new TypeError(`${who}: the loss function must return a Tensor, got ${describeValue(loss)}`);
  }
  if (loss.size !== 1) {
    throw new RangeError(
      `${who}: the loss must be a single number (a 0-d tensor), got shape [${loss.shape.join(', ')}]; use reduction 'mean' or 'sum'`,
    );
  }
  return loss;
}

/** Whether accuracy is meaningful by default: class-index targets and a class axis in the output. */
export function isClassification(output: Tensor, target: Tensor): boolean {
  return target.dtype === 'int32' && output.ndim >= 2 && output.shape[1]! > 1;
}

/** Evaluation's default batch size: 256 for tensor data; an iterable brings its own batches. */
export function batchDefault(data: TrainData): number | undefined {
  const iterable = typeof data === 'object' && data !== null && Symbol.iterator in data;
  return iterable ? undefined : 256;
}

interface EvaluationTotals {
  loss: number;
  samples: number;
  values: Record<string, number>;
  metrics: Metric[];
}

/** Loss and metrics over `source`, reading synchronously (see `evaluationReads`). */
export function runEvaluation(
  who: string,
  model: Module,
  source: BatchSource,
  lossFn: LossFn,
  metrics: Metric[] | null,
): EvaluationTotals {
  return runSync(evaluationReads(who, model, source, lossFn, metrics));
}

/**
 * Loss and metrics over `source` in evaluation mode without gradients; `metrics` null = choose by the
 * data. Nothing is read per batch: the batch losses go to a device log and the metrics accumulate on
 * the device; one read of the losses and one per metric at the end. The mean loss is summed in
 * float64 in batch order, as a read per batch would have.
 */
export function* evaluationReads(
  who: string,
  model: Module,
  source: BatchSource,
  lossFn: LossFn,
  metrics: Metric[] | null,
): Reads<EvaluationTotals> {
  const restore = saveModes(model);
  const pass: EvaluationPass = { who, model, lossFn, metrics, sizes: [], losses: new ScalarLog() };
  try {
    model.eval();
    for (const m of metrics ?? []) m.reset();
    const it = source[Symbol.iterator]();
    try {
      while (scope(() => noGrad(() => evaluateBatch(pass, it)))) yield PAUSE;
    } finally {
      it.return?.();
    }
    if (pass.sizes.length === 0) throw new RangeError(`${who}: the data yielded no samples`);
    const losses = yield* pass.losses.take();
    let lossSum = 0;
    let samples = 0;
    pass.sizes.forEach((n, i) => {
      lossSum += losses[i]! * n;
      samples += n;
    });
    const values: Record<string, number> = {};
    for (const m of pass.metrics ?? []) values[m.name] = yield* read(metricValue(m));
    return { loss: lossSum / samples, samples, values, metrics: pass.metrics ?? [] };
  } finally {
    pass.losses.dispose();
    restore();
  }
}

/** An evaluation in progress. */
interface EvaluationPass {
  who: string;
  model: Module;
  lossFn: LossFn;
  metrics: Metric[] | null;
  /** Samples per batch so far. */
  sizes: number[];
  losses: ScalarLog;
}

/** Evaluates the next batch of `it` (inside the caller's scope); false when `it` is done. */
function evaluateBatch(pass: EvaluationPass, it: Iterator<Batch>): boolean {
  const next = it.next();
  if (next.done) return false;
  const { who, model, lossFn } = pass;
  try {
    const n = checkBatch(who, next.value);
    const output = model.call(next.value.x);
    pass.losses.push(checkLoss(who, lossFn(output, next.value.y)));
    if (pass.metrics === null) pass.metrics = isClassification(output, next.value.y) ? [accuracy()] : [];
    for (const m of pass.metrics) m.update(output, next.value.y);
    pass.sizes.push(n);
  } catch (error) {
    throw withContext(error, who, `batch ${pass.sizes.length}`);
  }
  return true;
}
