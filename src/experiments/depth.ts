/**
 * Experiment 5, `depth`: the lecture's "模型的深度" slides — degradation ("退化：…达到一定深度后再一味地
 * 增加层数并不能带来进一步的…提高", main cause "梯度在传播过程中会逐渐消失") and how skip connections
 * remove it: residual blocks (He et al. 2016, "Deep Residual Learning for Image Recognition",
 * arXiv:1512.03385) and dense connectivity (Huang et al. 2017, "Densely Connected Convolutional
 * Networks", arXiv:1608.06993).
 *
 * Vector versions of the three families, each with `depth` weight (Linear) layers of width w and ReLU:
 *
 *   plain     Linear(in, w), ReLU, (depth − 2) × [Linear(w, w), ReLU], Linear(w, classes)
 *   residual  Linear(in, w), ReLU, (depth − 2)/2 × Residual(Linear, ReLU, Linear), Linear(w, classes)
 *             — x ← x + W₂ relu(W₁ x): the identity path is left free of activations (He et al. 2016,
 *             "Identity Mappings in Deep Residual Networks", arXiv:1603.05027), which trains markedly
 *             better at depth 64 here than a ReLU after the sum
 *   dense     Linear(in, w), ReLU, DenseMLPBlock(depth − 2 layers, growth k), Linear(w + (depth − 2)k, classes)
 *
 * all with PyTorch's default initialization and no normalization, trained under the same budget
 * (Adam, the same learning rate, steps, batches and seed) on a subset of the injected digits (MNIST:
 * `loadMnist()`), average-pooled 2×2 to 14×14 to keep the default run short. Measured: the training
 * loss reached (on the whole training subset, after the last step) and, per Linear layer from input to
 * output, the norm ‖∂L/∂W‖ of its weight gradient at the first backward pass and at the last one.
 */

import { noGrad } from '../autograd/tape.js';
import type { TensorDataset } from '../data/dataset.js';
import { ReLU } from '../nn/activations.js';
import { DenseMLPBlock } from '../nn/dense_mlp_block.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Residual } from '../nn/residual.js';
import { Sequential } from '../nn/sequential.js';
import { Adam } from '../optim/optimizers/adam.js';
import { scope } from '../tensor/storage.js';
import { evaluate, fit } from '../train/trainer.js';
import { presentDepth } from './depth_present.js';
import { DEPTH_STRINGS } from './depth_strings.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export type DepthArchitecture = 'plain' | 'residual' | 'dense';

export interface DepthExperimentOptions {
  /** `{ train, test }` digits (e.g. `loadMnist()` from descent/node) or a loader; only `train` is used. Required. */
  data?: TrainTestSource;
  /** Weight layers per network, each even and ≥ 4 (default [4, 16, 32, 64]). */
  depths: number[];
  architectures: DepthArchitecture[];
  /** Width of the hidden layers (default 16). */
  width: number;
  /** Features each dense layer adds (default 4). */
  growth: number;
  /** Training samples, a prefix of data.train (default 1000). */
  trainSize: number;
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14; 1 keeps them). */
  pool: number;
  /** Adam steps per network (default 150). */
  steps: number;
  batchSize: number;
  /** Adam's learning rate, the same for every network (default 3e-3). */
  lr: number;
  seed: number;
}

export interface DepthRun {
  architecture: DepthArchitecture;
  depth: number;
  parameters: number;
  /** Cross-entropy on the whole training subset after the last step (null if not finite). */
  finalLoss: number | null;
  finalAccuracy: number | null;
  /** The loss of every step (null where not finite). */
  stepLosses: (number | null)[];
  /** ‖∂L/∂W‖ of each Linear layer, input side first, at the first backward pass. */
  gradNormsFirst: number[];
  /** The same at the last backward pass. */
  gradNormsLast: number[];
}

export interface DepthResult {
  width: number;
  growth: number;
  trainSize: number;
  inputFeatures: number;
  steps: number;
  batchSize: number;
  lr: number;
  depths: number[];
  architectures: DepthArchitecture[];
  /** Chance level, ln(classes): the loss of a network that has learned nothing. */
  chanceLoss: number;
  runs: DepthRun[];
}

const ARCHITECTURES: readonly DepthArchitecture[] = ['plain', 'residual', 'dense'];

const defaults: DepthExperimentOptions = {
  depths: [4, 16, 32, 64],
  architectures: ['plain', 'residual', 'dense'],
  width: 16,
  growth: 4,
  trainSize: 1000,
  pool: 2,
  steps: 150,
  batchSize: 32,
  lr: 3e-3,
  seed: 0,
};

const WHO = 'depth';

