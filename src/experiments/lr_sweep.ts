/**
 * Experiment 6, `lr-sweep`: the lecture's learning-rate slide ("学习率对训练的影响": the objective
 * changes too slowly — the learning rate is too low; the objective becomes NaN — usually too high;
 * advice [1e-3 … 1e-5]) measured: Adam and SGD at learning rates 1, 1e-1, …, 1e-5 train the same MLP
 * from the same initial weights on the same batches, and the trainer's own diagnostics say what went
 * wrong — the divergence guard (NaN, infinite or exploding loss: "the learning rate is very likely too
 * high") and the plateau detector (a flat loss: "may be too low").
 *
 * Default set-up: the course's MLP shape 784-100-100-100-10, here with ReLU and no batch norm
 * (PyTorch's default initialization), on the first 1,600 training samples of the injected data
 * (MNIST: `loadMnist()`), 3 epochs of batches of 32 (150 steps), cross-entropy. "SGD" is SGD with
 * momentum 0.9 (the course's SGD + Momentum). Plain SGD (`sgdMomentum: 0`) does not diverge at lr 1
 * on such networks: its loss peaks at 4–10 and its ReLUs die, leaving the loss near chance level.
 * With momentum the loss explodes past the guard's 1000× its first value at lr 1 for seeds 0, 2 and 3
 * (seed 1 peaks at 640×). The plateau detector compares the two halves of its last 60 steps (window
 * 60, tolerance 1%, and only while the loss is above 90% of its starting level).
 *
 * Each run's verdict: 'diverged' when the guard fired, 'too slow' when the plateau detector fired,
 * else 'learning'.
 */
