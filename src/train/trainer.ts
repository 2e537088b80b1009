/**
 * The training loop: `fit`, `evaluate` and `predict`.
 *
 * One optimizer step of `fit`, all inside one memory scope (so every temporary, the batch included, is
 * released when the step ends, and memory stays flat however long training runs):
 *
 *   batch ← next(data)                                   (pulled inside the scope)
 *   optimizer.step(closure), closure = {
 *     optimizer.zeroGrad()
 *     output ← model.call(x);  L ← loss(output, y)       (the data loss, logged)
 *     J ← L + l2·Σ‖W‖² + l1·Σ|W|                         (penalties on weights only, biases skipped by default)
 *     J.backward();  clipGradNorm_(params, clipNorm)     (when given)
 *   }
 *   metrics.update(output, y)                            (under noGrad)
 *   schedule.step()                                      (with scheduleInterval 'step')
 *
 * The closure form lets optimizers that evaluate the gradient elsewhere than at θ (Nesterov's look-ahead
 * form) work unchanged; for the others `step(closure)` calls it once and then updates.
 *
 * Epochs are counted from 1. Per epoch: `data.setEpoch(epoch − 1)` (reproducible shuffling), the model
 * in training mode, the steps, then validation in evaluation mode, the epoch's `EpochLogs` in the
 * history, a per-epoch schedule step (ReduceLROnPlateau gets `valLoss`, or `trainLoss` without
 * validation), the callbacks' `onEpochEnd`, then `onCheckpoint` — except in an epoch where the divergence
 * guard stopped training, whose weights no checkpoint should keep. When `fit` returns, every module has
 * the mode it had before.
 *
 * Divergence from Keras: `fit` adds a `DivergenceGuard` and a `PlateauDetector` by default (turn off
 * with `divergenceGuard: false`, `plateauDetector: false`); training losses are the data loss alone,
 * without the regularization penalty.
 *
 * @example
 * const model = mlp({ sizes: [2, 16, 2] });
 * const history = fit(model, { x, y }, {
 *   optimizer: new Adam(model.parameters(), { lr: 1e-2 }),
 *   loss: 'crossEntropy',
 *   epochs: 20,
 *   batchSize: 32,
 *   validation: { x: xVal, y: yVal },
 *   callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })],
 * });
 * history.last?.valAccuracy;
 */
import { noGrad } from '../autograd/tape.js';
import type { Module } from '../nn/module.js';
import { concat } from '../ops/shape_ops.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { describeValue, toBatchSource } from './batches.js';
import { batchDefault, checkModel, evaluationReads } from './evaluation.js';
import { FitLoop } from './fit_loop.js';
import type { FitOptions } from './fit_options.js';
import type { History } from './history.js';
import { type MetricSpec, resolveLoss, resolveMetrics } from './metrics.js';
import { withMode } from './mode.js';
import { type Reads, runAsync, runSync } from './reads.js';
import type { LossSpec, TrainData } from './types.js';

export { withContext } from './evaluation.js';
export { formatEpoch } from './fit_epoch.js';
export type { FitOptions, RegularizationOptions, Schedule } from './fit_options.js';

export interface EvaluateOptions {
  loss: LossSpec;
  /** Default: accuracy when the targets are class indices (int32) and the output has a class axis. */
  metrics?: readonly MetricSpec[];
  /** Tensor data only: samples per batch (default 256). */
  batchSize?: number;
}

/** `evaluate`'s result: the mean loss, the number of samples, and one entry per metric (e.g. `accuracy`). */
export interface EvaluateResult {
  loss: number;
  samples: number;
  accuracy?: number;
  [metric: string]: number | undefined;
}

/**
 * The mean loss (weighted by batch size) and the metrics of `model` on `data`, in evaluation mode
 * (BatchNorm's running statistics, no dropout) without gradients; every module's mode is restored
 * afterwards, also after an error.
 *
 * @example
 * evaluate(model, { x: xTest, y: yTest }, { loss: 'crossEntropy' }); // { loss: 0.31, samples: 2000, accuracy: 0.91 }
 */
