/**
 * Experiment 3, `batchnorm`: the MNIST experiment of the batch-normalization paper (Ioffe & Szegedy
 * 2015, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
 * Shift", arXiv:1502.03167, section 4.1 and figure 1), and the lecture's claims for BN ("可以采用更大的
 * 学习率、收敛速度更快; 受初始化的影响变弱").
 *
 * Set-up, as in the paper: a 784-100-100-100-10 network of sigmoid units, with and without
 * BatchNorm1d before each sigmoid (the lecture's `bn_model`), mini-batches of 60, plain SGD (the paper
 * names no optimizer beyond stochastic gradient training), the same learning rate and the same initial
 * weights for both networks. Two runs per network: at `lr`, and at `largeLr`, a rate several times
 * larger that the BN network survives and the plain one does not.
 *
 * Measured every `evalEvery` steps on `testSize` held-out test digits, in evaluation mode: the test
 * accuracy (figure 1a) and the 15th, 50th and 85th percentiles of the input of one sigmoid of the last
 * hidden layer (figure 1b, c), read by a forward hook on the layer just before that sigmoid (the
 * Linear without BN, the BatchNorm1d with it). In evaluation mode BN normalizes with its running
 * averages; at step 0 those are 0 and 1, so both networks start as the same function.
 *
 * Choices the paper leaves open, and ours (all options):
 * - "small random Gaussian values": weights N(0, σ = 0.1), biases 0. The lecture's own suggestion for
 *   BN, σ = 0.01, leaves the plain network stuck at chance for the whole default budget (its signal
 *   and gradient shrink ~25× per sigmoid layer); σ = 0.1 lets it learn, slowly, as in the paper.
 * - learning rates 1 and 10 (SGD, no momentum). Measured on the bundled MNIST (seeds 0–3, 500 steps):
 *   at lr 10 the plain network's sigmoids saturate and it stays at ~10% while BN reaches ~90%.
 * - 200 steps instead of the paper's 50,000, and 500 test digits (the time budget of
 *   `descent experiment all`).
 */
import type { TensorDataset } from '../data/dataset.js';
import { normal_ } from '../init/basic.js';
import { initialize } from '../init/initialize.js';
import { Sigmoid } from '../nn/activations.js';
import { mlp } from '../nn/builders/mlp.js';
import type { Module } from '../nn/module.js';
import { SGD } from '../optim/optimizers/sgd.js';
import { Generator } from '../tensor/random.js';
import { scope } from '../tensor/storage.js';
import { fit, predict } from '../train/trainer.js';
import { presentBatchnorm } from './batchnorm_present.js';
import { BATCHNORM_STRINGS } from './batchnorm_strings.js';
import { seeded } from './seeded.js';
import { stepBudget } from './step_budget.js';
import { resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export interface BatchnormExperimentOptions {
  /** MNIST `{ train, test }` (e.g. `loadMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  /** Hidden widths (default [100, 100, 100], the paper's). */
  hidden: number[];
  /** σ of the Gaussian initial weights (default 0.1); biases start at 0. */
  initStd: number;
  /** The learning rate both networks share (default 1). */
  lr: number;
  /** The larger learning rate (default 10). */
  largeLr: number;
  /** SGD steps per run (default 200). */
  steps: number;
  /** Mini-batch size (default 60, the paper's). */
  batchSize: number;
  /** Training digits used, a prefix of data.train (default 8000). */
  trainSize: number;
  /** Test digits for the accuracy curve and the percentiles, a prefix of data.test (default 500). */
  testSize: number;
  /** Steps between measurements (default 20). */
  evalEvery: number;
  /** Which sigmoid of the last hidden layer is followed (default 0). */
  unit: number;
  seed: number;
}

export interface BatchnormRun {
  batchNorm: boolean;
  lr: number;
  /** The steps at which the measurements were taken (0 = before training). */
  steps: number[];
  /** Test accuracy at each measured step. */
  testAccuracy: number[];
  /** Percentiles of the followed sigmoid's input over the test digits at each step (null: not finite). */
  p15: (number | null)[];
  p50: (number | null)[];
  p85: (number | null)[];
  /** Mean training loss of the last `evalEvery` steps (null if not finite). */
  finalTrainLoss: number | null;
  /** Test accuracy after the last step. */
  finalTestAccuracy: number;
}

export interface BatchnormResult {
  sizes: number[];
  initStd: number;
  batchSize: number;
  trainSize: number;
  testSize: number;
  /** The module whose output is the followed sigmoid input, per network (e.g. '4' and '6'). */
  layers: { plain: string; batchNorm: string };
  unit: number;
  lr: number;
  largeLr: number;
  /** plain and BN at lr, then plain and BN at largeLr. */
  runs: BatchnormRun[];
}

const defaults: BatchnormExperimentOptions = {
  hidden: [100, 100, 100],
  initStd: 0.1,
  lr: 1,
  largeLr: 10,
  steps: 200,
  batchSize: 60,
  trainSize: 8000,
  testSize: 500,
  evalEvery: 20,
  unit: 0,
  seed: 0,
};

const WHO = 'batchnorm';

function positive(name: string, v: number, integer = false): void {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${WHO}: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  }
}