import type { TopLevelSpec } from 'vega-lite';
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import { movingAverage, trainMlp } from './mlp_runs.js';
import { resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import { type Experiment, type ExperimentPresentation, type Lang, tr } from './types.js';

export type LrSweepOptimizer = 'adam' | 'sgd';

export interface LrSweepOptions {
  /** `{ train, test }` or a loader of them, e.g. `() => loadMnist()`; required (only `train` is used). */
  data?: TrainTestSource;
  optimizers: LrSweepOptimizer[];
  /** Learning rates, largest first (default 1, 0.1, …, 1e-5). */
  lrs: number[];
  /** Momentum of 'sgd' (default 0.9; 0 for plain SGD). */
  sgdMomentum: number;
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
  trainSize: number;
  epochs: number;
  batchSize: number;
  /** Steps compared by the plateau detector (even, ≥ 4; default 60). */
  plateauWindow: number;
  seed: number;
}

export type LrVerdict = 'diverged' | 'too slow' | 'learning';

export interface LrSweepRun {
  optimizer: LrSweepOptimizer;
  lr: number;
  /** Within the course's advice [1e-5, 1e-3]. */
  advised: boolean;
  verdict: LrVerdict;
  /** Per step; null where the loss was NaN or infinite. */
  stepLosses: (number | null)[];
  epochLosses: number[];
  /** The trainer's warnings, in order (divergence guard, plateau detector). */
  warnings: { kind: 'divergence' | 'plateau'; message: string; epoch: number; step: number }[];
  stopReason: string | null;
  /** Mean of the last 20 finite step losses (the loss where training ended or was stopped). */
  finalLoss: number | null;
  /** The largest finite step loss. */
  peakLoss: number | null;
}

export interface LrSweepResult {
  /** The course's advice [low, high]. */
  advice: [number, number];
  steps: number;
  runs: LrSweepRun[];
}

export const COURSE_LR_ADVICE: [number, number] = [1e-5, 1e-3];

const defaults: LrSweepOptions = {
  optimizers: ['adam', 'sgd'],
  lrs: [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5],
  sgdMomentum: 0.9,
  hidden: [100, 100, 100],
  activation: 'relu',
  trainSize: 1600,
  epochs: 3,
  batchSize: 32,
  plateauWindow: 60,
  seed: 0,
};

function run(options: Partial<LrSweepOptions> = {}): LrSweepResult {
  const o = { ...defaults, ...options };
  const who = 'lr-sweep';
  for (const name of o.optimizers) {
    if (name !== 'adam' && name !== 'sgd')
      throw new RangeError(`${who}: unknown optimizer '${name}'; accepted: adam, sgd`);
  }
  for (const lr of o.lrs) {
    if (!(lr > 0) || !Number.isFinite(lr))
      throw new RangeError(`${who}: learning rates must be positive, got ${lr}`);
  }
  const train = takeSamples(who, resolveTrainTest(who, o.data).train, 'trainSize', o.trainSize);
  const runs: LrSweepRun[] = [];
  for (const optimizer of o.optimizers) {
    for (const lr of o.lrs) {
      const r = trainMlp({
        train,
        val: null,
        hidden: o.hidden,
        activation: o.activation,
        optimizer,
        optimizerOptions: optimizer === 'sgd' && o.sgdMomentum > 0 ? { lr, momentum: o.sgdMomentum } : { lr },
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        plateauWindow: o.plateauWindow,
      });
      const finiteLosses = r.stepLosses.filter((l): l is number => l !== null);
      const tail = finiteLosses.slice(-20);
      const verdict: LrVerdict = r.warnings.some((w) => w.kind === 'divergence')
        ? 'diverged'
        : r.warnings.some((w) => w.kind === 'plateau')
          ? 'too slow'
          : 'learning';
      runs.push({
        optimizer,
        lr,
        advised: lr >= COURSE_LR_ADVICE[0] * (1 - 1e-9) && lr <= COURSE_LR_ADVICE[1] * (1 + 1e-9),
        verdict,
        stepLosses: r.stepLosses,
        epochLosses: r.epochLosses,
        warnings: r.warnings,
        stopReason: r.stopReason,
        finalLoss: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null,
        peakLoss: finiteLosses.length ? Math.max(...finiteLosses) : null,
      });
    }
  }
  return {
    advice: COURSE_LR_ADVICE,
    steps: Math.ceil(o.trainSize / o.batchSize) * o.epochs,
    runs,
  };
}

const T = {
  title: {
    en: 'Learning-rate sweep: too high, too low, and the course’s advice',
    zh: '学习率扫描：过高、过低与课程建议',
  },
  shows: {
    en: 'Reproduces the lecture\'s learning-rate slide ("学习率对训练的影响"): when the objective becomes NaN or explodes the learning rate is too high, when it barely changes it is too low; the advice is [1e-3 … 1e-5]. Adam and SGD with momentum train the same MLP on MNIST from the same weights at every rate; the trainer\'s divergence guard and plateau detector give their diagnosis.',
    zh: '复现课件中“学习率对训练的影响”：目标函数出现 NaN 或爆炸说明学习率太高，变化太慢说明学习率太低；建议取 [1e-3 … 1e-5]。Adam 与带动量的 SGD 以相同初始权重在 MNIST 上训练同一个 MLP；训练器的发散检测与平台检测给出诊断。',
  },
  step: { en: 'step', zh: '迭代步数' },
  loss: { en: 'training loss (moving average of 10 steps)', zh: '训练损失（10 步滑动平均）' },
  curves: { en: 'loss curves', zh: '损失曲线' },
  lr: { en: 'learning rate', zh: '学习率' },
  finalLoss: { en: 'loss at the end (or when stopped)', zh: '结束（或被停止）时的损失' },
  byLr: {
    en: 'loss reached against learning rate; shaded: the course’s advice 1e-5 … 1e-3',
    zh: '损失与学习率；阴影：课程建议 1e-5 … 1e-3',
  },
  verdict: {
    diverged: { en: 'diverged', zh: '发散' },
    'too slow': { en: 'too slow', zh: '过慢' },
    learning: { en: 'learning', zh: '正常下降' },
  },
};

const optimizerLabel = (name: LrSweepOptimizer) => (name === 'adam' ? 'Adam' : 'SGD');
const lrText = (lr: number) => (lr >= 0.01 ? String(lr) : lr.toExponential(0));

/** Loss against learning rate per optimizer, on log axes, with the advised range shaded. */
function lossByLr(result: LrSweepResult, lang: Lang): TopLevelSpec {
  const values = result.runs
    .filter((r) => r.finalLoss !== null && r.finalLoss > 0)
    .map((r) => ({
      optimizer: optimizerLabel(r.optimizer),
      lr: r.lr,
      loss: r.finalLoss!,
      verdict: tr(T.verdict[r.verdict], lang),
    }));
  const verdicts = (['diverged', 'too slow', 'learning'] as const).map((v) => tr(T.verdict[v], lang));
  const x = {
    field: 'lr',
    type: 'quantitative' as const,
    scale: { type: 'log' as const },
    axis: { format: '.0e' },
    title: tr(T.lr, lang),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: tr(T.byLr, lang),
    width: 360,
    height: 220,
    layer: [
      {
        data: { values: [{ lo: result.advice[0], hi: result.advice[1] }] },
        mark: { type: 'rect', color: '#2ca02c', opacity: 0.12 },
        encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' } },
      },
      {
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x,
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: tr(T.finalLoss, lang) },
          color: { field: 'optimizer', type: 'nominal', title: null },
        },
      },
      {
        data: { values },
        mark: { type: 'point', size: 70, filled: true },
        encoding: {
          x,
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'optimizer', type: 'nominal', title: null },
          shape: {
            field: 'verdict',
            type: 'nominal',
            title: null,
            scale: { domain: verdicts, range: ['cross', 'triangle-up', 'circle'] },
          },
        },
      },
    ],
  };
}

