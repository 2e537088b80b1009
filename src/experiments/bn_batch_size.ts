/**
 * Experiment `bn-batch-size`: the lecture's warning "Batch normalization需要在较大的batch size上才能工作"
 * (BN needs a large enough batch). BN normalizes each feature with the mean and variance of the
 * current mini-batch (Ioffe & Szegedy 2015, arXiv:1502.03167, algorithm 1); with a batch of m the
 * statistics are estimated from m values, so at m = 2 every normalized value is ±1 (up to eps) and
 * the estimate is pure noise. At test time there is no batch ("测试时没有batch"): BN uses the running
 * averages of those statistics instead, which a network trained on tiny batches never saw. Wu & He
 * 2018 ("Group Normalization", arXiv:1803.08494, figure 1) measure the same breakdown on ImageNet.
 *
 * Set-up: the same MLP (ReLU, default hidden 100-100) with and without BatchNorm1d before each
 * activation, trained for the same number of epochs at each batch size B on a subset of the injected
 * digits (MNIST: `loadMnist()`), average-pooled 2×2 to 14×14 (the time budget). SGD with momentum 0.9
 * and the learning rate scaled linearly with the batch, lr·B/referenceBatch (Goyal et al. 2017,
 * "Accurate, Large Minibatch SGD", arXiv:1706.02677): without that scaling the plain network's
 * accuracy would itself change with B (too noisy at B = 2, too few steps at B = 128), hiding what
 * belongs to BN. Both networks start from the same Linear weights (BN layers draw nothing) and see
 * the same batches.
 *
 * Measured after training: test accuracy (evaluation mode: BN uses its running averages), training
 * accuracy in evaluation mode, and, for BN, training accuracy in training mode over consecutive
 * batches of B, i.e. normalized with batch statistics as during training. The gap between the last
 * two is the train/eval statistics mismatch: near zero at large batches, large at tiny ones.
 */
import { noGrad } from '../autograd/tape.js';
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import type { Module } from '../nn/module.js';
import { SGD } from '../optim/optimizers/sgd.js';
import { scope } from '../tensor/storage.js';
import { withMode } from '../train/mode.js';
import { evaluate, fit } from '../train/trainer.js';
import { presentBnBatchSize } from './bn_batch_size_present.js';
import { BN_BATCH_SIZE_STRINGS } from './bn_batch_size_strings.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export interface BnBatchSizeExperimentOptions {
  /** `{ train, test }` digits (e.g. `loadMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  /** Mini-batch sizes, each ≥ 2 (BN needs two values per feature) (default [2, 4, 8, 32, 128]). */
  batchSizes: number[];
  /** Hidden widths (default [100, 100]). */
  hidden: number[];
  /** Training digits, a prefix of data.train (default 2000). */
  trainSize: number;
  /** Test digits, a prefix of data.test (default 1000). */
  testSize: number;
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14; 1 keeps them). */
  pool: number;
  /** Epochs at every batch size (default 3). */
  epochs: number;
  /** SGD's learning rate at `referenceBatch` (default 0.05). */
  lr: number;
  /** The batch size at which the learning rate is `lr` (default 32). */
  referenceBatch: number;
  /** Scale the learning rate linearly with the batch size (default true); false: `lr` everywhere. */
  scaleLr: boolean;
  /** SGD's momentum (default 0.9). */
  momentum: number;
  seed: number;
}

export interface BnBatchSizeRun {
  batchNorm: boolean;
  batchSize: number;
  /** The learning rate used at this batch size. */
  lr: number;
  /** Optimizer steps taken. */
  steps: number;
  /** Test accuracy in evaluation mode (BN: running statistics). */
  testAccuracy: number;
  /** Training-subset accuracy in evaluation mode. */
  trainAccuracy: number;
  /** BN only: training-subset accuracy in training mode, batch statistics over batches of `batchSize`; null without BN. */
  trainAccuracyBatchStats: number | null;
  /** Mean training loss of the last epoch, as trained (null if not finite). */
  finalTrainLoss: number | null;
}

export interface BnBatchSizeResult {
  sizes: number[];
  trainSize: number;
  testSize: number;
  epochs: number;
  lr: number;
  referenceBatch: number;
  scaleLr: boolean;
  momentum: number;
  batchSizes: number[];
  /** Per batch size, the plain network then the BN one. */
  runs: BnBatchSizeRun[];
}

const defaults: BnBatchSizeExperimentOptions = {
  batchSizes: [2, 4, 8, 32, 128],
  hidden: [100, 100],
  trainSize: 2000,
  testSize: 1000,
  pool: 2,
  epochs: 3,
  lr: 0.05,
  referenceBatch: 32,
  scaleLr: true,
  momentum: 0.9,
  seed: 0,
};

const WHO = 'bn-batch-size';

const finiteOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/**
 * Accuracy on `ds` in training mode, over consecutive batches of `batchSize` (a last batch of one
 * sample is left out: BN cannot normalize it), without gradients; BN's running statistics are put
 * back afterwards, so the measurement changes nothing.
 */
