/**
 * Experiment `transfer`: the lecture's four ways to reuse "类似问题中已经训练好的模型", by how large the
 * new dataset is and how similar it is to the pre-training data:
 *
 *   (a) small, similar    "只要在预训练模型最顶层输出特征上再训练一个线性分类器即可": a linear classifier
 *                         on the frozen top hidden layer;
 *   (b) large, similar    "使用一个较小的学习速率对预训练模型的最后几个顶层进行调优": the top hidden layer
 *                         fine-tuned at lr × tuneLrScale, the ones below frozen, a new head at lr;
 *   (c) large, different  "需要对网络的多个层进行调优，同样也要使用较小的学习速率": every hidden layer
 *                         fine-tuned at lr × tuneLrScale, a new head at lr;
 *   (d) small, different  "基于较为靠前的特征层就使用SVM分类器": a linear classifier on the frozen first
 *                         hidden layer. Divergence: a softmax (multinomial logistic) classifier trained
 *                         with cross-entropy instead of an SVM, the library having no hinge loss; both
 *                         are linear classifiers on the same features. Case (d) also runs the linear
 *                         classifier on the top layer, to show why the lecture goes down to early ones.
 *
 * Each case runs against training from scratch: the same architecture as the case's network (the
 * kept layers and a head), from PyTorch's default initialization, every layer trained at lr, on the
 * same data with the same batches.
 *
 * Tasks (see transfer_data.ts, which also says why not digits 0–4 → 5–9): pre-training on the first
 * 4,000 training digits (10 classes, 3 epochs); the similar target is further digits, the different
 * target the same digits transposed; "small" is `smallSize` training samples (default 50, about 5 per
 * class, 30 epochs), "large" `largeSize` (default 500, 5 epochs). Images average-pooled 2×2 to 14×14; a
 * 196-100-100-100-10 ReLU MLP; Adam at lr 3e-3, the pre-trained layers that are fine-tuned at lr × 0.1.
 * Frozen layers are left out of the optimizer (transfer_model.ts).
 */
import { mlp } from '../nn/builders/mlp.js';
import type { Sequential } from '../nn/sequential.js';
import { Adam } from '../optim/optimizers/adam.js';
import { checkMlpShape, fitRecorded, type RecordedRun } from './pretraining_fit.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource } from './train_test_data.js';
import { type TaskData, type TransferTasks, transferTasks } from './transfer_data.js';
import { type MlpArchitecture, transferNet } from './transfer_model.js';
import { presentTransfer } from './transfer_present.js';
import { TRANSFER_STRINGS } from './transfer_strings.js';
import type { Experiment } from './types.js';

export type TransferCaseId = 'a' | 'b' | 'c' | 'd';

/** A case: which target data, how many pre-trained layers are kept ('all' or from the input), how many of them tuned. */
export interface TransferCaseSpec {
  size: 'small' | 'large';
  target: 'similar' | 'different';
  keep: number | 'all';
  tune: number | 'all';
}

export const TRANSFER_CASES: Readonly<Record<TransferCaseId, TransferCaseSpec>> = {
  a: { size: 'small', target: 'similar', keep: 'all', tune: 0 },
  b: { size: 'large', target: 'similar', keep: 'all', tune: 1 },
  c: { size: 'large', target: 'different', keep: 'all', tune: 'all' },
  d: { size: 'small', target: 'different', keep: 1, tune: 0 },
};

export interface TransferExperimentOptions {
  /** `{ train, test }` digits 0–9 (e.g. `loadMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  /** The cases to run (default all four). */
  cases: TransferCaseId[];
  /** Hidden widths of the pre-trained MLP (default [100, 100, 100]). */
  hidden: number[];
  activation: MlpArchitecture['activation'];
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14). */
  pool: number;
  /**
   * Pixels (after pooling) the similar target's digits are moved right and down (default 0). An MLP's
   * features are tied to pixel positions: one pixel already makes the target a different one.
   */
  shift: number;
  /** Training digits of the source task, pre-training's epochs and batch size (default 4000, 3, 50). */
  sourceSize: number;
  sourceEpochs: number;
  sourceBatchSize: number;
  /** Target training samples of the small and the large cases (default 50 and 500). */
  smallSize: number;
  largeSize: number;
  /** Test samples per task (default 500). */
  testSize: number;
  /** Epochs on the target's small and large training sets (default 30 and 5), batches of `batchSize` (default 10). */
  epochs: number;
  largeEpochs: number;
  batchSize: number;
  /** Adam's learning rate: pre-training, the new heads and training from scratch (default 1e-3). */
  lr: number;
  /** The fine-tuned pre-trained layers train at lr × tuneLrScale (default 0.1). */
  tuneLrScale: number;
  seed: number;
}

