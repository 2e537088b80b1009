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
import type { TopLevelSpec } from 'vega-lite';
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import { Adam } from '../optim/optimizers/adam.js';
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import { EarlyStopping } from '../train/callbacks/early_stopping.js';
import { evaluate, fit } from '../train/trainer.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import { type Experiment, type ExperimentPresentation, type Lang, tr } from './types.js';

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

// ------------------------------------------------------------------ presentation

const T = {
  title: {
    en: 'Overfitting and the regularizers against it',
    zh: '过拟合与抗过拟合策略',
  },
  shows: {
    en: 'The lecture’s “抗过拟合策略”: a large MLP fits a small set of MNIST digits almost perfectly but generalizes less well; L2 and L1 penalties on the weights (biases excluded), dropout (0.5 on hidden layers, 0.2 on the input; Srivastava et al. 2014) and early stopping with the best weights restored, alone and together, each narrow the gap between training and test accuracy. Curves: training (evaluation mode) and validation accuracy per epoch.',
    zh: '课件“抗过拟合策略”：一个大 MLP 几乎完美拟合少量 MNIST 训练样本，但泛化较差；权重的 L2、L1 正则（不含偏置）、Dropout（隐藏层 0.5、输入层 0.2；Srivastava 等 2014）和及早停止（恢复最佳权重），单独使用和共同使用，各自缩小训练与测试准确率之间的差距。曲线：每轮的训练（评估模式）与验证准确率。',
  },
  variant: {
    none: { en: 'none', zh: '无正则' },
    l2: { en: 'L2', zh: 'L2 正则' },
    l1: { en: 'L1', zh: 'L1 正则' },
    dropout: { en: 'dropout', zh: 'Dropout' },
    'early-stopping': { en: 'early stopping', zh: '及早停止' },
    all: { en: 'all together', zh: '全部一起' },
  },
  epoch: { en: 'epoch', zh: '轮次' },
  accuracy: { en: 'accuracy', zh: '准确率' },
  split: { en: 'data', zh: '数据' },
  train: { en: 'training', zh: '训练集' },
  val: { en: 'validation', zh: '验证集' },
  curvesTitle: { en: 'Training and validation accuracy per epoch', zh: '每轮的训练与验证准确率' },
  valLossTitle: { en: 'Validation loss per epoch', zh: '每轮的验证损失' },
  valLoss: { en: 'validation loss', zh: '验证损失' },
  gapTitle: { en: 'Generalization gap and test accuracy', zh: '泛化差距与测试准确率' },
  gap: { en: 'gap (train − test accuracy, points)', zh: '差距（训练 − 测试准确率，百分点）' },
};

const variantLabel = (v: OverfittingVariant, lang: Lang) => tr(T.variant[v], lang);
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const points = (v: number) => (100 * v).toFixed(1);

/** Small multiples: per variant, training and validation accuracy against epoch. */
function curvesFigure(result: OverfittingResult, lang: Lang): TopLevelSpec {
  const order = result.runs.map((r) => variantLabel(r.variant, lang));
  const values = result.runs.flatMap((r) =>
    r.epochs.flatMap((e) => [
      {
        variant: variantLabel(r.variant, lang),
        split: tr(T.train, lang),
        epoch: e.epoch,
        accuracy: e.trainAccuracy,
      },
      {
        variant: variantLabel(r.variant, lang),
        split: tr(T.val, lang),
        epoch: e.epoch,
        accuracy: e.valAccuracy,
      },
    ]),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: tr(T.curvesTitle, lang),
    data: { values },
    facet: { field: 'variant', type: 'nominal', title: null, sort: order },
    columns: 3,
    spec: {
      width: 170,
      height: 120,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: tr(T.epoch, lang) },
        y: { field: 'accuracy', type: 'quantitative', title: tr(T.accuracy, lang), scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: tr(T.split, lang) },
      },
    },
  };
}

/** Bars of the generalization gap per variant, labelled with the test accuracy. */
function gapFigure(result: OverfittingResult, lang: Lang): TopLevelSpec {
  const order = result.runs.map((r) => variantLabel(r.variant, lang));
  const values = result.runs.map((r) => ({
    variant: variantLabel(r.variant, lang),
    gap: 100 * r.gap,
    test: `${lang === 'en' ? 'test' : '测试'} ${pct(r.testAccuracy)}`,
  }));
  const x = { field: 'variant', type: 'nominal' as const, sort: order, title: null, axis: { labelAngle: 0 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: tr(T.gapTitle, lang),
    width: 420,
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: { x, y: { field: 'gap', type: 'quantitative', title: tr(T.gap, lang) } },
      },
      {
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: { x, y: { field: 'gap', type: 'quantitative' }, text: { field: 'test', type: 'nominal' } },
      },
    ],
  };
}

