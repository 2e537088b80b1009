/**
 * Experiment 7, `adam-then-sgd`: the lecture's advice on choosing an optimizer — "Adam 通常是一个很好的
 * 选择; 学习率下降的 SGD+Momentum 通常比 Adam 好一点点，但需要仔细调整; 前期用 Adam，享受 Adam 快速收敛的
 * 优势; 后期切换到 SGD，慢慢寻找最优解" — and its automatic form, SWATS (Keskar & Socher 2017,
 * "Improving Generalization Performance by Switching from Adam to SGD", arXiv:1712.07628).
 *
 * Four runs of the same MLP from the same initial weights on the same batches:
 *
 *   adam     Adam (lr `adamLr`)
 *   sgd      SGD with momentum (lr `sgdLr`, momentum `momentum`)
 *   switch   `AdamToSGD` with `switchAt` = the last step of epoch `switchEpoch`: Adam, then SGD, which takes momentum β₁ and, unless `switchSgdLr` is given, the learning rate (1 − β₁)·Λ
 *            that SWATS estimates from Adam's steps (Λ: the bias-corrected running average of
 *            γ_k = p_kᵀp_k / (−p_kᵀg_k))
 *   swats    `AdamToSGD` without `switchAt`: SWATS switches by itself once |Λ/(1 − β₂ᵏ) − γ_k| < ε.
 *            The paper's ε = 1e-9 is never met within this short budget (γ_k is noisy over mini-batches),
 *            so the default `swatsTolerance` is 1e-3 (absolute)
 *
 * Data: the injected digits (MNIST `loadMnist()` or Fashion-MNIST `loadFashionMnist()`): the first
 * `trainSize` training and `testSize` test samples; test accuracy measured after every epoch. Reported
 * for the switching runs: the step (and epoch) of the switch and the SGD learning rate carried across.
 */
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import { AdamToSGD } from '../optim/adam_to_sgd.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { Adam } from '../optim/optimizers/adam.js';
import { SGD } from '../optim/optimizers/sgd.js';
import { evaluate, fit } from '../train/trainer.js';
import { presentAdamThenSgd } from './adam_then_sgd_present.js';
import { ADAM_THEN_SGD_STRINGS } from './adam_then_sgd_strings.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export type AdamThenSgdVariant = 'adam' | 'sgd' | 'switch' | 'swats';

export interface AdamThenSgdOptions {
  /** `{ train, test }` images (e.g. `loadMnist()` or `loadFashionMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  variants: AdamThenSgdVariant[];
  /** Training samples, a prefix of data.train (default 2000). */
  trainSize: number;
  /** Test samples, a prefix of data.test (default 1000). */
  testSize: number;
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14; 1 keeps them). */
  pool: number;
  /** Hidden widths (default [100]). */
  hidden: number[];
  epochs: number;
  batchSize: number;
  /** Adam's learning rate, also before the switch (default 1e-3). */
  adamLr: number;
  /** SGD's learning rate in the 'sgd' run (default 0.05). */
  sgdLr: number;
  /** SGD's momentum in the 'sgd' run (default 0.9). */
  momentum: number;
  /** The 'switch' run switches after this epoch (default 4). */
  switchEpoch: number;
  /** SGD's learning rate after the manual switch; null carries SWATS's estimate across (default). */
  switchSgdLr: number | null;
  /** SWATS's ε (default 1e-3; the paper's 1e-9 does not trigger in this budget). */
  swatsTolerance: number;
  seed: number;
}

export interface AdamThenSgdRun {
  variant: AdamThenSgdVariant;
  /** Test accuracy after each epoch. */
  testAccuracy: number[];
  /** Mean training loss of each epoch. */
  trainLoss: number[];
  finalTestAccuracy: number;
  /** Steps after which Adam handed over to SGD (null: no switch). */
  switchStep: number | null;
  /** The epoch in which the switch happened (counted from 1; the switch follows that epoch's step). */
  switchEpoch: number | null;
  /** SGD's learning rate after the switch. */
  sgdLr: number | null;
  /** SWATS's estimate Λ/(1 − β₂ᵏ) at the end (or the switch), before the (1 − β₁) factor. */
  lrEstimate: number | null;
}

export interface AdamThenSgdResult {
  sizes: number[];
  trainSize: number;
  testSize: number;
  epochs: number;
  stepsPerEpoch: number;
  adamLr: number;
  sgdLr: number;
  momentum: number;
  swatsTolerance: number;
  runs: AdamThenSgdRun[];
}

const VARIANTS: readonly AdamThenSgdVariant[] = ['adam', 'sgd', 'switch', 'swats'];

const defaults: AdamThenSgdOptions = {
  variants: [...VARIANTS],
  trainSize: 2000,
  testSize: 1000,
  pool: 2,
  hidden: [100],
  epochs: 8,
  batchSize: 32,
  adamLr: 1e-3,
  sgdLr: 0.05,
  momentum: 0.9,
  switchEpoch: 4,
  switchSgdLr: null,
  swatsTolerance: 1e-3,
  seed: 0,
};