/** The p-th percentile (0–100) of `sorted` with linear interpolation (NumPy's default). */
function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (p / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The child of a Sequential just before its last Sigmoid, with its name. */
function sigmoidInputLayer(model: Module): [string, Module] {
  const children = [...model.namedChildren()];
  let last = -1;
  children.forEach(([, m], i) => {
    if (m instanceof Sigmoid) last = i;
  });
  if (last < 1) throw new Error(`${WHO}: the network has no sigmoid after a layer`);
  return children[last - 1]!;
}

function trainOne(
  o: BatchnormExperimentOptions,
  train: TensorDataset,
  test: TensorDataset,
  batchNorm: boolean,
  lr: number,
): { run: BatchnormRun; layer: string } {
  return seeded(o.seed, () => {
    const model = mlp({
      sizes: [train.sampleSize, ...o.hidden, train.numClasses],
      activation: 'sigmoid',
      batchNorm,
    });
    // Both networks get the same Linear weights: BatchNorm layers are not drawn from this generator.
    const generator = new Generator(o.seed);
    initialize(model, (w) => normal_(w, 0, o.initStd, { generator }));
    const [layer, target] = sigmoidInputLayer(model);
    const probe = { capturing: false, values: new Float64Array(0) };
    const hook = target.registerForwardHook((_m, _input, output) => {
      if (probe.capturing) probe.values = Float64Array.from(output.index(':', o.unit).data());
    });
    const { x } = test.toTensors();
    const labels = test.labels;
    const run: BatchnormRun = {
      batchNorm,
      lr,
      steps: [],
      testAccuracy: [],
      p15: [],
      p50: [],
      p85: [],
      finalTrainLoss: null,
      finalTestAccuracy: 0,
    };
    const measure = (step: number): void => {
      probe.capturing = true;
      let predicted: ArrayLike<number>;
      try {
        predicted = scope(() => predict(model, x).argmax(1).data());
      } finally {
        probe.capturing = false;
      }
      let correct = 0;
      for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
      const values = probe.values.filter(Number.isFinite).sort();
      run.steps.push(step);
      run.testAccuracy.push(correct / labels.length);
      run.p15.push(finiteOrNull(percentile(values, 15)));
      run.p50.push(finiteOrNull(percentile(values, 50)));
      run.p85.push(finiteOrNull(percentile(values, 85)));
    };
    const history = fit(model, train, {
      optimizer: new SGD(model.parameters(), { lr }),
      loss: 'crossEntropy',
      epochs: Math.ceil((o.steps * o.batchSize) / train.length),
      batchSize: o.batchSize,
      seed: o.seed,
      // The plain network at the large rate is meant to fail: let it run the whole budget.
      divergenceGuard: false,
      plateauDetector: false,
      ...stepBudget({
        steps: o.steps,
        evalEvery: o.evalEvery,
        stepsPerEpoch: Math.ceil(train.length / o.batchSize),
        measure,
      }),
    });
    hook.remove();
    const tail = history.stepLosses.slice(-o.evalEvery);
    run.finalTrainLoss = finiteOrNull(tail.reduce((a, b) => a + b, 0) / tail.length);
    run.finalTestAccuracy = run.testAccuracy[run.testAccuracy.length - 1]!;
    return { run, layer };
  });
}

function run(options: Partial<BatchnormExperimentOptions> = {}): BatchnormResult {
  const o = { ...defaults, ...options };
  if (!Array.isArray(o.hidden) || o.hidden.length === 0) {
    throw new RangeError(`${WHO}: hidden must list at least one width, got ${JSON.stringify(o.hidden)}`);
  }
  for (const k of ['initStd', 'lr', 'largeLr'] as const) positive(k, o[k]);
  for (const k of ['steps', 'batchSize', 'trainSize', 'testSize', 'evalEvery'] as const)
    positive(k, o[k], true);
  const last = o.hidden[o.hidden.length - 1]!;
  if (!Number.isInteger(o.unit) || o.unit < 0 || o.unit >= last) {
    throw new RangeError(`${WHO}: unit must be an integer in [0, ${last}), got ${o.unit}`);
  }
  const data = resolveTrainTest(WHO, o.data);
  const train = takeSamples(WHO, data.train, 'trainSize', o.trainSize);
  const test = takeSamples(WHO, data.test, 'testSize', o.testSize);
  const runs: BatchnormRun[] = [];
  const layers = { plain: '', batchNorm: '' };
  for (const lr of [o.lr, o.largeLr]) {
    for (const bn of [false, true]) {
      const r = trainOne(o, train, test, bn, lr);
      runs.push(r.run);
      layers[bn ? 'batchNorm' : 'plain'] = r.layer;
    }
  }
  return {
    sizes: [train.sampleSize, ...o.hidden, train.numClasses],
    initStd: o.initStd,
    batchSize: o.batchSize,
    trainSize: train.length,
    testSize: test.length,
    layers,
    unit: o.unit,
    lr: o.lr,
    largeLr: o.largeLr,
    runs,
  };
}

export const batchnorm: Experiment<BatchnormExperimentOptions, BatchnormResult> = {
  name: 'batchnorm',
  title: BATCHNORM_STRINGS.title,
  defaults,
  run,
  present: presentBatchnorm,
};
