/**
 * Experiment 4, `overfitting`: the lecture's "抗过拟合策略" — early stopping (及早停止), L2 and L1
 * regularization (正则, "正则项不考虑偏置") and dropout (丢弃法, "对大型网络中间层，p=0.5 是理想的；
 * 对于输入层，p 应保持在0.2或更低"; Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural
 * Networks from Overfitting", JMLR 15) — each against an MLP that overfits a small training set.
 *
 * Set-up: the first `trainSize` digits of the injected training data (MNIST: `loadMnist()`), the next
 * `valSize` for validation, and `testSize` test digits; images average-pooled 2×2 to 14×14 (the time
 * budget); a 196-100-100-10 ReLU MLP, ~30,000 weights for 500 digits; Adam (lr 2e-3), batches of 32,
 * 20 epochs, the same initial weights and batches for every variant. Variants:
 *
 *   none             no regularization
 *   l2               J = L + λ₂·Σw², λ₂ = 3e-3 (weights only, biases excluded, as the lecture says)
 *   l1               J = L + λ₁·Σ|w|, λ₁ = 3e-4
 *   dropout          Dropout(0.5) after each hidden activation, Dropout(0.2) on the input (inverted)
 *   early-stopping   stop when the validation loss has not improved for `patience` epochs, restoring
 *                    the weights of the best epoch
 *   all              all of the above together
 *
 * After every epoch the training subset (in evaluation mode, so without dropout) and the validation
 * set are measured; at the end, the test set. The generalization gap is training accuracy minus test
 * accuracy.
 *
 * The penalties are set where they visibly narrow the gap without costing test accuracy at this
 * budget (measured on the bundled MNIST): three times weaker they change nothing measurable, three
 * times stronger they cost test accuracy (and `all` collapses to ~58%).
 */
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import { Adam } from '../optim/optimizers/adam.js';
import { EarlyStopping } from '../train/callbacks/early_stopping.js';
import { evaluate, fit } from '../train/trainer.js';
import { presentOverfitting } from './overfitting_present.js';
import { OVERFITTING_STRINGS } from './overfitting_strings.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export type OverfittingVariant = 'none' | 'l2' | 'l1' | 'dropout' | 'early-stopping' | 'all';

export interface OverfittingExperimentOptions {
  /** `{ train, test }` digits (e.g. `loadMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  variants: OverfittingVariant[];
  /** Training digits, a prefix of data.train (default 500). */
  trainSize: number;
  /** Validation digits, the next ones of data.train (default 500). */
  valSize: number;
  /** Test digits, a prefix of data.test (default 2000). */
  testSize: number;
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14; 1 keeps them). */
  pool: number;
  /** Hidden widths (default [100, 100]). */
  hidden: number[];
  epochs: number;
  batchSize: number;
  /** Adam's learning rate (default 2e-3). */
  lr: number;
  /** λ of the L2 penalty λ·Σw² (default 3e-3). */
  l2: number;
  /** λ of the L1 penalty λ·Σ|w| (default 3e-4). */
  l1: number;
  /** Dropout after hidden activations (default 0.5). */
  dropout: number;
  /** Dropout on the input (default 0.2). */
  inputDropout: number;
  /** Early stopping's patience in epochs (default 5). */
  patience: number;
  seed: number;
}

export interface OverfittingEpoch {
  epoch: number;
  /** Loss and accuracy on the whole training subset after the epoch, in evaluation mode. */
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
}

export interface OverfittingRun {
  variant: OverfittingVariant;
  epochs: OverfittingEpoch[];
  /** The epoch whose weights were kept (early stopping restores them); null without early stopping. */
  bestEpoch: number | null;
  /** Measured on the final weights. */
  trainAccuracy: number;
  valAccuracy: number;
  testAccuracy: number;
  testLoss: number;
  /** trainAccuracy − testAccuracy. */
  gap: number;
}

export interface OverfittingResult {
  sizes: number[];
  trainSize: number;
  valSize: number;
  testSize: number;
  lr: number;
  l2: number;
  l1: number;
  dropout: number;
  inputDropout: number;
  patience: number;
  runs: OverfittingRun[];
}

const VARIANTS: readonly OverfittingVariant[] = ['none', 'l2', 'l1', 'dropout', 'early-stopping', 'all'];

const defaults: OverfittingExperimentOptions = {
  variants: [...VARIANTS],
  trainSize: 500,
  valSize: 500,
  testSize: 2000,
  pool: 2,
  hidden: [100, 100],
  epochs: 20,
  batchSize: 32,
  lr: 2e-3,
  l2: 3e-3,
  l1: 3e-4,
  dropout: 0.5,
  inputDropout: 0.2,
  patience: 5,
  seed: 0,
};

