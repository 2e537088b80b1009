/**
 * What the MLP experiments (`lr-sweep`, `optimizers-mnist`) share: one seeded training run of a fresh
 * MLP with `fit`, reported as plain numbers, and the moving average of their per-step curves. Their
 * data is injected as in the other MNIST experiments (see `train_test_data.ts`).
 */
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import { createOptimizer, type OptimizerName } from '../optim/registry.js';
import { evaluate, fit } from '../train/trainer.js';
import type { TrainingWarning } from '../train/types.js';
import { seeded } from './seeded.js';

export interface MlpRunOptions {
  train: TensorDataset;
  val: TensorDataset | null;
  /** Hidden widths, e.g. [100, 100]. */
  hidden: readonly number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
  optimizer: OptimizerName;
  optimizerOptions: Record<string, number | boolean>;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Options of the trainer's plateau detector (window …). */
  plateauWindow: number;
}

export interface MlpRun {
  /** The data loss of every step taken; null where it was NaN or infinite. */
  stepLosses: (number | null)[];
  /** Mean training loss of each completed epoch. */
  epochLosses: number[];
  warnings: { kind: TrainingWarning['kind']; message: string; epoch: number; step: number }[];
  stopReason: string | null;
  /** Accuracy and loss on the held-out samples `val` after training (null without them or after a divergence). */
  valAccuracy: number | null;
  valLoss: number | null;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Trains a fresh MLP (PyTorch's default initialization, drawn from `seed`, so every run of an
 * experiment starts from the same weights and sees the same batches) with cross-entropy and the
 * trainer's divergence guard and plateau detector.
 */
export function trainMlp(o: MlpRunOptions): MlpRun {
  return seeded(o.seed, () => {
    const model = mlp({
      sizes: [o.train.sampleSize, ...o.hidden, o.train.numClasses],
      activation: o.activation,
    });
    const optimizer = createOptimizer(o.optimizer, model.parameters(), o.optimizerOptions);
    const history = fit(model, o.train, {
      optimizer,
      loss: 'crossEntropy',
      epochs: o.epochs,
      batchSize: o.batchSize,
      shuffle: true,
      seed: o.seed,
      plateauDetector: { window: o.plateauWindow },
    });
    const diverged = history.warnings.some((w) => w.kind === 'divergence');
    let valAccuracy: number | null = null;
    let valLoss: number | null = null;
    if (o.val !== null && !diverged) {
      const r = evaluate(model, o.val, { loss: 'crossEntropy', batchSize: 500 });
      valAccuracy = finite(r.accuracy ?? Number.NaN);
      valLoss = finite(r.loss);
    }
    return {
      stepLosses: history.stepLosses.map(finite),
      epochLosses: history.epochs.map((e) => e.trainLoss),
      warnings: history.warnings.map((w) => ({
        kind: w.kind,
        message: w.message,
        epoch: w.epoch,
        step: w.step,
      })),
      stopReason: history.stopReason,
      valAccuracy,
      valLoss,
    };
  });
}

/** Trailing moving average over `window` steps, skipping nulls (the smoothed per-step curves). */
export function movingAverage(values: readonly (number | null)[], window: number): (number | null)[] {
  const out: (number | null)[] = [];
  let sum = 0;
  let count = 0;
  const q: (number | null)[] = [];
  for (const v of values) {
    q.push(v);
    if (v !== null) {
      sum += v;
      count++;
    }
    if (q.length > window) {
      const old = q.shift()!;
      if (old !== null) {
        sum -= old;
        count--;
      }
    }
    out.push(count > 0 ? sum / count : null);
  }
  return out;
}
