/**
 * The report.html of a training run: curves, per-layer statistics and results, in English and Chinese
 * (one page, switched in it; `--lang` picks the one shown first).
 */

import { histogramPanels, lineChart } from '../report/figures.js';
import { type Lang, type ReportPage, renderReport } from '../report/html.js';
import { renderSvg } from '../report/render.js';
import type { History } from '../train/history.js';
import type { LayerStats } from '../train/layer_stats.js';
import type { FinalSummary } from './progress.js';
import type { RunConfig } from './run_config.js';
import { classificationSections, type RunClassification } from './run_report_metrics.js';

const T = {
  en: {
    title: 'descent training report',
    results: 'Results',
    curves: 'Training curves',
    loss: 'Loss',
    accuracy: 'Accuracy',
    lr: 'Learning rate',
    stepLoss: 'Loss per step',
    epoch: 'epoch',
    step: 'step',
    train: 'train',
    validation: 'validation',
    layers: 'Per-layer statistics (one test batch)',
    histograms: 'Activation histograms per layer',
    warnings: 'Warnings',
    config: 'Configuration',
    metric: 'metric',
    value: 'value',
    setting: 'setting',
    count: 'count',
    layerHead: ['layer', 'type', 'mean', 'std', 'saturated', 'dead', 'grad std'],
    testLoss: 'test loss',
    testAccuracy: 'test accuracy',
    bestEpoch: 'best epoch',
    epochs: 'epochs run',
    seconds: 'wall seconds',
    speed: 'samples/s',
    steadySpeed: 'samples/s after the first epoch',
    warmup: 'first epoch’s warm-up (s)',
    stop: 'stopped because',
  },
  zh: {
    title: 'descent 训练报告',
    results: '结果',
    curves: '训练曲线',
    loss: '损失',
    accuracy: '准确率',
    lr: '学习率',
    stepLoss: '每步损失',
    epoch: '轮次',
    step: '步',
    train: '训练集',
    validation: '验证集',
    layers: '逐层统计（一个测试批次）',
    histograms: '各层激活值直方图',
    warnings: '警告',
    config: '配置',
    metric: '指标',
    value: '数值',
    setting: '设置项',
    count: '计数',
    layerHead: ['层', '类型', '均值', '标准差', '饱和比例', '死亡比例', '梯度标准差'],
    testLoss: '测试损失',
    testAccuracy: '测试准确率',
    bestEpoch: '最佳轮次',
    epochs: '训练轮数',
    seconds: '耗时（秒）',
    speed: '样本/秒',
    steadySpeed: '首轮之后的样本/秒',
    warmup: '首轮预热耗时（秒）',
    stop: '停止原因',
  },
} as const;

const r4 = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '-' : Number(v.toPrecision(4)).toString();

type Strings = (typeof T)[Lang];

/** What a run's report is made of. */
interface RunReportInput {
  config: RunConfig;
  history: History;
  final: FinalSummary;
  layers: LayerStats[];
  lang: Lang;
  /** The test split's per-class metrics and confusion matrix (run_report_metrics.ts), when classifying. */
  classification?: RunClassification;
}

/** The report.html of a run, in both languages: each page holds results, warnings, curves, per-layer statistics and the configuration. */
export async function buildRunReport(o: RunReportInput): Promise<string> {
  const subtitle = `${o.config.arch} · ${o.config.optimizer} · ${o.config.data} · ${new Date().toISOString()}`;
  const [en, zh] = await Promise.all([runPage(o, T.en, subtitle), runPage(o, T.zh, subtitle)]);
  return renderReport({ lang: o.lang, en, zh });
}

