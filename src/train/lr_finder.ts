/**
 * The learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
 * arXiv:1506.01186, §3.3; the "LR finder" of fastai): train for a few steps while the learning rate
 * grows exponentially, watch the loss, and read a good learning rate off the curve.
 *
 *   lr_i = startLr · (endLr / startLr)^(i / (steps − 1)),   i = 0 … steps − 1   (one batch per step)
 *   a_i  = β·a_{i−1} + (1 − β)·L_i,  a_{−1} = 0;   s_i = a_i / (1 − β^{i+1})   (bias-corrected smoothing)
 *   stop after step i when L_i is NaN/±∞ or s_i > divergeThreshold · min_{j≤i} s_j
 *
 * `suggestion` is the learning rate of steepest descent of the smoothed loss: the lr_i minimizing the
 * slope ds/d(log lr) (central differences), searched between the first tenth of the steps (skipped, as
 * fastai's `skip_start`: with lrs too small to matter, the smoothed loss only moves by noise there) and
 * the minimum of s (beyond it the loss rises). When fewer than three points lie in between, it is
 * `minLossLr / 10` instead (the other common rule); `suggestionRule` says which. `minLossLr` is the lr
 * of the lowest smoothed loss after the skipped first tenth.
 *
 * The test changes the weights, so afterwards everything is put back exactly: the model's parameters
 * and buffers, every module's mode, the optimizer's state and learning rate (when an optimizer rather
 * than a factory is given), parameter gradients, and the default random generator — a later `fit` runs
 * as if the test had never happened. Data iterates in a loop if it has fewer batches than `steps`.
 *
 * Defaults: startLr 1e-7, endLr 10, steps 100, smoothing β = 0.98, divergeThreshold 4 (fastai's).
 *
 * @example
 * const { suggestion, lrs, losses } = lrFind(model, loader, {
 *   optimizer: (params) => new SGD(params, { lr: 1, momentum: 0.9 }),
 *   loss: 'crossEntropy',
 * });
 */

import { noGrad } from '../autograd/tape.js';
import type { Module } from '../nn/module.js';
import { clone } from '../ops/shape_ops.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { checkBatch, describeValue, toBatchSource } from './batches.js';
import { resolveLoss } from './metrics.js';
import { saveModes } from './mode.js';
import { captureTrainingState, restoreTrainingState } from './training_state.js';
import type { Batch, BatchSource, LossFn, LossSpec, TrainData } from './types.js';

export interface LrFindOptions {
  /** An optimizer over the model's parameters, or a factory `(params) => optimizer` (its lr is overridden). */
  optimizer: OptimizerLike | ((params: Tensor[]) => OptimizerLike);
  loss: LossSpec;
  /** First learning rate (default 1e-7). */
  startLr?: number;
  /** Last learning rate (default 10). */
  endLr?: number;
  /** Number of steps, one batch each (default 100). */
  steps?: number;
  /** β of the loss's exponential moving average (default 0.98). */
  smoothing?: number;
  /** Stop when the smoothed loss exceeds this multiple of its minimum (default 4). */
  divergeThreshold?: number;
  /** Tensor data / datasets only: samples per batch (default 32). */
  batchSize?: number;
  /** Tensor data / datasets only: shuffle (default true) with this seed (default 0). */
  shuffle?: boolean;
  seed?: number;
}

export interface LrFindResult {
  /** The learning rate of each step taken. */
  lrs: number[];
  /** The smoothed loss after each step. */
  losses: number[];
  /** The raw batch loss of each step. */
  rawLosses: number[];
  /** The suggested learning rate (see `suggestionRule`). */
  suggestion: number;
  /** 'steepest': steepest descent of the smoothed loss; 'minLoss/10': a tenth of `minLossLr`. */
  suggestionRule: 'steepest' | 'minLoss/10';
  /** The lr where the smoothed loss was lowest. */
  minLossLr: number;
  /** Whether the sweep stopped because the loss diverged (rather than reaching endLr). */
  diverged: boolean;
}

