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
import type { TopLevelSpec } from 'vega-lite';
import type { TensorDataset } from '../data/dataset.js';
import { normal_ } from '../init/basic.js';
import { initialize } from '../init/initialize.js';
import { Sigmoid } from '../nn/activations.js';
import { mlp } from '../nn/builders/mlp.js';
import type { Module } from '../nn/module.js';
import { SGD } from '../optim/optimizers/sgd.js';
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import { Generator } from '../tensor/random.js';
import { scope } from '../tensor/storage.js';
import { fit, predict } from '../train/trainer.js';
import { seeded } from './seeded.js';
import { resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import { type Experiment, type ExperimentPresentation, type Lang, tr } from './types.js';

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
      callbacks: [
        {
          onTrainBegin: () => measure(0),
          onBatchEnd: (_logs, ctx) => {
            if (ctx.step % o.evalEvery === 0 || ctx.step === o.steps) measure(ctx.step);
            if (ctx.step >= o.steps) ctx.stop(`${o.steps} steps`);
          },
        },
      ],
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

// ------------------------------------------------------------------ presentation

const T = {
  title: {
    en: 'Batch normalization: faster, stable sigmoid inputs, larger learning rates',
    zh: '批归一化：更快的收敛、稳定的 sigmoid 输入、更大的学习率',
  },
  shows: {
    en: 'Reproduces figure 1 of Ioffe & Szegedy 2015 (arXiv:1502.03167) on MNIST: a 784-100-100-100-10 sigmoid network trained by SGD with and without BN (the lecture’s bn_model), from the same small random weights at the same learning rate — test accuracy against step, and the 15th/50th/85th percentiles of one last-hidden-layer sigmoid input; then, as the lecture says (“可以采用更大的学习率、收敛速度更快”), a learning rate several times larger that only the BN network survives.',
    zh: '在 MNIST 上复现 Ioffe & Szegedy 2015（arXiv:1502.03167）图 1：784-100-100-100-10 的 sigmoid 网络（即课件中的 bn_model）分别带与不带 BN，以相同的小随机初始权重和相同学习率用 SGD 训练——测试准确率随迭代步数的变化，以及最后一个隐藏层中某个 sigmoid 输入的第 15/50/85 百分位数；再按课件“可以采用更大的学习率、收敛速度更快”，用大数倍的学习率训练：只有 BN 网络能训练下去。',
  },
  step: { en: 'step', zh: '迭代步数' },
  accuracy: { en: 'test accuracy', zh: '测试准确率' },
  accTitle: { en: 'Test accuracy at lr', zh: '测试准确率，学习率' },
  pctTitle: {
    en: 'Input of one last-layer sigmoid: 15th / 50th / 85th percentiles, lr',
    zh: '最后一层某个 sigmoid 的输入：第 15/50/85 百分位数，学习率',
  },
  pctAxis: { en: 'sigmoid input', zh: 'sigmoid 输入' },
  plain: { en: 'without BN', zh: '无 BN' },
  bn: { en: 'with BN', zh: '有 BN' },
};

const netLabel = (bn: boolean, lang: Lang) => tr(bn ? T.bn : T.plain, lang);
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function find(result: BatchnormResult, lr: number, bn: boolean): BatchnormRun | undefined {
  return result.runs.find((r) => r.lr === lr && r.batchNorm === bn);
}

/** The percentile bands of both networks side by side, on a shared y axis (figure 1b, c). */
function percentileFigure(result: BatchnormResult, lr: number, lang: Lang): TopLevelSpec {
  const values = result.runs
    .filter((r) => r.lr === lr)
    .flatMap((r) =>
      (['p15', 'p50', 'p85'] as const).flatMap((key) =>
        r.steps.flatMap((step, i) => {
          const v = r[key][i];
          return v === null || v === undefined
            ? []
            : [{ network: netLabel(r.batchNorm, lang), percentile: key.slice(1), step, value: v }];
        }),
      ),
    );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${tr(T.pctTitle, lang)} ${lr}`,
    data: { values },
    facet: {
      column: {
        field: 'network',
        type: 'nominal',
        title: null,
        sort: [netLabel(false, lang), netLabel(true, lang)],
      },
    },
    spec: {
      width: 240,
      height: 200,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: tr(T.step, lang) },
        y: { field: 'value', type: 'quantitative', title: tr(T.pctAxis, lang), scale: { zero: false } },
        color: { field: 'percentile', type: 'nominal', title: lang === 'en' ? 'percentile' : '百分位' },
      },
    },
  };
}

function accuracyFigure(result: BatchnormResult, lr: number, lang: Lang): TopLevelSpec {
  const spec = lineChart(
    result.runs
      .filter((r) => r.lr === lr)
      .map((r) => ({
        name: netLabel(r.batchNorm, lang),
        points: r.steps.map((s, i): [number, number] => [s, r.testAccuracy[i]!]),
      })),
    { title: `${tr(T.accTitle, lang)} ${lr}`, xTitle: tr(T.step, lang), yTitle: tr(T.accuracy, lang) },
  );
  return orderSeries(spec, [netLabel(false, lang), netLabel(true, lang)]);
}

/** The first measured step with test accuracy ≥ level, or null. */
function stepReaching(r: BatchnormRun, level: number): number | null {
  const i = r.testAccuracy.findIndex((a) => a >= level);
  return i < 0 ? null : r.steps[i]!;
}

/** Range of a percentile series over training: [min, max] of its finite values. */
function range(values: (number | null)[]): [number, number] | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? [Math.min(...v), Math.max(...v)] : null;
}

function present(result: BatchnormResult, lang: Lang): ExperimentPresentation {
  const en = lang === 'en';
  const findings: string[] = [];
  const steps = result.runs[0]?.steps.at(-1) ?? 0;
  const plain = find(result, result.lr, false);
  const bn = find(result, result.lr, true);
  if (plain && bn) {
    const level = 0.8;
    const sb = stepReaching(bn, level);
    const sp = stepReaching(plain, level);
    const reach = (s: number | null) =>
      s === null ? (en ? 'never' : '未达到') : en ? `at step ${s}` : `第 ${s} 步`;
    findings.push(
      en
        ? `At lr ${result.lr}, after ${steps} steps: with BN ${pct(bn.finalTestAccuracy)} vs ${pct(plain.finalTestAccuracy)} without; 80% test accuracy reached ${reach(sb)} with BN, ${reach(sp)} without.`
        : `学习率 ${result.lr}，${steps} 步后：有 BN ${pct(bn.finalTestAccuracy)}，无 BN ${pct(plain.finalTestAccuracy)}；测试准确率达到 80%：有 BN ${reach(sb)}，无 BN ${reach(sp)}。`,
    );
    // From the first measurement after step 0 on: at step 0 BN's running statistics are still 0 and 1.
    const drift = (r: BatchnormRun) => {
      const median = range(r.p50.slice(1));
      const spread = range(
        r.p85.slice(1).map((v, i) => (v === null || r.p15[i + 1] == null ? null : v - r.p15[i + 1]!)),
      );
      return median && spread ? { median, spread } : null;
    };
    const a = drift(plain);
    const b = drift(bn);
    if (a && b) {
      const f = (x: number) => x.toFixed(2);
      const first = plain.steps[1] ?? 0;
      const wander = (d: { median: [number, number] }) => d.median[1] - d.median[0];
      const steadier = wander(b) < wander(a);
      findings.push(
        en
          ? `The input of sigmoid ${result.unit} of the last hidden layer, from step ${first} to ${steps}: its median moves over [${f(a.median[0])}, ${f(a.median[1])}] without BN and over [${f(b.median[0])}, ${f(b.median[1])}] with BN; its 15th–85th percentile spread ranges over [${f(a.spread[0])}, ${f(a.spread[1])}] without and [${f(b.spread[0])}, ${f(b.spread[1])}] with BN${steadier ? ' — with BN the distribution the sigmoid sees shifts less (figure 1b, c).' : '.'}`
          : `最后隐藏层第 ${result.unit} 个 sigmoid 的输入，从第 ${first} 步到第 ${steps} 步：中位数的变化范围无 BN 为 [${f(a.median[0])}, ${f(a.median[1])}]，有 BN 为 [${f(b.median[0])}, ${f(b.median[1])}]；第 15–85 百分位的宽度无 BN 在 [${f(a.spread[0])}, ${f(a.spread[1])}] 之间，有 BN 在 [${f(b.spread[0])}, ${f(b.spread[1])}] 之间${steadier ? '——有 BN 时 sigmoid 所见的输入分布漂移更小（图 1b、c）。' : '。'}`,
      );
    }
  }
  const plainL = find(result, result.largeLr, false);
  const bnL = find(result, result.largeLr, true);
  if (plainL && bnL) {
    const gap = 100 * (bnL.finalTestAccuracy - plainL.finalTestAccuracy);
    const ratio = Number((result.largeLr / result.lr).toPrecision(3));
    const median = plainL.p50[plainL.p50.length - 1] ?? null;
    const survived = gap >= 20;
    findings.push(
      en
        ? `At lr ${result.largeLr} (${ratio}× larger): with BN ${pct(bnL.finalTestAccuracy)} vs ${pct(plainL.finalTestAccuracy)} without (${gap.toFixed(1)} points)${median === null ? '' : `; without BN the followed sigmoid input ends with median ${median.toFixed(1)}${Math.abs(median) > 4 ? ' (saturated)' : ''}`}${survived ? ' — the BN network trains on, the plain one does not.' : '.'}`
        : `学习率 ${result.largeLr}（大 ${ratio} 倍）：有 BN ${pct(bnL.finalTestAccuracy)}，无 BN ${pct(plainL.finalTestAccuracy)}（相差 ${gap.toFixed(1)} 个百分点）${median === null ? '' : `；无 BN 时所跟踪的 sigmoid 输入中位数最终为 ${median.toFixed(1)}${Math.abs(median) > 4 ? '（已饱和）' : ''}`}${survived ? '——BN 网络继续学习，无 BN 的网络训练失败。' : '。'}`,
    );
  }
  const header = en
    ? [
        'network',
        'lr',
        'test accuracy',
        'training loss (last steps)',
        'sigmoid input median after step 0: min … max',
      ]
    : ['网络', '学习率', '测试准确率', '训练损失（最后若干步）', '第 0 步后 sigmoid 输入中位数：最小 … 最大'];
  const rows = result.runs.map((r) => {
    const m = range(r.p50.slice(1));
    return [
      netLabel(r.batchNorm, lang),
      r.lr,
      pct(r.finalTestAccuracy),
      r.finalTrainLoss === null ? '—' : r.finalTrainLoss.toFixed(3),
      m ? `${m[0].toFixed(2)} … ${m[1].toFixed(2)}` : '—',
    ];
  });
  return {
    title: tr(T.title, lang),
    shows: tr(T.shows, lang),
    findings,
    figures: [
      accuracyFigure(result, result.lr, lang),
      percentileFigure(result, result.lr, lang),
      accuracyFigure(result, result.largeLr, lang),
      percentileFigure(result, result.largeLr, lang),
    ],
    table: { header, rows },
  };
}

export const batchnorm: Experiment<BatchnormExperimentOptions, BatchnormResult> = {
  name: 'batchnorm',
  title: T.title,
  defaults,
  run,
  present,
};
