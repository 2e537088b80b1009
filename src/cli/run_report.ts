/** The report.html of a training run: curves, per-layer statistics and results, in English or Chinese. */

import { histogramPanels, lineChart } from '../report/figures.js';
import type { Lang } from '../report/html.js';
import { renderReport } from '../report/html.js';
import { renderSvg } from '../report/render.js';
import type { History } from '../train/history.js';
import type { LayerStats } from '../train/layer_stats.js';
import type { FinalSummary } from './progress.js';
import type { RunConfig } from './run_config.js';

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
    layerHead: ['layer', 'type', 'mean', 'std', 'saturated', 'dead', 'grad std'],
    testLoss: 'test loss',
    testAccuracy: 'test accuracy',
    bestEpoch: 'best epoch',
    epochs: 'epochs run',
    seconds: 'wall seconds',
    speed: 'samples/s',
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
    layerHead: ['层', '类型', '均值', '标准差', '饱和比例', '死亡比例', '梯度标准差'],
    testLoss: '测试损失',
    testAccuracy: '测试准确率',
    bestEpoch: '最佳轮次',
    epochs: '训练轮数',
    seconds: '耗时（秒）',
    speed: '样本/秒',
    stop: '停止原因',
  },
} as const;

const r4 = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '-' : Number(v.toPrecision(4)).toString();

export async function buildRunReport(o: {
  config: RunConfig;
  history: History;
  final: FinalSummary;
  layers: LayerStats[];
  lang: Lang;
}): Promise<string> {
  const t = T[o.lang];
  const e = o.history.epochs;
  const pts = (key: string) => e.map((l) => [l.epoch, l[key] as number] as [number, number]);
  const hasVal = e.some((l) => l.valLoss !== undefined);
  const figures = await Promise.all([
    renderSvg(
      lineChart(
        [
          { name: t.train, points: pts('trainLoss') },
          ...(hasVal ? [{ name: t.validation, points: pts('valLoss') }] : []),
        ],
        { title: t.loss, xTitle: t.epoch, yTitle: t.loss },
      ),
    ),
    renderSvg(
      lineChart(
        [
          { name: t.train, points: pts('trainAccuracy') },
          ...(hasVal ? [{ name: t.validation, points: pts('valAccuracy') }] : []),
        ],
        { title: t.accuracy, xTitle: t.epoch, yTitle: t.accuracy },
      ),
    ),
    renderSvg(
      lineChart([{ name: t.lr, points: o.history.stepLrs.map((v, i) => [i + 1, v] as [number, number]) }], {
        title: t.lr,
        xTitle: t.step,
        yTitle: t.lr,
      }),
    ),
    renderSvg(
      lineChart(
        [{ name: t.train, points: o.history.stepLosses.map((v, i) => [i + 1, v] as [number, number]) }],
        {
          title: t.stepLoss,
          xTitle: t.step,
          yTitle: t.loss,
          logY: true,
        },
      ),
    ),
  ]);
  const activations = o.layers.filter((l) => l.name !== '' && l.shape.length >= 2);
  const histograms = activations.length
    ? [
        await renderSvg(
          histogramPanels(
            activations.map((l) => ({
              name: `${l.name} ${l.type}`,
              edges: l.histogram.edges,
              counts: l.histogram.counts,
            })),
            { title: t.histograms, xTitle: 'a', columns: 4 },
          ),
        ),
      ]
    : [];
  const results: (string | number)[][] = [
    [t.testLoss, r4(o.final.testLoss)],
    [t.testAccuracy, r4(o.final.testAccuracy)],
    [t.bestEpoch, o.final.bestEpoch ?? '-'],
    [t.epochs, o.final.epochs],
    [t.seconds, o.final.wallSeconds.toFixed(1)],
    [t.speed, Math.round(o.final.samplesPerSec)],
  ];
  if (o.history.stopReason) results.push([t.stop, o.history.stopReason]);
  return renderReport({
    title: t.title,
    subtitle: `${o.config.arch} · ${o.config.optimizer} · ${o.config.data} · ${new Date().toISOString()}`,
    lang: o.lang,
    sections: [
      { title: t.results, table: { header: [t.metric, t.value], rows: results } },
      ...(o.history.warnings.length
        ? [{ title: t.warnings, text: o.history.warnings.map((w) => w.message) }]
        : []),
      { title: t.curves, figures },
      {
        title: t.layers,
        figures: histograms,
        table: {
          header: [...t.layerHead],
          rows: o.layers
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
        },
      },
      {
        title: t.config,
        table: {
          header: [t.metric, t.value],
          rows: Object.entries(o.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
        },
      },
    ],
  });
}