/** The report's page in the language of `t`. */
async function runPage(o: RunReportInput, t: Strings, subtitle: string): Promise<ReportPage> {
  const [figures, histograms] = await Promise.all([
    curveFigures(o.history, t),
    histogramFigures(o.layers, t),
  ]);
  return {
    title: t.title,
    subtitle,
    sections: [
      { title: t.results, table: { header: [t.metric, t.value], rows: resultRows(o.final, o.history, t) } },
      ...(o.history.warnings.length
        ? [{ title: t.warnings, text: o.history.warnings.map((w) => w.message) }]
        : []),
      { title: t.curves, figures },
      ...(o.classification ? await classificationSections(o.classification, t === T.zh ? 'zh' : 'en') : []),
      { title: t.layers, figures: histograms, table: layerTable(o.layers, t) },
      {
        title: t.config,
        table: {
          header: [t.setting, t.value],
          rows: Object.entries(o.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
        },
      },
    ],
  };
}

/** Loss and accuracy per epoch (train, and validation when there is one), the rate and the loss per step. */
function curveFigures(history: History, t: Strings): Promise<string[]> {
  const e = history.epochs;
  const pts = (key: string) => e.map((l) => [l.epoch, l[key] as number] as [number, number]);
  const hasVal = e.some((l) => l.valLoss !== undefined);
  const perEpoch = (trainKey: string, valKey: string, title: string) =>
    lineChart(
      [
        { name: t.train, points: pts(trainKey) },
        ...(hasVal ? [{ name: t.validation, points: pts(valKey) }] : []),
      ],
      { title, xTitle: t.epoch, yTitle: title },
    );
  const perStep = (values: number[]) => values.map((v, i) => [i + 1, v] as [number, number]);
  return Promise.all([
    renderSvg(perEpoch('trainLoss', 'valLoss', t.loss)),
    renderSvg(perEpoch('trainAccuracy', 'valAccuracy', t.accuracy)),
    renderSvg(
      lineChart([{ name: t.lr, points: perStep(history.stepLrs) }], {
        title: t.lr,
        xTitle: t.step,
        yTitle: t.lr,
      }),
    ),
    renderSvg(
      lineChart([{ name: t.train, points: perStep(history.stepLosses) }], {
        title: t.stepLoss,
        xTitle: t.step,
        yTitle: t.loss,
        logY: true,
      }),
    ),
  ]);
}

/** One panel of activation histograms for the named layers whose output has a batch and a feature axis. */
async function histogramFigures(layers: LayerStats[], t: Strings): Promise<string[]> {
  const activations = layers.filter((l) => l.name !== '' && l.shape.length >= 2);
  if (!activations.length) return [];
  const panels = activations.map((l) => ({
    name: `${l.name} ${l.type}`,
    edges: l.histogram.edges,
    counts: l.histogram.counts,
  }));
  const o = { title: t.histograms, xTitle: 'a', yTitle: t.count, columns: 4 };
  return [await renderSvg(histogramPanels(panels, o))];
}

function resultRows(final: FinalSummary, history: History, t: Strings): (string | number)[][] {
  const rows: (string | number)[][] = [
    [t.testLoss, r4(final.testLoss)],
    [t.testAccuracy, r4(final.testAccuracy)],
    [t.bestEpoch, final.bestEpoch ?? '-'],
    [t.epochs, final.epochs],
    [t.seconds, final.wallSeconds.toFixed(1)],
    [t.speed, Math.round(final.samplesPerSec)],
  ];
  // The steady state and the warm-up exist once two epochs ran in this process (run/throughput.ts).
  if (final.steadySamplesPerSec !== null) rows.push([t.steadySpeed, Math.round(final.steadySamplesPerSec)]);
  if (final.warmupSeconds !== null) rows.push([t.warmup, final.warmupSeconds.toFixed(2)]);
  if (history.stopReason) rows.push([t.stop, history.stopReason]);
  return rows;
}

function layerTable(layers: LayerStats[], t: Strings): { header: string[]; rows: (string | number)[][] } {
  return {
    header: [...t.layerHead],
    rows: layers
      .filter((l) => l.name !== '')
      .map((l) => [
        l.name,
        l.type,
        r4(l.mean),
        r4(l.std),
        r4(l.saturatedFraction),
        r4(l.deadFraction),
        r4(l.gradStd),
      ]),
  };
}
