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
import { Module } from '../nn/module.js';
import { concat } from '../ops/shape_ops.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { clipGradNorm_, l1Penalty, l2Penalty } from '../optim/regularization.js';
import { ReduceLROnPlateau } from '../optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../optim/schedules/scheduler.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { checkBatch, describeValue, toBatchSource } from './batches.js';
import type { Callback, TrainContext } from './callbacks/callback.js';
import { DivergenceGuard, type DivergenceGuardOptions } from './callbacks/divergence_guard.js';
import { PlateauDetector, type PlateauDetectorOptions } from './callbacks/plateau_detector.js';
import { History } from './history.js';
import { accuracy, type Metric, type MetricSpec, metricKey, resolveLoss, resolveMetrics } from './metrics.js';
import { saveModes, withMode } from './mode.js';
import { captureTrainingState, restoreTrainingState, type TrainingState } from './training_state.js';
import type {
  Batch,
  BatchSource,
  EpochLogs,
  LossFn,
  LossSpec,
  ProgressEvent,
  StepLogs,
  TrainData,
  TrainingWarning,
} from './types.js';

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
}

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
};

function checkModel(who: string, model: unknown): asserts model is Module {
  if (!(model instanceof Module))
    throw new TypeError(`${who}: model must be a Module, got ${describeValue(model)}`);
}

function nonNegative(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new RangeError(`${who}: ${name} must be a non-negative number, got ${describeValue(v)}`);
  }
  return v;
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

function checkLoss(who: string, loss: unknown): Tensor {
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
function isClassification(output: Tensor, target: Tensor): boolean {
  return target.dtype === 'int32' && output.ndim >= 2 && output.shape[1]! > 1;
}

// ------------------------------------------------------------------ evaluation

interface EvaluationTotals {
  loss: number;
  samples: number;
  values: Record<string, number>;
}

/** Loss and metrics over `source` in evaluation mode without gradients; `metrics` null = choose by the data. */
function runEvaluation(
  who: string,
  model: Module,
  source: BatchSource,
  lossFn: LossFn,
  metrics: Metric[] | null,
): EvaluationTotals & { metrics: Metric[] } {
  return withMode(model, false, () => {
    let resolved = metrics;
    for (const m of resolved ?? []) m.reset();
    let lossSum = 0;
    let samples = 0;
    let index = 0;
    const it = source[Symbol.iterator]();
    try {
      for (;;) {
        const done = scope(() =>
          noGrad(() => {
            const next = it.next();
            if (next.done) return true;
            try {
              const n = checkBatch(who, next.value);
              const output = model.call(next.value.x);
              const loss = checkLoss(who, lossFn(output, next.value.y)).item();
              if (resolved === null) resolved = isClassification(output, next.value.y) ? [accuracy()] : [];
              for (const m of resolved) m.update(output, next.value.y);
              lossSum += loss * n;
              samples += n;
            } catch (error) {
              throw withContext(error, who, `batch ${index}`);
            }
            return false;
          }),
        );
        if (done) break;
        index += 1;
      }
    } finally {
      it.return?.();
    }
    if (samples === 0) throw new RangeError(`${who}: the data yielded no samples`);
    const values: Record<string, number> = {};
    for (const m of resolved ?? []) values[m.name] = m.compute();
    return { loss: lossSum / samples, samples, values, metrics: resolved ?? [] };
  });
}

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
  const who = 'evaluate';
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
  const { loss, samples, values } = runEvaluation(who, model, source, lossFn, metrics);
  return { loss, samples, ...values };
}

function batchDefault(data: TrainData): number | undefined {
  const iterable = typeof data === 'object' && data !== null && Symbol.iterator in data;
  return iterable ? undefined : 256;
}

export interface PredictOptions {
  /** Run the model on slices of this many samples and concatenate (default: all at once). */
  batchSize?: number;
}

/**
 * The model's output for `x`, in evaluation mode without gradients; every module's mode is restored
 * afterwards, also after an error. The result belongs to the caller's scope.
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

class Run implements TrainContext {
  epoch = 0;
  step = 0;
  stopTraining = false;
  completedEpochs = 0;

  constructor(
    readonly model: Module,
    readonly optimizer: OptimizerLike,
    public history: History,
    readonly epochs: number,
    readonly hasValidation: boolean,
    private readonly callbacks: readonly Callback[],
    private readonly schedule: Schedule | undefined,
    private readonly progress: ((event: ProgressEvent) => void) | undefined,
    private readonly verbose: boolean,
  ) {}

  get lr(): number {
    return this.optimizer.lr;
  }

  stop(reason: string): void {
    this.stopTraining = true;
    if (this.history.stopReason === null) this.history.stopReason = String(reason);
  }

  warn(warning: TrainingWarning): void {
    this.history.warnings.push(warning);
    if (this.verbose) console.log(`warning: ${warning.message}`);
    this.progress?.({ type: 'warning', warning });
  }

  trainingState(): TrainingState {
    return captureTrainingState(
      {
        model: this.model,
        optimizer: this.optimizer,
        schedule: this.schedule ?? null,
        callbacks: this.callbacks,
      },
      { epoch: this.completedEpochs, step: this.step, history: this.history },
    );
  }
}

/**
 * Trains `model` on `data` for `options.epochs` epochs and returns the `History` (per-epoch logs,
 * per-step losses, warnings, why it stopped). See the module comment for what one step does. The
 * callbacks may stop it early; errors in a step name the epoch and batch.
 */
