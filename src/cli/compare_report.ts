/**
 * The report of `descent compare`: the runs' curves overlaid (train and validation loss and accuracy,
 * the learning rate, one line per run), a summary of each run's last epoch, and their settings diffed
 * (a table of the keys that differ, then the keys they share). One page in English and Chinese, built
 * with the report engine (renderReport, lineChart) as the run report is.
 */
import { lineChart } from '../report/figures.js';
import { type Lang, type ReportPage, type ReportSection, renderReport } from '../report/html.js';
import { renderSvg } from '../report/render.js';
import { type ConfigDiff, settingText } from './config_diff.js';
import type { EpochMetrics, RunRecord } from './run_dir_read.js';

const T = {
  en: {
    title: 'descent run comparison',
    curves: 'Curves',
    trainLoss: 'Training loss',
    valLoss: 'Validation loss',
    trainAccuracy: 'Training accuracy',
    valAccuracy: 'Validation accuracy',
    lr: 'Learning rate',
    epoch: 'epoch',
    summary: 'Last epoch',
    run: 'run',
    differing: 'Settings that differ',
    noneDiffer: 'Every setting is the same in all runs.',
    identical: 'Settings shared by all runs',
    setting: 'setting',
    value: 'value',
    runs: (n: number) => `${n} runs`,
  },
  zh: {
    title: 'descent 运行对比',
    curves: '曲线',
    trainLoss: '训练损失',
    valLoss: '验证损失',
    trainAccuracy: '训练准确率',
    valAccuracy: '验证准确率',
    lr: '学习率',
    epoch: '轮次',
    summary: '最后一轮',
    run: '运行',
    differing: '不同的设置',
    noneDiffer: '所有运行的设置完全相同。',
    identical: '所有运行相同的设置',
    setting: '设置项',
    value: '数值',
    runs: (n: number) => `${n} 个运行`,
  },
} as const;

type Strings = (typeof T)[Lang];

/** The curves compared, by their metrics.jsonl key. */
const CURVES = ['trainLoss', 'valLoss', 'trainAccuracy', 'valAccuracy', 'lr'] as const;
type CurveKey = (typeof CURVES)[number];

const r4 = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : Number(v.toPrecision(4)).toString();

function points(epochs: readonly EpochMetrics[], key: CurveKey): [number, number][] {
  return epochs.filter((e) => typeof e[key] === 'number').map((e) => [e.epoch, e[key] as number]);
}

/** One chart per curve that some run measured, with a line per run. */
function curveFigures(runs: readonly RunRecord[], t: Strings): Promise<string[]> {
  const charts = CURVES.map((key) => ({
    key,
    series: runs.map((r) => ({ name: r.dir, points: points(r.epochs, key) })),
  }))
    .filter(({ series }) => series.some((s) => s.points.length > 0))
    .map(({ key, series }) =>
      // Linear axes, as the run report's per-epoch curves: a few epochs' losses span far less than a decade.
      lineChart(series, { title: t[key], xTitle: t.epoch, yTitle: t[key] }),
    );
  return Promise.all(charts.map(renderSvg));
}

function summaryTable(runs: readonly RunRecord[], t: Strings): ReportSection['table'] {
  return {
    header: [t.run, t.epoch, ...CURVES.map((k) => k)],
    rows: runs.map((r) => {
      const last = r.epochs.at(-1);
      return [r.dir, last?.epoch ?? '-', ...CURVES.map((k) => r4(last?.[k]))];
    }),
  };
}

function configSections(runs: readonly RunRecord[], diff: ConfigDiff, t: Strings): ReportSection[] {
  const differing = Object.entries(diff.differing);
  return [
    differing.length > 0
      ? {
          title: t.differing,
          table: {
            header: [t.setting, ...runs.map((r) => r.dir)],
            rows: differing.map(([k, vs]) => [k, ...vs.map(settingText)]),
          },
        }
      : { title: t.differing, text: [t.noneDiffer] },
    {
      title: `${t.identical} (${Object.keys(diff.identical).length})`,
      table: {
        header: [t.setting, t.value],
        rows: Object.entries(diff.identical).map(([k, v]) => [k, settingText(v)]),
      },
    },
  ];
}

async function comparePage(runs: readonly RunRecord[], diff: ConfigDiff, t: Strings): Promise<ReportPage> {
  return {
    title: t.title,
    subtitle: `${t.runs(runs.length)}: ${runs.map((r) => r.dir).join(' · ')}`,
    sections: [
      ...configSections(runs, diff, t).slice(0, 1),
      { title: t.curves, figures: await curveFigures(runs, t) },
      { title: t.summary, table: summaryTable(runs, t) },
      ...configSections(runs, diff, t).slice(1),
    ],
  };
}

/** The comparison page in both languages, `lang` shown first. */
export async function buildCompareReport(spec: {
  runs: readonly RunRecord[];
  diff: ConfigDiff;
  lang: Lang;
}): Promise<string> {
  const [en, zh] = await Promise.all([
    comparePage(spec.runs, spec.diff, T.en),
    comparePage(spec.runs, spec.diff, T.zh),
  ]);
  return renderReport({ lang: spec.lang, en, zh });
}