const KEYS: OptionKeys<LrFindOptions> = {
  optimizer: true,
  loss: true,
  startLr: true,
  endLr: true,
  steps: true,
  smoothing: true,
  divergeThreshold: true,
  batchSize: true,
  shuffle: true,
  seed: true,
};

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
    throw new RangeError(`lrFind: ${name} must be a positive number, got ${describeValue(v)}`);
  }
  return v;
}

/** `lrFind`'s options checked and defaulted. */
interface Sweep {
  who: string;
  lossFn: LossFn;
  startLr: number;
  endLr: number;
  steps: number;
  /** β of the smoothing. */
  beta: number;
  /** The divergence threshold, a multiple of the lowest smoothed loss. */
  threshold: number;
  source: BatchSource;
}

/** The curve as it is recorded, step by step. */
type Curve = Pick<LrFindResult, 'lrs' | 'losses' | 'rawLosses' | 'diverged'>;

/** Runs the range test on `model` and `data`; see the module comment. */
export function lrFind(model: Module, data: TrainData, options: LrFindOptions): LrFindResult {
  const sweep = resolveSweep(data, options);
  const optimizer = resolveOptimizer(model, options.optimizer);
  const saved = captureTrainingState({ model, optimizer }, { epoch: 0, step: 0 });
  const stepCount = (optimizer as { stepCount?: unknown }).stepCount;
  const restoreModes = saveModes(model);
  const restoreGrads = saveGrads(model.parameters());
  const curve: Curve = { lrs: [], losses: [], rawLosses: [], diverged: false };
  try {
    model.train();
    runSweep(model, optimizer, sweep, curve);
  } finally {
    restoreTrainingState(saved, { model, optimizer });
    if (typeof stepCount === 'number') (optimizer as unknown as { stepCount: number }).stepCount = stepCount;
    restoreGrads();
    restoreModes();
  }
  const { lrs, losses } = curve;
  return { ...curve, ...suggest(lrs, losses, Math.floor(sweep.steps / 10)) };
}