const WHO = 'adam-then-sgd';

function trainOne(
  o: AdamThenSgdOptions,
  train: TensorDataset,
  test: TensorDataset,
  variant: AdamThenSgdVariant,
): AdamThenSgdRun {
  return seeded(o.seed, () => {
    const model = mlp({ sizes: [train.sampleSize, ...o.hidden, train.numClasses], activation: 'relu' });
    const params = model.parameters();
    let optimizer: OptimizerLike;
    let switcher: AdamToSGD | null = null;
    if (variant === 'adam') optimizer = new Adam(params, { lr: o.adamLr });
    else if (variant === 'sgd') optimizer = new SGD(params, { lr: o.sgdLr, momentum: o.momentum });
    else {
      switcher = new AdamToSGD(params, {
        adam: { lr: o.adamLr },
        ...(variant === 'switch'
          ? {
              switchAt: o.switchEpoch * Math.ceil(train.length / o.batchSize),
              ...(o.switchSgdLr === null ? {} : { sgd: { lr: o.switchSgdLr } }),
            }
          : { tolerance: o.swatsTolerance }),
      });
      optimizer = switcher;
    }
    const testAccuracy: number[] = [];
    let switchEpoch: number | null = null;
    const history = fit(model, train, {
      optimizer,
      loss: 'crossEntropy',
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      divergenceGuard: false,
      plateauDetector: false,
      callbacks: [
        {
          onBatchEnd: (logs) => {
            if (switchEpoch === null && switcher?.phase === 'sgd') switchEpoch = logs.epoch;
          },
          onEpochEnd: () => {
            testAccuracy.push(evaluate(model, test, { loss: 'crossEntropy' }).accuracy ?? 0);
          },
        },
      ],
    });
    const switched = switcher !== null && switcher.phase === 'sgd';
    return {
      variant,
      testAccuracy,
      trainLoss: history.epochs.map((e) => e.trainLoss),
      finalTestAccuracy: testAccuracy[testAccuracy.length - 1] ?? 0,
      switchStep: switched ? switcher!.switchedAt : null,
      switchEpoch: switched ? switchEpoch : null,
      sgdLr: switched ? switcher!.lr : null,
      // The estimate stops changing once SGD has taken over.
      lrEstimate: switcher === null ? null : (switcher.sgdLrEstimates[0] ?? null),
    };
  });
}

function run(options: Partial<AdamThenSgdOptions> = {}): AdamThenSgdResult {
  const o = { ...defaults, ...options };
  for (const v of o.variants) {
    if (!VARIANTS.includes(v)) {
      throw new RangeError(`${WHO}: unknown variant '${v}'; accepted: ${VARIANTS.join(', ')}`);
    }
  }
  for (const k of ['epochs', 'batchSize', 'switchEpoch'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
  }
  if (o.switchEpoch >= o.epochs) {
    throw new RangeError(
      `${WHO}: switchEpoch (${o.switchEpoch}) must come before the last epoch (${o.epochs})`,
    );
  }
  for (const k of ['adamLr', 'sgdLr', 'swatsTolerance'] as const) {
    if (!(o[k] > 0) || !Number.isFinite(o[k]))
      throw new RangeError(`${WHO}: ${k} must be positive, got ${o[k]}`);
  }
  if (!(o.momentum >= 0 && o.momentum < 1))
    throw new RangeError(`${WHO}: momentum must be in [0, 1), got ${o.momentum}`);
  if (o.switchSgdLr !== null && !(o.switchSgdLr > 0)) {
    throw new RangeError(`${WHO}: switchSgdLr must be positive or null, got ${o.switchSgdLr}`);
  }
  const data = resolveTrainTest(WHO, o.data);
  const train = poolImages(WHO, takeSamples(WHO, data.train, 'trainSize', o.trainSize), o.pool);
  const test = poolImages(WHO, takeSamples(WHO, data.test, 'testSize', o.testSize), o.pool);
  return {
    sizes: [train.sampleSize, ...o.hidden, train.numClasses],
    trainSize: train.length,
    testSize: test.length,
    epochs: o.epochs,
    stepsPerEpoch: Math.ceil(train.length / o.batchSize),
    adamLr: o.adamLr,
    sgdLr: o.sgdLr,
    momentum: o.momentum,
    swatsTolerance: o.swatsTolerance,
    runs: o.variants.map((v) => trainOne(o, train, test, v)),
  };
}

export const adamThenSgd: Experiment<AdamThenSgdOptions, AdamThenSgdResult> = {
  name: 'adam-then-sgd',
  title: ADAM_THEN_SGD_STRINGS.title,
  defaults,
  run,
  present: presentAdamThenSgd,
};