function present(result: OverfittingResult, lang: Lang): ExperimentPresentation {
  const en = lang === 'en';
  const findings: string[] = [];
  const none = result.runs.find((r) => r.variant === 'none');
  if (none && none.epochs.length > 0) {
    const best = none.epochs.reduce((b, e) => (e.valLoss < b.valLoss ? e : b));
    const last = none.epochs[none.epochs.length - 1]!;
    const rising = best.epoch < last.epoch;
    findings.push(
      en
        ? `Without regularization the network reaches ${pct(none.trainAccuracy)} on its ${result.trainSize} training digits but ${pct(none.testAccuracy)} on test (gap ${points(none.gap)} points); ${rising ? `its validation loss is lowest at epoch ${best.epoch} (${best.valLoss.toFixed(3)}) and rises to ${last.valLoss.toFixed(3)} by epoch ${last.epoch}: overfitting.` : `its validation loss is still falling at epoch ${last.epoch} (${last.valLoss.toFixed(3)}).`}`
        : `无正则时网络在 ${result.trainSize} 个训练样本上达到 ${pct(none.trainAccuracy)}，测试集仅 ${pct(none.testAccuracy)}（差距 ${points(none.gap)} 个百分点）；${rising ? `验证损失在第 ${best.epoch} 轮最低（${best.valLoss.toFixed(3)}），到第 ${last.epoch} 轮升至 ${last.valLoss.toFixed(3)}：过拟合。` : `验证损失到第 ${last.epoch} 轮仍在下降（${last.valLoss.toFixed(3)}）。`}`,
    );
  }
  const others = result.runs.filter((r) => r.variant !== 'none');
  if (others.length) {
    const list = others
      .map((r) =>
        en
          ? `${variantLabel(r.variant, lang)} ${points(r.gap)} (test ${pct(r.testAccuracy)})`
          : `${variantLabel(r.variant, lang)} ${points(r.gap)}（测试 ${pct(r.testAccuracy)}）`,
      )
      .join(en ? '; ' : '；');
    findings.push(
      en
        ? `Generalization gap in points: ${list}${none ? `; none ${points(none.gap)} (test ${pct(none.testAccuracy)})` : ''}.`
        : `泛化差距（百分点）：${list}${none ? `；无正则 ${points(none.gap)}（测试 ${pct(none.testAccuracy)}）` : ''}。`,
    );
    const smallest = result.runs.reduce((b, r) => (r.gap < b.gap ? r : b));
    const bestTest = result.runs.reduce((b, r) => (r.testAccuracy > b.testAccuracy ? r : b));
    findings.push(
      en
        ? `Smallest gap: ${variantLabel(smallest.variant, lang)} (${points(smallest.gap)} points); best test accuracy: ${variantLabel(bestTest.variant, lang)} (${pct(bestTest.testAccuracy)}).`
        : `差距最小：${variantLabel(smallest.variant, lang)}（${points(smallest.gap)} 个百分点）；测试准确率最高：${variantLabel(bestTest.variant, lang)}（${pct(bestTest.testAccuracy)}）。`,
    );
  }
  const es = result.runs.find((r) => r.variant === 'early-stopping');
  if (es && es.bestEpoch !== null) {
    findings.push(
      en
        ? `Early stopping (patience ${result.patience}) ran ${es.epochs.length} epochs and kept the weights of epoch ${es.bestEpoch}.`
        : `及早停止（耐心 ${result.patience} 轮）训练了 ${es.epochs.length} 轮，保留第 ${es.bestEpoch} 轮的权重。`,
    );
  }
  const header = en
    ? [
        'regularization',
        'epochs run',
        'kept epoch',
        'train accuracy',
        'validation accuracy',
        'test accuracy',
        'gap (points)',
      ]
    : ['正则化', '训练轮数', '保留的轮次', '训练准确率', '验证准确率', '测试准确率', '差距（百分点）'];
  const rows = result.runs.map((r) => [
    variantLabel(r.variant, lang),
    r.epochs.length,
    r.bestEpoch ?? '—',
    pct(r.trainAccuracy),
    pct(r.valAccuracy),
    pct(r.testAccuracy),
    points(r.gap),
  ]);
  const valLoss = orderSeries(
    lineChart(
      result.runs.map((r) => ({
        name: variantLabel(r.variant, lang),
        points: r.epochs.map((e): [number, number] => [e.epoch, e.valLoss]),
      })),
      { title: tr(T.valLossTitle, lang), xTitle: tr(T.epoch, lang), yTitle: tr(T.valLoss, lang) },
    ),
    result.runs.map((r) => variantLabel(r.variant, lang)),
  );
  return {
    title: tr(T.title, lang),
    shows: tr(T.shows, lang),
    findings,
    figures: [curvesFigure(result, lang), valLoss, gapFigure(result, lang)],
    table: { header, rows },
  };
}

export const overfitting: Experiment<OverfittingExperimentOptions, OverfittingResult> = {
  name: 'overfitting',
  title: T.title,
  defaults,
  run,
  present,
};