export function batchStatsAccuracy(model: Module, ds: TensorDataset, batchSize: number): number {
  return scope(() =>
    noGrad(() => {
      const buffers = model.buffers();
      const saved = buffers.map((b) => b.clone());
      try {
        return withMode(model, true, () => {
          let correct = 0;
          let seen = 0;
          for (let start = 0; start + 1 < ds.length; start += batchSize) {
            const part = ds.slice(start, Math.min(ds.length, start + batchSize));
            const { x } = part.toTensors();
            const predicted = model.call(x).argmax(1).data();
            for (const [i, label] of part.labels.entries()) if (predicted[i] === label) correct++;
            seen += part.length;
          }
          return correct / seen;
        });
      } finally {
        for (const [i, b] of buffers.entries()) b.assign(saved[i]!);
      }
    }),
  );
}

function trainOne(
  o: BnBatchSizeExperimentOptions,
  parts: { train: TensorDataset; test: TensorDataset },
  batchNorm: boolean,
  batchSize: number,
): BnBatchSizeRun {
  const lr = o.scaleLr ? (o.lr * batchSize) / o.referenceBatch : o.lr;
  return seeded(o.seed, () => {
    // BatchNorm1d layers draw nothing: both networks start from the same Linear weights.
    const model = mlp({
      sizes: [parts.train.sampleSize, ...o.hidden, parts.train.numClasses],
      activation: 'relu',
      batchNorm,
    });
    const history = fit(model, parts.train, {
      optimizer: new SGD(model.parameters(), { lr, momentum: o.momentum }),
      loss: 'crossEntropy',
      epochs: o.epochs,
      batchSize,
      seed: o.seed,
      divergenceGuard: false,
      plateauDetector: false,
    });
    const measure = (ds: TensorDataset) => evaluate(model, ds, { loss: 'crossEntropy' }).accuracy ?? 0;
    return {
      batchNorm,
      batchSize,
      lr,
      steps: history.stepLosses.length,
      testAccuracy: measure(parts.test),
      trainAccuracy: measure(parts.train),
      trainAccuracyBatchStats: batchNorm ? batchStatsAccuracy(model, parts.train, batchSize) : null,
      finalTrainLoss: finiteOrNull(history.epochs.at(-1)?.trainLoss),
    };
  });
}

function checkOptionValues(o: BnBatchSizeExperimentOptions): void {
  if (!Array.isArray(o.batchSizes) || o.batchSizes.length === 0) {
    throw new RangeError(
      `${WHO}: batchSizes must list at least one size, got ${JSON.stringify(o.batchSizes)}`,
    );
  }
  for (const b of o.batchSizes) {
    if (!Number.isInteger(b) || b < 2) {
      throw new RangeError(
        `${WHO}: each batch size must be an integer ≥ 2 (BN needs two values per feature), got ${b}`,
      );
    }
  }
  if (!Array.isArray(o.hidden) || o.hidden.length === 0) {
    throw new RangeError(`${WHO}: hidden must list at least one width, got ${JSON.stringify(o.hidden)}`);
  }
  for (const k of ['epochs', 'referenceBatch'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) {
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
    }
  }
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`${WHO}: lr must be positive, got ${o.lr}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) {
    throw new RangeError(`${WHO}: momentum must be in [0, 1), got ${o.momentum}`);
  }
  if (typeof o.scaleLr !== 'boolean') {
    throw new RangeError(`${WHO}: scaleLr must be true or false, got ${JSON.stringify(o.scaleLr)}`);
  }
}

function run(options: Partial<BnBatchSizeExperimentOptions> = {}): BnBatchSizeResult {
  const o = { ...defaults, ...options };
  checkOptionValues(o);
  const data = resolveTrainTest(WHO, o.data);
  const parts = {
    train: poolImages(WHO, takeSamples(WHO, data.train, 'trainSize', o.trainSize), o.pool),
    test: poolImages(WHO, takeSamples(WHO, data.test, 'testSize', o.testSize), o.pool),
  };
  const runs: BnBatchSizeRun[] = [];
  for (const b of o.batchSizes) {
    for (const bn of [false, true]) runs.push(trainOne(o, parts, bn, b));
  }
  return {
    sizes: [parts.train.sampleSize, ...o.hidden, parts.train.numClasses],
    trainSize: parts.train.length,
    testSize: parts.test.length,
    epochs: o.epochs,
    lr: o.lr,
    referenceBatch: o.referenceBatch,
    scaleLr: o.scaleLr,
    momentum: o.momentum,
    batchSizes: [...o.batchSizes],
    runs,
  };
}

export const bnBatchSize: Experiment<BnBatchSizeExperimentOptions, BnBatchSizeResult> = {
  name: 'bn-batch-size',
  title: BN_BATCH_SIZE_STRINGS.title,
  defaults,
  run,
  present: presentBnBatchSize,
};