/** transfer: the case's network; scratch: the same architecture from random weights; top-features: case (d)'s contrast. */
export type TransferStrategy = 'transfer' | 'scratch' | 'top-features';

export interface TransferRun extends RecordedRun {
  strategy: TransferStrategy;
  /** Hidden layers kept from the pre-trained network (0 for scratch) and how many of them were tuned. */
  keep: number;
  tune: number;
  /** Weights (parameter elements) left frozen and trained. */
  frozenWeights: number;
  trainedWeights: number;
}

export interface TransferCaseResult extends TransferCaseSpec {
  id: TransferCaseId;
  keep: number;
  tune: number;
  trainSize: number;
  /** Epochs every run of the case trained on the target. */
  epochs: number;
  runs: TransferRun[];
}

export interface TransferResult {
  sizes: number[];
  activation: MlpArchitecture['activation'];
  sourceSize: number;
  smallSize: number;
  largeSize: number;
  testSize: number;
  lr: number;
  tuneLr: number;
  /** The pre-training run on digits 0–4 (test accuracy on test digits 0–4). */
  source: RecordedRun;
  cases: TransferCaseResult[];
}

const defaults: TransferExperimentOptions = {
  cases: ['a', 'b', 'c', 'd'],
  hidden: [100, 100, 100],
  activation: 'relu',
  pool: 2,
  shift: 0,
  sourceSize: 4000,
  sourceEpochs: 3,
  sourceBatchSize: 50,
  smallSize: 50,
  largeSize: 500,
  testSize: 500,
  epochs: 30,
  largeEpochs: 5,
  batchSize: 10,
  lr: 3e-3,
  tuneLrScale: 0.1,
  seed: 0,
};

const WHO = 'transfer';
const CASE_IDS = Object.keys(TRANSFER_CASES) as TransferCaseId[];

