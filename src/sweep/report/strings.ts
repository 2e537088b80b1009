/** The sweep report's words in English and Chinese. */
import type { Lang } from '../../report/html.js';
import type { FigureWords } from './figures.js';

export interface SweepReportWords extends FigureWords {
  title: string;
  subtitle: (trials: number, counts: string, metric: string, mode: 'max' | 'min') => string;
  best: string;
  bestLine: (id: string, metric: string, value: string, dir: string) => string;
  noBest: (metric: string) => string;
  rerun: string;
  table: string;
  tableNote: (shown: number, total: number) => string;
  head: { rank: string; trial: string; status: string; epochs: string };
  axes: string;
  curvesSection: string;
  parallelSection: string;
  failed: string;
  status: Record<string, string>;
}

export const SWEEP_REPORT_WORDS: Record<Lang, SweepReportWords> = {
  en: {
    title: 'descent sweep report',
    subtitle: (n, counts, metric, mode) =>
      `${n} trials finished (${counts}); ranked by ${metric}, ${mode === 'max' ? 'higher' : 'lower'} is better`,
    best: 'Best trial',
    bestLine: (id, metric, value, dir) => `${id}: ${metric} ${value} (run directory ${dir})`,
    noBest: (metric) => `No trial has a value of ${metric} yet.`,
    rerun: 'Rerun it alone (same seed, same numbers):',
    table: 'Best trials',
    tableNote: (shown, total) => `The ${shown} best of ${total} finished trials.`,
    head: { rank: '#', trial: 'trial', status: 'status', epochs: 'epochs' },
    axes: 'Each axis against the metric',
    against: (axis, metric) => `${metric} against ${axis}`,
    curvesSection: 'Learning curves of the top trials',
    curves: (metric, n) => `${metric} per epoch, top ${n} trials`,
    parallelSection: 'Parallel coordinates',
    parallel: 'Every trial across the axes (each normalized to [0, 1])',
    epoch: 'epoch',
    normalized: 'normalized value',
    failed: 'Trials without a result',
    status: {
      completed: 'completed',
      stopped: 'stopped',
      diverged: 'diverged',
      pruned: 'pruned',
      failed: 'failed',
    },
  },
  zh: {
    title: 'descent 超参数搜索报告',
    subtitle: (n, counts, metric, mode) =>
      `已完成 ${n} 个试验（${counts}）；按 ${metric} 排序，${mode === 'max' ? '越高越好' : '越低越好'}`,
    best: '最佳试验',
    bestLine: (id, metric, value, dir) => `${id}：${metric} ${value}（运行目录 ${dir}）`,
    noBest: (metric) => `还没有试验得到 ${metric} 的值。`,
    rerun: '单独重新运行（同一种子，同样的结果）：',
    table: '最佳试验列表',
    tableNote: (shown, total) => `${total} 个已完成试验中最好的 ${shown} 个。`,
    head: { rank: '名次', trial: '试验', status: '状态', epochs: '轮数' },
    axes: '各个维度与指标的关系',
    against: (axis, metric) => `${metric} 与 ${axis}`,
    curvesSection: '最佳试验的学习曲线',
    curves: (metric, n) => `每轮的 ${metric}，最佳的 ${n} 个试验`,
    parallelSection: '平行坐标图',
    parallel: '所有试验在各维度上的取值（各自归一化到 [0, 1]）',
    epoch: '轮次',
    normalized: '归一化的值',
    failed: '没有结果的试验',
    status: { completed: '完成', stopped: '提前停止', diverged: '发散', pruned: '被剪枝', failed: '失败' },
  },
};