export function fit(model: Module, data: TrainData, options: FitOptions): History {
  const who = 'fit';
  checkModel(who, model);
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
  const interval = options.scheduleInterval ?? 'epoch';
  if (interval !== 'step' && interval !== 'epoch') {
    throw new RangeError(
      `${who}: scheduleInterval must be 'step' or 'epoch', got ${describeValue(interval)}`,
    );
  }
  if (schedule instanceof ReduceLROnPlateau && interval === 'step') {
    throw new RangeError(
      `${who}: ReduceLROnPlateau steps once per epoch with a metric; use scheduleInterval 'epoch'`,
    );
  }
  const reg = options.regularization ?? {};
  checkOptions(`${who}: regularization`, reg, { l1: true, l2: true, includeBiases: true, clipNorm: true });
  const l1 = nonNegative(who, 'regularization.l1', reg.l1 ?? 0);
  const l2 = nonNegative(who, 'regularization.l2', reg.l2 ?? 0);
  const clipNorm =
    reg.clipNorm === undefined ? undefined : nonNegative(who, 'regularization.clipNorm', reg.clipNorm);
  const penaltyOptions = { includeBiases: reg.includeBiases ?? false };
  let metrics = options.metrics === undefined ? null : resolveMetrics(who, options.metrics);
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
  const userCallbacks = options.callbacks ?? [];
  if (!Array.isArray(userCallbacks) || userCallbacks.some((c) => c === null || typeof c !== 'object')) {
    throw new TypeError(
      `${who}: callbacks must be an array of callback objects, got ${describeValue(userCallbacks)}`,
    );
  }
  const callbacks: Callback[] = [...userCallbacks];
  if (options.divergenceGuard !== false && !callbacks.some((c) => c instanceof DivergenceGuard)) {
    callbacks.unshift(new DivergenceGuard(options.divergenceGuard ?? {}));
  }
  if (options.plateauDetector !== false && !callbacks.some((c) => c instanceof PlateauDetector)) {
    callbacks.push(new PlateauDetector(options.plateauDetector ?? {}));
  }
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  const verbose = options.verbose ?? false;

  const run = new Run(
    model,
    optimizer,
    new History(),
    epochs,
    validation !== undefined,
    callbacks,
    schedule,
    options.onProgress,
    verbose,
  );
  let startEpoch = 1;
  if (options.resume !== undefined) {
    const restored = restoreTrainingState(options.resume, {
      model,
      optimizer,
      schedule: schedule ?? null,
      callbacks,
    });
    run.history = restored.history;
    run.step = restored.step;
    run.completedEpochs = restored.epoch;
    run.epoch = restored.epoch;
    startEpoch = restored.epoch + 1;
  }

  const restoreModes = saveModes(model);
  try {
    for (const c of callbacks) c.onTrainBegin?.(run);
    for (let epoch = startEpoch; epoch <= epochs && !run.stopTraining; epoch++) {
      run.epoch = epoch;
      source.setEpoch?.(epoch - 1);
      for (const c of callbacks) c.onEpochBegin?.(epoch, run);
      const started = performance.now();
      model.train();
      for (const m of metrics ?? []) m.reset();
      let lossSum = 0;
      let samples = 0;
      let batch = 0;
      const batches = typeof source.length === 'number' ? source.length : undefined;
      const it = source[Symbol.iterator]();
      try {
        for (;;) {
          const lr = optimizer.lr;
          const result = scope((): { loss: number; size: number } | null => {
            const next = it.next();
            if (next.done) return null;
            try {
              const size = checkBatch(who, next.value);
              const { x, y } = next.value as Batch;
              let output: Tensor | null = null;
              let dataLoss: Tensor | null = null;
              const closure = (): Tensor => {
                optimizer.zeroGrad();
                output = model.call(x);
                dataLoss = checkLoss(who, lossFn(output, y));
                let total = dataLoss;
                if (l2 > 0) total = total.add(l2Penalty(trainable, l2, penaltyOptions));
                if (l1 > 0) total = total.add(l1Penalty(trainable, l1, penaltyOptions));
                total.backward();
                if (clipNorm !== undefined) clipGradNorm_(trainable, clipNorm);
                return dataLoss;
              };
              const reported = optimizer.step(closure);
              if (output === null || dataLoss === null) {
                throw new Error(
                  'optimizer.step(closure) did not call the closure; fit needs an optimizer that does',
                );
              }
              const out = output as Tensor;
              if (metrics === null) metrics = isClassification(out, y) ? [accuracy()] : [];
              noGrad(() => {
                for (const m of metrics!) m.update(out.detach(), y);
              });
              return { loss: typeof reported === 'number' ? reported : (dataLoss as Tensor).item(), size };
            } catch (error) {
              throw withContext(error, who, `epoch ${epoch}, batch ${batch}`);
            }
          });
          if (result === null) break;
          run.step += 1;
          if (schedule !== undefined && interval === 'step') (schedule as LrScheduler).step();
          lossSum += result.loss * result.size;
          samples += result.size;
          run.history.stepLosses.push(result.loss);
          run.history.stepLrs.push(lr);
          const logs: StepLogs = { epoch, batch, step: run.step, loss: result.loss, lr, size: result.size };
          batch += 1;
          for (const c of callbacks) c.onBatchEnd?.(logs, run);
          if (options.onProgress) {
            const seconds = (performance.now() - started) / 1000;
            options.onProgress({
              type: 'batch',
              logs,
              epochs,
              batches,
              samplesPerSec: samples / Math.max(seconds, 1e-9),
            });
          }
          if (run.stopTraining) break;
        }
      } finally {
        it.return?.();
      }
      if (batch === 0) throw new RangeError(`${who}: the training data yielded no batches in epoch ${epoch}`);
      const trainSeconds = (performance.now() - started) / 1000;
      const logs: EpochLogs = {
        epoch,
        trainLoss: lossSum / samples,
        lr: optimizer.lr,
        samplesPerSec: samples / Math.max(trainSeconds, 1e-9),
        seconds: 0,
        steps: batch,
      };
      for (const m of metrics ?? []) logs[metricKey('train', m.name)] = m.compute();
      // Validation runs also after a stop within the epoch, so every epoch has the same keys (a diverged
      // model simply gets a NaN valLoss, which no callback counts as an improvement).
      if (validation !== undefined) {
        const v = runEvaluation(`${who}: epoch ${epoch}, validation`, model, validation, lossFn, metrics);
        logs.valLoss = v.loss;
        for (const [name, value] of Object.entries(v.values)) logs[metricKey('val', name)] = value;
      }
      logs.seconds = (performance.now() - started) / 1000;
      run.history.epochs.push(logs);
      run.completedEpochs = epoch;
      if (schedule !== undefined && interval === 'epoch') {
        if (schedule instanceof ReduceLROnPlateau) schedule.step(logs.valLoss ?? logs.trainLoss);
        else schedule.step();
      }
      for (const c of callbacks) c.onEpochEnd?.(epoch, logs, run);
      // A diverged epoch's weights are not worth resuming from: checkpoints keep the last good epoch.
      if (!divergedIn(run.history, epoch)) for (const c of callbacks) c.onCheckpoint?.(epoch, logs, run);
      if (verbose) console.log(formatEpoch(logs, epochs));
      options.onProgress?.({ type: 'epoch', logs, epochs });
    }
    for (const c of callbacks) c.onTrainEnd?.(run);
  } finally {
    restoreModes();
  }
  return run.history;
}

/** Whether a divergence guard stopped training in `epoch` (it records a `divergence` warning). */
function divergedIn(history: History, epoch: number): boolean {
  return history.warnings.some((w) => w.kind === 'divergence' && w.epoch === epoch);
}

/** One plain line per epoch: `epoch 3/10  loss 0.4123  accuracy 0.8750  valLoss 0.4410  valAccuracy 0.8600  lr 0.001  5120 samples/s`. */
export function formatEpoch(logs: EpochLogs, epochs: number): string {
  const parts = [`epoch ${logs.epoch}/${epochs}`, `loss ${logs.trainLoss.toFixed(4)}`];
  for (const [k, v] of Object.entries(logs)) {
    if (
      typeof v !== 'number' ||
      ['epoch', 'trainLoss', 'lr', 'samplesPerSec', 'seconds', 'steps'].includes(k)
    )
      continue;
    const name = k.startsWith('train') ? k.charAt(5).toLowerCase() + k.slice(6) : k;
    parts.push(`${name} ${v.toFixed(4)}`);
  }
  parts.push(`lr ${Number(logs.lr.toPrecision(3))}`, `${Math.round(logs.samplesPerSec)} samples/s`);
  return parts.join('  ');
}