function checkOptions(o: TransferExperimentOptions): void {
  if (!Array.isArray(o.cases) || o.cases.some((c) => !CASE_IDS.includes(c))) {
    throw new RangeError(
      `${WHO}: cases must list some of ${CASE_IDS.join(', ')}, got ${JSON.stringify(o.cases)}`,
    );
  }
  checkMlpShape(WHO, o);
  for (const k of ['sourceEpochs', 'sourceBatchSize', 'epochs', 'largeEpochs', 'batchSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
  }
  if (!Number.isInteger(o.shift) || o.shift < 0) {
    throw new RangeError(`${WHO}: shift must be a non-negative integer (pixels), got ${o.shift}`);
  }
  for (const k of ['lr', 'tuneLrScale'] as const) {
    if (typeof o[k] !== 'number' || !(o[k] > 0) || !Number.isFinite(o[k])) {
      throw new RangeError(`${WHO}: ${k} must be a positive number, got ${o[k]}`);
    }
  }
}

const count = (params: { size: number }[]) => params.reduce((s, p) => s + p.size, 0);

interface Context {
  o: TransferExperimentOptions;
  architecture: MlpArchitecture;
  pretrained: Sequential;
}

/** A case's target: its data and the epochs trained on it. */
interface Target {
  task: TaskData;
  epochs: number;
}

/** The case's network from the pre-trained one, trained on the target. */
function transferRun(
  ctx: Context,
  target: Target,
  strategy: TransferStrategy,
  keep: number,
  tune: number,
): TransferRun {
  const { task, epochs } = target;
  const { o } = ctx;
  return seeded(o.seed, () => {
    const net = transferNet({
      pretrained: ctx.pretrained,
      architecture: ctx.architecture,
      keep,
      tune,
      classes: task.train.numClasses,
      lr: o.lr,
      tuneLr: o.lr * o.tuneLrScale,
    });
    const recorded = fitRecorded({ ...net, ...task, epochs, batchSize: o.batchSize, seed: o.seed });
    const trainedWeights = count([...net.tuned, ...net.head]);
    return { strategy, keep, tune, frozenWeights: count(net.frozen), trainedWeights, ...recorded };
  });
}

/** The same architecture as the case's network, from random weights, every layer trained. */
function scratchRun(ctx: Context, target: Target, keep: number): TransferRun {
  const { o } = ctx;
  const { task, epochs } = target;
  return seeded(o.seed, () => {
    const model = mlp({
      sizes: [task.train.sampleSize, ...o.hidden.slice(0, keep), task.train.numClasses],
      activation: o.activation,
    });
    const recorded = fitRecorded({
      model,
      optimizer: new Adam(model.parameters(), { lr: o.lr }),
      ...task,
      epochs,
      batchSize: o.batchSize,
      seed: o.seed,
    });
    const trainedWeights = count(model.parameters());
    return { strategy: 'scratch', keep: 0, tune: 0, frozenWeights: 0, trainedWeights, ...recorded };
  });
}

function runCase(ctx: Context, tasks: TransferTasks, id: TransferCaseId): TransferCaseResult {
  const spec = TRANSFER_CASES[id];
  const hidden = ctx.o.hidden.length;
  const keep = spec.keep === 'all' ? hidden : Math.min(spec.keep, hidden);
  const tune = spec.tune === 'all' ? keep : Math.min(spec.tune, keep);
  const target = {
    task: tasks[spec.target][spec.size],
    epochs: spec.size === 'small' ? ctx.o.epochs : ctx.o.largeEpochs,
  };
  const runs = [transferRun(ctx, target, 'transfer', keep, tune), scratchRun(ctx, target, keep)];
  if (id === 'd' && keep < hidden) runs.push(transferRun(ctx, target, 'top-features', hidden, 0));
  return { id, ...spec, keep, tune, trainSize: target.task.train.length, epochs: target.epochs, runs };
}

/** Pre-trains the source network on digits 0–4. */
function pretrain(o: TransferExperimentOptions, architecture: MlpArchitecture, source: TaskData) {
  const pretrained = mlp(architecture);
  const run = fitRecorded({
    model: pretrained,
    optimizer: new Adam(pretrained.parameters(), { lr: o.lr }),
    ...source,
    epochs: o.sourceEpochs,
    batchSize: o.sourceBatchSize,
    seed: o.seed,
  });
  return { pretrained, run };
}

function run(options: Partial<TransferExperimentOptions> = {}): TransferResult {
  const o = { ...defaults, ...options };
  checkOptions(o);
  const data = resolveTrainTest(WHO, o.data);
  const tasks = transferTasks(WHO, {
    train: poolImages(WHO, data.train, o.pool),
    test: poolImages(WHO, data.test, o.pool),
    shift: o.shift,
    sourceSize: o.sourceSize,
    smallSize: o.smallSize,
    largeSize: o.largeSize,
    testSize: o.testSize,
  });
  const architecture: MlpArchitecture = {
    sizes: [tasks.source.train.sampleSize, ...o.hidden, tasks.source.train.numClasses],
    activation: o.activation,
  };
  return seeded(o.seed, () => {
    const { pretrained, run: source } = pretrain(o, architecture, tasks.source);
    const ctx: Context = { o, architecture, pretrained };
    return {
      sizes: architecture.sizes,
      activation: o.activation,
      sourceSize: tasks.source.train.length,
      smallSize: tasks.similar.small.train.length,
      largeSize: tasks.similar.large.train.length,
      testSize: tasks.similar.large.test.length,
      lr: o.lr,
      tuneLr: o.lr * o.tuneLrScale,
      source,
      cases: o.cases.map((id) => runCase(ctx, tasks, id)),
    };
  });
}

export const transfer: Experiment<TransferExperimentOptions, TransferResult> = {
  name: 'transfer',
  title: TRANSFER_STRINGS.title,
  defaults,
  run,
  present: presentTransfer,
};