export function evaluate(model: Module, data: TrainData, options: EvaluateOptions): EvaluateResult {
  return runSync(evaluateReads('evaluate', model, data, options));
}

/**
 * `evaluate` with awaited reads (one for the losses, one per metric), letting the event loop run every
 * ~10 ms: works on every backend, a GPU's included, and gives the same numbers as `evaluate`.
 *
 * @example
 * await evaluateAsync(model, { x: xTest, y: yTest }, { loss: 'crossEntropy' });
 */
export function evaluateAsync(
  model: Module,
  data: TrainData,
  options: EvaluateOptions,
): Promise<EvaluateResult> {
  return runAsync(evaluateReads('evaluateAsync', model, data, options));
}

function* evaluateReads(
  who: string,
  model: Module,
  data: TrainData,
  options: EvaluateOptions,
): Reads<EvaluateResult> {
  checkModel(who, model);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${who}: options { loss, metrics?, batchSize? } are required`);
  }
  checkOptions(who, options, { loss: true, metrics: true, batchSize: true });
  const lossFn = resolveLoss(who, options.loss);
  const metrics = options.metrics === undefined ? null : resolveMetrics(who, options.metrics);
  const source = toBatchSource(who, 'data', data, {
    batchSize: options.batchSize ?? batchDefault(data),
    shuffle: false,
  });
  const { loss, samples, values } = yield* evaluationReads(who, model, source, lossFn, metrics);
  return { loss, samples, ...values };
}

export interface PredictOptions {
  /** Run the model on slices of this many samples and concatenate (default: all at once). */
  batchSize?: number;
}

/**
 * The model's output for `x`, in evaluation mode without gradients; every module's mode is restored
 * afterwards, also after an error. The result belongs to the caller's scope. It reads nothing, so it
 * has no async form: read the result with `await out.dataAsync()` where reads are asynchronous.
 *
 * @example
 * predict(model, xTest).argmax(1); // predicted classes
 */
export function predict(model: Module, x: Tensor, options: PredictOptions = {}): Tensor {
  const who = 'predict';
  checkModel(who, model);
  if (!(x instanceof Tensor)) throw new TypeError(`${who}: x must be a Tensor, got ${describeValue(x)}`);
  checkOptions(who, options, { batchSize: true });
  const batchSize = options.batchSize;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new RangeError(`${who}: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  }
  return withMode(model, false, () =>
    noGrad(() =>
      scope(() => {
        const n = x.shape[0] ?? 1;
        if (batchSize === undefined || x.ndim === 0 || n <= batchSize) return model.call(x);
        const parts: Tensor[] = [];
        for (let start = 0; start < n; start += batchSize) {
          parts.push(model.call(x.index(`${start}:${Math.min(n, start + batchSize)}`)));
        }
        return concat(parts, 0);
      }),
    ),
  );
}

// ------------------------------------------------------------------ fit

/**
 * Trains `model` on `data` for `options.epochs` epochs and returns the `History` (per-epoch logs,
 * per-step losses, warnings, why it stopped). See the module comment for what one step does. The
 * callbacks may stop it early; errors in a step name the epoch and batch.
 */
export function fit(model: Module, data: TrainData, options: FitOptions): History {
  // One epoch at a time through the loop a `TrainingSession` (and so `descent train`) also runs.
  const loop = new FitLoop(model, data, options);
  loop.begin();
  while (!loop.done) loop.runEpoch();
  return loop.end();
}

/**
 * `fit` with awaited reads: the same options, the same `History` and weights bit for bit, on every
 * backend (a GPU's, which reads only asynchronously, included). Between steps it lets the event loop
 * run once ~10 ms of work have passed, so a browser page that trains on its main thread stays
 * responsive; callbacks stay synchronous and run at the same points as in `fit`.
 *
 * @example
 * const history = await fitAsync(model, data, { optimizer, loss: 'crossEntropy', epochs: 5 });
 */
export async function fitAsync(model: Module, data: TrainData, options: FitOptions): Promise<History> {
  const loop = new FitLoop(model, data, options);
  loop.begin();
  while (!loop.done) await loop.runEpochAsync();
  return loop.end();
}