/** The network of `architecture` with `depth` Linear layers (see the module comment). */
export function depthNetwork(
  architecture: DepthArchitecture,
  depth: number,
  inFeatures: number,
  width: number,
  classes: number,
  growth: number,
): Sequential {
  const model = new Sequential(new Linear(inFeatures, width), new ReLU());
  const hidden = depth - 2;
  if (architecture === 'plain') {
    for (let i = 0; i < hidden; i++) model.append(new Linear(width, width)).append(new ReLU());
    return model.append(new Linear(width, classes));
  }
  if (architecture === 'residual') {
    for (let i = 0; i < hidden / 2; i++) {
      model.append(
        new Residual(new Sequential(new Linear(width, width), new ReLU(), new Linear(width, width))),
      );
    }
    return model.append(new Linear(width, classes));
  }
  const block = new DenseMLPBlock(hidden, width, growth);
  return model.append(block).append(new Linear(block.outFeatures, classes));
}

function linears(model: Module): Linear[] {
  return [...model.modules()].filter((m): m is Linear => m instanceof Linear);
}

function gradNorms(layers: Linear[]): number[] {
  return scope(() =>
    noGrad(() =>
      layers.map((l) => (l.weight.grad === null ? 0 : Math.sqrt(l.weight.grad.square().sum().item()))),
    ),
  );
}

const finiteOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

function trainOne(
  o: DepthExperimentOptions,
  train: TensorDataset,
  architecture: DepthArchitecture,
  depth: number,
): DepthRun {
  return seeded(o.seed, () => {
    const model = depthNetwork(architecture, depth, train.sampleSize, o.width, train.numClasses, o.growth);
    const layers = linears(model);
    let first: number[] = [];
    let last: number[] = [];
    const history = fit(model, train, {
      optimizer: new Adam(model.parameters(), { lr: o.lr }),
      loss: 'crossEntropy',
      epochs: Math.ceil((o.steps * o.batchSize) / train.length),
      batchSize: o.batchSize,
      seed: o.seed,
      divergenceGuard: false,
      plateauDetector: false,
      // The gradients are measured after the first step, so fit must deliver each step's onBatchEnd
      // right after it (fit reads the step losses every logEvery steps and delivers the steps then):
      // a read per step, on the CPU backends an experiment runs on (see step_budget.ts).
      logEvery: 1,
      callbacks: [
        {
          // After a step the gradients of that step's backward pass are still in .grad.
          onBatchEnd: (logs, ctx) => {
            if (logs.step === 1) first = gradNorms(layers);
            if (logs.step >= o.steps) {
              last = gradNorms(layers);
              ctx.stop(`${o.steps} steps`);
            }
          },
        },
      ],
    });
    if (last.length === 0) last = gradNorms(layers);
    const reached = evaluate(model, train, { loss: 'crossEntropy' });
    return {
      architecture,
      depth,
      parameters: model.parameters().reduce((n, p) => n + p.size, 0),
      finalLoss: finiteOrNull(reached.loss),
      finalAccuracy: finiteOrNull(reached.accuracy),
      stepLosses: history.stepLosses.map((l) => finiteOrNull(l)),
      gradNormsFirst: first,
      gradNormsLast: last,
    };
  });
}

function run(options: Partial<DepthExperimentOptions> = {}): DepthResult {
  const o = { ...defaults, ...options };
  if (!Array.isArray(o.depths) || o.depths.length === 0) {
    throw new RangeError(`${WHO}: depths must list at least one depth, got ${JSON.stringify(o.depths)}`);
  }
  for (const d of o.depths) {
    if (!Number.isInteger(d) || d < 4 || d % 2 !== 0) {
      throw new RangeError(
        `${WHO}: each depth must be an even integer ≥ 4 (input and output layers plus residual blocks of two), got ${d}`,
      );
    }
  }
  for (const a of o.architectures) {
    if (!ARCHITECTURES.includes(a)) {
      throw new RangeError(`${WHO}: unknown architecture '${a}'; accepted: ${ARCHITECTURES.join(', ')}`);
    }
  }
  for (const k of ['width', 'growth', 'steps', 'batchSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
  }
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`${WHO}: lr must be positive, got ${o.lr}`);
  const data = resolveTrainTest(WHO, o.data);
  const train = poolImages(WHO, takeSamples(WHO, data.train, 'trainSize', o.trainSize), o.pool);
  const runs: DepthRun[] = [];
  for (const depth of o.depths) {
    for (const architecture of o.architectures) runs.push(trainOne(o, train, architecture, depth));
  }
  return {
    width: o.width,
    growth: o.growth,
    trainSize: train.length,
    inputFeatures: train.sampleSize,
    steps: o.steps,
    batchSize: o.batchSize,
    lr: o.lr,
    depths: [...o.depths],
    architectures: [...o.architectures],
    chanceLoss: Math.log(train.numClasses),
    runs,
  };
}

export const depth: Experiment<DepthExperimentOptions, DepthResult> = {
  name: 'depth',
  title: DEPTH_STRINGS.title,
  defaults,
  run,
  present: presentDepth,
};