function resolveSweep(data: TrainData, options: LrFindOptions): Sweep {
  const who = 'lrFind';
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${who}: options { optimizer, loss, … } are required`);
  }
  checkOptions(who, options, KEYS);
  if (options.optimizer === undefined || options.optimizer === null) {
    throw new TypeError(
      `${who}: options.optimizer is required: an optimizer or a factory (params) => optimizer, e.g. (p) => new SGD(p, { lr: 1 })`,
    );
  }
  const lossFn = resolveLoss(who, options.loss);
  const startLr = positive('startLr', options.startLr ?? 1e-7);
  const endLr = positive('endLr', options.endLr ?? 10);
  if (!(endLr > startLr))
    throw new RangeError(`${who}: endLr (${endLr}) must be greater than startLr (${startLr})`);
  const steps = options.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 2) {
    throw new RangeError(`${who}: steps must be an integer ≥ 2, got ${describeValue(steps)}`);
  }
  const beta = options.smoothing ?? 0.98;
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) {
    throw new RangeError(`${who}: smoothing must be in [0, 1), got ${describeValue(beta)}`);
  }
  const threshold = positive('divergeThreshold', options.divergeThreshold ?? 4);
  if (threshold <= 1)
    throw new RangeError(`${who}: divergeThreshold must be greater than 1, got ${threshold}`);
  const source = toBatchSource(who, 'data', data, {
    batchSize: options.batchSize,
    shuffle: options.shuffle ?? true,
    seed: options.seed,
  });
  return { who, lossFn, startLr, endLr, steps, beta, threshold, source };
}

/** The optimizer given, or the one the factory builds over the model's parameters. */
function resolveOptimizer(model: Module, spec: LrFindOptions['optimizer']): OptimizerLike {
  const optimizer = typeof spec === 'function' ? spec(model.parameters()) : spec;
  if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function') {
    throw new TypeError(
      `lrFind: the optimizer factory must return an optimizer, got ${describeValue(optimizer)}`,
    );
  }
  return optimizer;
}

/** The steps at growing learning rates, each loss smoothed, until `steps` or divergence. */
function runSweep(model: Module, optimizer: OptimizerLike, sweep: Sweep, curve: Curve): void {
  const { startLr, endLr, steps, beta, threshold } = sweep;
  const batches = new BatchCycle(sweep.who, sweep.source);
  let avg = 0;
  let best = Infinity;
  for (let i = 0; i < steps; i++) {
    const lr = startLr * (endLr / startLr) ** (i / (steps - 1));
    optimizer.lr = lr;
    const loss = scope(() => sweepStep(model, optimizer, sweep, batches.next(i === 0)));
    curve.lrs.push(lr);
    curve.rawLosses.push(loss);
    if (!Number.isFinite(loss)) {
      curve.losses.push(loss);
      curve.diverged = true;
      return;
    }
    avg = beta * avg + (1 - beta) * loss;
    const smoothed = avg / (1 - beta ** (i + 1));
    curve.losses.push(smoothed);
    best = Math.min(best, smoothed);
    if (i > 0 && smoothed > threshold * best) {
      curve.diverged = true;
      return;
    }
  }
}

/** One optimizer step on `batch`; its raw loss. */
function sweepStep(model: Module, optimizer: OptimizerLike, sweep: Sweep, batch: Batch): number {
  const { who, lossFn } = sweep;
  checkBatch(who, batch);
  const { x, y } = batch;
  let value: Tensor | null = null;
  optimizer.step(() => {
    optimizer.zeroGrad();
    const l = lossFn(model.call(x), y);
    if (!(l instanceof Tensor) || l.size !== 1) {
      throw new RangeError(`${who}: the loss must be a single number (a 0-d tensor)`);
    }
    l.backward();
    value = l;
    return l;
  });
  if (value === null) throw new Error(`${who}: optimizer.step(closure) did not call the closure`);
  return (value as Tensor).item();
}

/** The source's batches in a loop: a new pass (its next epoch) when one runs out. */
class BatchCycle {
  private pass = 0;
  private it: Iterator<Batch>;

  constructor(
    private readonly who: string,
    private readonly source: BatchSource,
  ) {
    this.it = source[Symbol.iterator]();
  }

  /** The next batch; `first`: the sweep's first step, where an empty source is an error of its own. */
  next(first: boolean): Batch {
    let next = this.it.next();
    if (next.done) {
      if (first) throw new RangeError(`${this.who}: the data yielded no batches`);
      this.pass += 1;
      this.source.setEpoch?.(this.pass);
      this.it = this.source[Symbol.iterator]();
      next = this.it.next();
      if (next.done)
        throw new RangeError(`${this.who}: the data yielded no batches in pass ${this.pass + 1}`);
    }
    return next.value as Batch;
  }
}

function suggest(
  lrs: readonly number[],
  losses: readonly number[],
  skip: number,
): Pick<LrFindResult, 'suggestion' | 'suggestionRule' | 'minLossLr'> {
  const first = Math.min(skip, Math.max(0, losses.length - 1));
  let argmin = -1;
  for (let i = first; i < losses.length; i++) {
    if (Number.isFinite(losses[i]!) && (argmin < 0 || losses[i]! < losses[argmin]!)) argmin = i;
  }
  if (argmin < 0) return { suggestion: Number.NaN, suggestionRule: 'minLoss/10', minLossLr: Number.NaN };
  const minLossLr = lrs[argmin]!;
  const start = Math.max(first, 1);
  if (argmin - start < 2) return { suggestion: minLossLr / 10, suggestionRule: 'minLoss/10', minLossLr };
  let steepest = start;
  let slope = Infinity;
  for (let i = start; i < argmin; i++) {
    const s = (losses[i + 1]! - losses[i - 1]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i - 1]!));
    if (s < slope) {
      slope = s;
      steepest = i;
    }
  }
  return { suggestion: lrs[steepest]!, suggestionRule: 'steepest', minLossLr };
}

/** Remembers every parameter's gradient (or its absence); the returned function puts them back. */
function saveGrads(params: readonly Tensor[]): () => void {
  const saved = params.map((p) => {
    if (p.grad === null) return null;
    const copy = noGrad(() => clone(p.grad!));
    return copy;
  });
  return () => {
    params.forEach((p, i) => {
      const s = saved[i];
      if (s === null || s === undefined) {
        const g = p.grad;
        p.zeroGrad({ setToNone: true });
        g?.dispose();
      } else {
        p.grad!.assign(s);
        s.dispose();
      }
    });
  };
}
