/**
 * Experiment `bn-placement`: the lecture's "对z、a做BN均可" — batch normalization may normalize the
 * pre-activation z = Wx + b (Linear, BN, activation; Ioffe & Szegedy 2015, arXiv:1502.03167,
 * section 3.2, and the lecture's bn_model) or the activation a = f(z) (Linear, activation, BN). Two
 * MLPs that differ only in where BatchNorm1d sits (`mlp`'s `batchNormPosition`), and the same MLP
 * without BN, trained under the same budget.
 *
 * Set-up: hidden 100-100 with ReLU (option `activation`), a subset of the injected digits (MNIST:
 * `loadMnist()`) average-pooled 2×2 to 14×14 (the time budget), plain SGD (lr 0.05, batches of 32),
 * the same initial Linear weights and the same batches for the three networks. Every `evalEvery`
 * steps the test accuracy is measured in evaluation mode; at step 0 BN's running statistics are 0 and
 * 1 and γ = 1, β = 0, so BN is (up to eps) the identity and the three networks compute the same
 * function: the curves start together. Measured on the bundled MNIST (seeds 0–5, 400 steps): both
 * placements reach ~91–92% where the plain network is still at ~74–78%, and end within a point of
 * each other; a single measurement of either can dip by a few points (BN's running averages lag a
 * large step), so read the curves, not only the last point.
 */
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import type { Sequential } from '../nn/sequential.js';
import { SGD } from '../optim/optimizers/sgd.js';
import { evaluate, fit } from '../train/trainer.js';
import { presentBnPlacement } from './bn_placement_present.js';
import { BN_PLACEMENT_STRINGS } from './bn_placement_strings.js';
import { seeded } from './seeded.js';
import { stepBudget } from './step_budget.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

/** Where the networks normalize: nowhere, the pre-activation z, or the activation a. */
export type BnPlacement = 'none' | 'pre' | 'post';

export type BnPlacementActivation = 'relu' | 'sigmoid' | 'tanh';

export interface BnPlacementExperimentOptions {
  /** `{ train, test }` digits (e.g. `loadMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  /** The networks trained (default ['none', 'pre', 'post']). */
  placements: BnPlacement[];
  /** Activation of the hidden layers (default 'relu'). */
  activation: BnPlacementActivation;
  /** Hidden widths (default [100, 100]). */
  hidden: number[];
  /** Training digits, a prefix of data.train (default 2000). */
  trainSize: number;
  /** Test digits, a prefix of data.test (default 1000). */
  testSize: number;
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14; 1 keeps them). */
  pool: number;
  /** SGD steps per network (default 400). */
  steps: number;
  batchSize: number;
  /** SGD's learning rate (default 0.05). */
  lr: number;
  /** SGD's momentum (default 0). */
  momentum: number;
  /** Steps between test measurements (default 25). */
  evalEvery: number;
  seed: number;
}

export interface BnPlacementRun {
  placement: BnPlacement;
  /** The module kinds of one hidden layer, in order, e.g. ['Linear', 'ReLU', 'BatchNorm1d']. */
  layer: string[];
  /** The steps at which the test accuracy was measured (0 = before training). */
  steps: number[];
  testAccuracy: number[];
  /** The loss of every step (null where not finite). */
  stepLosses: (number | null)[];
  finalTestAccuracy: number;
  /** Mean training loss of the last `evalEvery` steps (null if not finite). */
  finalTrainLoss: number | null;
}

export interface BnPlacementResult {
  sizes: number[];
  activation: BnPlacementActivation;
  trainSize: number;
  testSize: number;
  steps: number;
  batchSize: number;
  lr: number;
  momentum: number;
  runs: BnPlacementRun[];
}

const PLACEMENTS: readonly BnPlacement[] = ['none', 'pre', 'post'];
const ACTIVATIONS: readonly BnPlacementActivation[] = ['relu', 'sigmoid', 'tanh'];

const defaults: BnPlacementExperimentOptions = {
  placements: [...PLACEMENTS],
  activation: 'relu',
  hidden: [100, 100],
  trainSize: 2000,
  testSize: 1000,
  pool: 2,
  steps: 400,
  batchSize: 32,
  lr: 0.05,
  momentum: 0,
  evalEvery: 25,
  seed: 0,
};

const WHO = 'bn-placement';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The MLP of a placement: `mlp` without BN, or with BatchNorm1d on z ('pre') or on a ('post'). */
export function placementNetwork(
  placement: BnPlacement,
  sizes: readonly number[],
  activation: BnPlacementActivation,
): Sequential {
  if (placement === 'none') return mlp({ sizes, activation });
  return mlp({ sizes, activation, batchNorm: true, batchNormPosition: placement });
}

const ACTIVATION_MODULE: Record<BnPlacementActivation, string> = {
  relu: 'ReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
};

