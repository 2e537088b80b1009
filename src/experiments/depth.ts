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
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import { scope } from '../tensor/storage.js';
import { evaluate, fit } from '../train/trainer.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import { type Experiment, type ExperimentPresentation, type Lang, tr } from './types.js';

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
      callbacks: [
        {
          // After a step the gradients of that step's backward pass are still in .grad.
          onBatchEnd: (_logs, ctx) => {
            if (ctx.step === 1) first = gradNorms(layers);
            if (ctx.step >= o.steps) {
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

// ------------------------------------------------------------------ presentation

const T = {
  title: {
    en: 'Depth: plain networks degrade, skip connections do not',
    zh: '网络深度：普通网络退化，跳跃连接消除退化',
  },
  shows: {
    en: 'The lecture’s depth slides (“退化”: beyond some depth more layers stop helping, because gradients vanish on the way back) and their cure, skip connections: plain, residual (He et al. 2016, arXiv:1512.03385) and dense (Huang et al. 2017, arXiv:1608.06993) MLPs of 4 to 64 layers trained on MNIST under the same budget — the training loss each reaches, and the gradient norm of every layer after the first backward pass and at the end.',
    zh: '课件“模型的深度”：退化——达到一定深度后再增加层数反而无益，主要原因是梯度在反向传播中逐渐消失；以及跳跃连接的解决办法：普通、残差（He 等 2016，arXiv:1512.03385）与稠密连接（Huang 等 2017，arXiv:1608.06993）的 4 到 64 层 MLP，在 MNIST 上以相同预算训练——各自达到的训练损失，以及第一次反向传播后与训练结束时每一层的梯度范数。',
  },
  arch: {
    plain: { en: 'plain', zh: '普通网络' },
    residual: { en: 'residual', zh: '残差网络' },
    dense: { en: 'dense', zh: '稠密网络' },
  },
  depth: { en: 'depth (weight layers)', zh: '深度（权重层数）' },
  lossReached: { en: 'training loss reached', zh: '达到的训练损失' },
  lossTitle: { en: 'Training loss after the same budget, by depth', zh: '相同预算下的训练损失与深度' },
  layer: { en: 'layer (1 = input side)', zh: '层（1 = 输入端）' },
  gradNorm: { en: '‖∂L/∂W‖', zh: '‖∂L/∂W‖' },
  gradFirst: {
    en: 'Per-layer gradient norm at the first backward pass, depth',
    zh: '第一次反向传播时各层梯度范数，深度',
  },
  gradLast: { en: 'Per-layer gradient norm at the last step, depth', zh: '最后一步时各层梯度范数，深度' },
  curves: { en: 'Training loss against step, depth', zh: '训练损失随迭代步数变化，深度' },
  step: { en: 'step', zh: '迭代步数' },
  stepLoss: { en: 'training loss (moving average of 10 steps)', zh: '训练损失（10 步滑动平均）' },
};

const archLabel = (a: DepthArchitecture, lang: Lang) => tr(T.arch[a], lang);

function movingAverage(values: readonly (number | null)[], window: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const w = values.slice(Math.max(0, i - window + 1), i + 1).filter((v): v is number => v !== null);
    if (w.length) out.push([i + 1, w.reduce((a, b) => a + b, 0) / w.length]);
  }
  return out;
}

function present(result: DepthResult, lang: Lang): ExperimentPresentation {
  const en = lang === 'en';
  const deepest = Math.max(...result.depths);
  const at = (a: DepthArchitecture, d: number) =>
    result.runs.find((r) => r.architecture === a && r.depth === d);
  const f3 = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const figures = [
    lineChart(
      result.architectures.map((a) => ({
        name: archLabel(a, lang),
        points: result.runs
          .filter((r) => r.architecture === a && r.finalLoss !== null)
          .map((r): [number, number] => [r.depth, r.finalLoss!]),
      })),
      {
        title: tr(T.lossTitle, lang),
        xTitle: tr(T.depth, lang),
        yTitle: tr(T.lossReached, lang),
        logX: true,
      },
    ),
    ...(['gradNormsFirst', 'gradNormsLast'] as const).map((key) =>
      lineChart(
        result.architectures.map((a) => ({
          name: archLabel(a, lang),
          points: (at(a, deepest)?.[key] ?? []).map((g, i): [number, number] => [i + 1, g]),
        })),
        {
          title: `${tr(key === 'gradNormsFirst' ? T.gradFirst : T.gradLast, lang)} ${deepest}`,
          xTitle: tr(T.layer, lang),
          yTitle: tr(T.gradNorm, lang),
          logY: true,
        },
      ),
    ),
    lineChart(
      result.architectures.map((a) => ({
        name: archLabel(a, lang),
        points: movingAverage(at(a, deepest)?.stepLosses ?? [], 10),
      })),
      { title: `${tr(T.curves, lang)} ${deepest}`, xTitle: tr(T.step, lang), yTitle: tr(T.stepLoss, lang) },
    ),
  ].map((f) =>
    orderSeries(
      f,
      result.architectures.map((a) => archLabel(a, lang)),
    ),
  );
  const findings: string[] = [];
  for (const a of result.architectures) {
    const list = result.depths.map((d) => `${d} → ${f3(at(a, d)?.finalLoss ?? null)}`).join(', ');
    findings.push(
      en
        ? `${archLabel(a, lang)}: training loss reached by depth ${list} (chance: ${result.chanceLoss.toFixed(3)}).`
        : `${archLabel(a, lang)}：各深度达到的训练损失 ${list}（随机猜测：${result.chanceLoss.toFixed(3)}）。`,
    );
  }
  const plain = at('plain', deepest);
  const residual = at('residual', deepest);
  if (plain?.finalLoss != null && residual?.finalLoss != null) {
    const ratio = residual.finalLoss / plain.finalLoss;
    findings.push(
      en
        ? `At depth ${deepest} the residual network reaches ${f3(residual.finalLoss)}, ${(100 * ratio).toFixed(0)}% of the plain network’s ${f3(plain.finalLoss)}.`
        : `深度 ${deepest} 时残差网络的训练损失为 ${f3(residual.finalLoss)}，是普通网络（${f3(plain.finalLoss)}）的 ${(100 * ratio).toFixed(0)}%。`,
    );
  }
  const spans = result.architectures
    .map((a) => {
      const g = at(a, deepest)?.gradNormsFirst ?? [];
      if (g.length < 2 || !(g[g.length - 1]! > 0)) return null;
      const ratio = g[0]! / g[g.length - 1]!;
      const text =
        ratio > 0
          ? ratio.toExponential(1)
          : en
            ? '0 (below float32’s range)'
            : '0（低于 float32 的表示范围）';
      return `${archLabel(a, lang)} ${text}`;
    })
    .filter((s): s is string => s !== null);
  if (spans.length) {
    findings.push(
      en
        ? `First backward pass at depth ${deepest}, gradient norm of the input layer over that of the output layer: ${spans.join('; ')} — the plain network’s gradient vanishes on the way back, the skip connections carry it.`
        : `深度 ${deepest} 第一次反向传播时，输入层与输出层梯度范数之比：${spans.join('；')}——普通网络的梯度在反向传播中消失，跳跃连接把梯度传了回去。`,
    );
  }
  const header = en
    ? [
        'network',
        'depth',
        'parameters',
        'training loss reached',
        'training accuracy',
        '‖∂L/∂W‖ input layer, first step',
        '‖∂L/∂W‖ output layer, first step',
      ]
    : [
        '网络',
        '深度',
        '参数量',
        '达到的训练损失',
        '训练准确率',
        '输入层梯度范数（第一步）',
        '输出层梯度范数（第一步）',
      ];
  const rows = result.runs.map((r) => [
    archLabel(r.architecture, lang),
    r.depth,
    r.parameters,
    f3(r.finalLoss),
    r.finalAccuracy === null ? '—' : `${(100 * r.finalAccuracy).toFixed(1)}%`,
    (r.gradNormsFirst[0] ?? 0).toExponential(2),
    (r.gradNormsFirst[r.gradNormsFirst.length - 1] ?? 0).toExponential(2),
  ]);
  return { title: tr(T.title, lang), shows: tr(T.shows, lang), findings, figures, table: { header, rows } };
}

export const depth: Experiment<DepthExperimentOptions, DepthResult> = {
  name: 'depth',
  title: T.title,
  defaults,
  run,
  present,
};