const WHO = 'overfitting';

function trainOne(
  o: OverfittingExperimentOptions,
  parts: { train: TensorDataset; val: TensorDataset; test: TensorDataset },
  variant: OverfittingVariant,
): OverfittingRun {
  const all = variant === 'all';
  const useDropout = all || variant === 'dropout';
  const early = all || variant === 'early-stopping';
  return seeded(o.seed, () => {
    // Built with the same draws whatever the variant: Dropout layers hold no parameters.
    const model = mlp({
      sizes: [parts.train.sampleSize, ...o.hidden, parts.train.numClasses],
      activation: 'relu',
      dropout: useDropout ? o.dropout : 0,
      inputDropout: useDropout ? o.inputDropout : 0,
    });
    const stopper = early
      ? new EarlyStopping({ monitor: 'valLoss', patience: o.patience, restoreBestWeights: true })
      : null;
    const epochs: OverfittingEpoch[] = [];
    fit(model, parts.train, {
      optimizer: new Adam(model.parameters(), { lr: o.lr }),
      loss: 'crossEntropy',
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      validation: parts.val,
      regularization: {
        l2: all || variant === 'l2' ? o.l2 : 0,
        l1: all || variant === 'l1' ? o.l1 : 0,
      },
      divergenceGuard: false,
      plateauDetector: false,
      callbacks: [
        {
          onEpochEnd: (epoch, logs) => {
            const t = evaluate(model, parts.train, { loss: 'crossEntropy' });
            epochs.push({
              epoch,
              trainLoss: t.loss,
              trainAccuracy: t.accuracy ?? 0,
              valLoss: logs.valLoss ?? Number.NaN,
              valAccuracy: logs.valAccuracy ?? 0,
            });
          },
        },
        ...(stopper ? [stopper] : []),
      ],
    });
    const measure = (ds: TensorDataset) => evaluate(model, ds, { loss: 'crossEntropy' });
    const train = measure(parts.train);
    const val = measure(parts.val);
    const test = measure(parts.test);
    return {
      variant,
      epochs,
      bestEpoch: stopper?.bestEpoch ?? null,
      trainAccuracy: train.accuracy ?? 0,
      valAccuracy: val.accuracy ?? 0,
      testAccuracy: test.accuracy ?? 0,
      testLoss: test.loss,
      gap: (train.accuracy ?? 0) - (test.accuracy ?? 0),
    };
  });
}

function run(options: Partial<OverfittingExperimentOptions> = {}): OverfittingResult {
  const o = { ...defaults, ...options };
  for (const v of o.variants) {
    if (!VARIANTS.includes(v)) {
      throw new RangeError(`${WHO}: unknown variant '${v}'; accepted: ${VARIANTS.join(', ')}`);
    }
  }
  for (const k of ['epochs', 'batchSize', 'patience'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
  }
  for (const k of ['l2', 'l1'] as const) {
    if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw new RangeError(`${WHO}: ${k} must be ≥ 0, got ${o[k]}`);
  }
  for (const k of ['dropout', 'inputDropout'] as const) {
    if (!(o[k] >= 0 && o[k] < 1)) throw new RangeError(`${WHO}: ${k} must be in [0, 1), got ${o[k]}`);
  }
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`${WHO}: lr must be positive, got ${o.lr}`);
  const data = resolveTrainTest(WHO, o.data);
  const parts = {
    train: poolImages(WHO, takeSamples(WHO, data.train, 'trainSize', o.trainSize), o.pool),
    val: poolImages(WHO, takeSamples(WHO, data.train, 'valSize', o.valSize, o.trainSize), o.pool),
    test: poolImages(WHO, takeSamples(WHO, data.test, 'testSize', o.testSize), o.pool),
  };
  return {
    sizes: [parts.train.sampleSize, ...o.hidden, parts.train.numClasses],
    trainSize: parts.train.length,
    valSize: parts.val.length,
    testSize: parts.test.length,
    lr: o.lr,
    l2: o.l2,
    l1: o.l1,
    dropout: o.dropout,
    inputDropout: o.inputDropout,
    patience: o.patience,
    runs: o.variants.map((v) => trainOne(o, parts, v)),
  };
}

export const overfitting: Experiment<OverfittingExperimentOptions, OverfittingResult> = {
  name: 'overfitting',
  title: OVERFITTING_STRINGS.title,
  defaults,
  run,
  present: presentOverfitting,
};