function present(result: LrSweepResult, lang: Lang): ExperimentPresentation {
  const optimizers = [...new Set(result.runs.map((r) => r.optimizer))];
  const curves = optimizers.map((name) => {
    const runs = result.runs.filter((r) => r.optimizer === name);
    return orderSeries(
      lineChart(
        runs.map((r) => ({
          name: `lr ${lrText(r.lr)}`,
          points: movingAverage(r.stepLosses, 10)
            .map((l, k): [number, number] => [k + 1, l ?? Number.NaN])
            .filter(([, l]) => Number.isFinite(l)),
        })),
        {
          title: `${optimizerLabel(name)}: ${tr(T.curves, lang)}`,
          xTitle: tr(T.step, lang),
          yTitle: tr(T.loss, lang),
          logY: true,
        },
      ),
      runs.map((r) => `lr ${lrText(r.lr)}`),
    );
  });
  const en = lang === 'en';
  const findings: string[] = [];
  for (const name of optimizers) {
    const runs = result.runs.filter((r) => r.optimizer === name);
    const list = (v: LrVerdict) => runs.filter((r) => r.verdict === v).map((r) => lrText(r.lr));
    const diverged = list('diverged');
    const slow = list('too slow');
    const learning = runs.filter((r) => r.verdict === 'learning');
    const best = learning.reduce<LrSweepRun | null>(
      (b, r) => (b === null || (r.finalLoss ?? Infinity) < (b.finalLoss ?? Infinity) ? r : b),
      null,
    );
    findings.push(
      en
        ? `${optimizerLabel(name)}: diverged at lr ${diverged.join(', ') || '(none)'}; too slow (plateau warning) at ${slow.join(', ') || '(none)'}; learning at ${learning.map((r) => lrText(r.lr)).join(', ') || '(none)'}${best ? `, lowest loss ${best.finalLoss!.toFixed(3)} at lr ${lrText(best.lr)}` : ''}.`
        : `${optimizerLabel(name)}：学习率 ${diverged.join('、') || '（无）'} 发散；${slow.join('、') || '（无）'} 过慢（平台警告）；${learning.map((r) => lrText(r.lr)).join('、') || '（无）'} 正常下降${best ? `，最低损失 ${best.finalLoss!.toFixed(3)}（学习率 ${lrText(best.lr)}）` : ''}。`,
    );
  }
  const first = (kind: 'divergence' | 'plateau') =>
    result.runs.find((r) => r.warnings.some((w) => w.kind === kind));
  for (const kind of ['divergence', 'plateau'] as const) {
    const r = first(kind);
    const w = r?.warnings.find((q) => q.kind === kind);
    if (r && w) findings.push(`${optimizerLabel(r.optimizer)}, lr ${lrText(r.lr)}: “${w.message}”`);
  }
  const header = en
    ? ['optimizer', 'lr', 'advised', 'verdict', 'loss at the end', 'peak loss', 'steps run', 'diagnostic']
    : ['优化器', '学习率', '课程建议范围内', '结论', '最终损失', '最大损失', '运行步数', '诊断信息'];
  const rows = result.runs.map((r) => [
    optimizerLabel(r.optimizer),
    lrText(r.lr),
    r.advised ? (en ? 'yes' : '是') : '',
    tr(T.verdict[r.verdict], lang),
    r.finalLoss === null ? '—' : r.finalLoss.toPrecision(3),
    r.peakLoss === null ? '—' : r.peakLoss.toPrecision(3),
    r.stepLosses.length,
    r.warnings.map((w) => w.message).join(' / '),
  ]);
  return {
    title: tr(T.title, lang),
    shows: tr(T.shows, lang),
    findings,
    figures: [...curves, lossByLr(result, lang)],
    table: { header, rows },
  };
}

export const lrSweep: Experiment<LrSweepOptions, LrSweepResult> = {
  name: 'lr-sweep',
  title: T.title,
  defaults,
  run,
  present,
};