/** The modules of one hidden layer of `placementNetwork`, by name (declared, not read from class names, which bundlers may shorten). */
function hiddenLayer(placement: BnPlacement, activation: BnPlacementActivation): string[] {
  const f = ACTIVATION_MODULE[activation];
  if (placement === 'none') return ['Linear', f];
  return placement === 'pre' ? ['Linear', 'BatchNorm1d', f] : ['Linear', f, 'BatchNorm1d'];
}

function trainOne(
  o: BnPlacementExperimentOptions,
  parts: { train: TensorDataset; test: TensorDataset },
  placement: BnPlacement,
): BnPlacementRun {
  return seeded(o.seed, () => {
    const sizes = [parts.train.sampleSize, ...o.hidden, parts.train.numClasses];
    // BatchNorm1d layers draw nothing: the three networks start from the same Linear weights.
    const model = placementNetwork(placement, sizes, o.activation);
    const run: BnPlacementRun = {
      placement,
      layer: hiddenLayer(placement, o.activation),
      steps: [],
      testAccuracy: [],
      stepLosses: [],
      finalTestAccuracy: 0,
      finalTrainLoss: null,
    };
    const measure = (step: number): void => {
      run.steps.push(step);
      run.testAccuracy.push(evaluate(model, parts.test, { loss: 'crossEntropy' }).accuracy ?? 0);
    };
    const history = fit(model, parts.train, {
      optimizer: new SGD(model.parameters(), { lr: o.lr, momentum: o.momentum }),
      loss: 'crossEntropy',
      epochs: Math.ceil((o.steps * o.batchSize) / parts.train.length),
      batchSize: o.batchSize,
      seed: o.seed,
      divergenceGuard: false,
      plateauDetector: false,
      ...stepBudget({
        steps: o.steps,
        evalEvery: o.evalEvery,
        stepsPerEpoch: Math.ceil(parts.train.length / o.batchSize),
        measure,
      }),
    });
    run.stepLosses = history.stepLosses.map(finiteOrNull);
    const tail = history.stepLosses.slice(-o.evalEvery);
    run.finalTrainLoss = finiteOrNull(tail.reduce((a, b) => a + b, 0) / tail.length);
    run.finalTestAccuracy = run.testAccuracy.at(-1)!;
    return run;
  });
}

function checkOptionValues(o: BnPlacementExperimentOptions): void {
  if (!Array.isArray(o.placements) || o.placements.length === 0) {
    throw new RangeError(`${WHO}: placements must list at least one of ${PLACEMENTS.join(', ')}`);
  }
  for (const p of o.placements) {
    if (!PLACEMENTS.includes(p)) {
      throw new RangeError(`${WHO}: unknown placement '${p}'; accepted: ${PLACEMENTS.join(', ')}`);
    }
  }
  if (!ACTIVATIONS.includes(o.activation)) {
    throw new RangeError(`${WHO}: unknown activation '${o.activation}'; accepted: ${ACTIVATIONS.join(', ')}`);
  }
  if (!Array.isArray(o.hidden) || o.hidden.length === 0) {
    throw new RangeError(`${WHO}: hidden must list at least one width, got ${JSON.stringify(o.hidden)}`);
  }
  for (const k of ['steps', 'batchSize', 'evalEvery'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) {
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
    }
  }
  if (o.batchSize < 2)
    throw new RangeError(`${WHO}: batchSize must be at least 2 (BN needs two values per feature)`);
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`${WHO}: lr must be positive, got ${o.lr}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) {
    throw new RangeError(`${WHO}: momentum must be in [0, 1), got ${o.momentum}`);
  }
}

function run(options: Partial<BnPlacementExperimentOptions> = {}): BnPlacementResult {
  const o = { ...defaults, ...options };
  checkOptionValues(o);
  const data = resolveTrainTest(WHO, o.data);
  const parts = {
    train: poolImages(WHO, takeSamples(WHO, data.train, 'trainSize', o.trainSize), o.pool),
    test: poolImages(WHO, takeSamples(WHO, data.test, 'testSize', o.testSize), o.pool),
  };
  return {
    sizes: [parts.train.sampleSize, ...o.hidden, parts.train.numClasses],
    activation: o.activation,
    trainSize: parts.train.length,
    testSize: parts.test.length,
    steps: o.steps,
    batchSize: o.batchSize,
    lr: o.lr,
    momentum: o.momentum,
    runs: o.placements.map((p) => trainOne(o, parts, p)),
  };
}

export const bnPlacement: Experiment<BnPlacementExperimentOptions, BnPlacementResult> = {
  name: 'bn-placement',
  title: BN_PLACEMENT_STRINGS.title,
  defaults,
  run,
  present: presentBnPlacement,
};
