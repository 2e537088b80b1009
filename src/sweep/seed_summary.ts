/**
 * The summary of an experiment run over N seeds: per setting the mean and its 95% Student t
 * interval, and for each comparison the experiment's findings make, the difference of the means,
 * Welch's two-sided t-test and Holm's adjustment over all of the experiment's comparisons (the
 * family-wise error stays at 5% however many comparisons it makes), said in words in both languages:
 * "Adam→SGD vs Adam: +0.21 points, not significant (Welch p = 0.41, Holm p = 0.82; 5 seeds)".
 */
import type { Bilingual } from '../experiments/types.js';
import { ACCURACY, type Comparison, type ExperimentMetrics } from './experiment_metrics.js';
import { holm, type MeanInterval, meanInterval, welchTTest } from './stats.js';

/** One seed's `--json` result. */
export interface SeedRun {
  seed: number;
  result: unknown;
}

export interface SettingSummary extends MeanInterval {
  setting: string;
  metric: string;
  /** The seeds that measured it (a seed whose run diverged leaves its value out) and their values. */
  seeds: number[];
  values: number[];
}

export interface ComparisonSummary extends Comparison {
  /** mean(a) − mean(b). */
  difference: number;
  /** Welch's two-sided p, and Holm's adjustment of it; null with fewer than two seeds on a side. */
  p: number | null;
  pHolm: number | null;
  /** Holm-adjusted p < 0.05; null when untested. */
  significant: boolean | null;
  sentence: Bilingual;
}

export interface SeedSummary {
  experiment: string;
  seeds: number[];
  /** The test, in words (what "significant" means here). */
  test: Bilingual;
  settings: SettingSummary[];
  comparisons: ComparisonSummary[];
}

/** The level of the tests and of the intervals' complement. */
export const ALPHA = 0.05;

/** Every seed's rows, grouped by (setting, metric) in first-seen order. */
function settingsOf(runs: readonly SeedRun[], metrics: ExperimentMetrics): SettingSummary[] {
  const groups = new Map<string, { setting: string; metric: string; seeds: number[]; values: number[] }>();
  for (const run of runs) {
    for (const row of metrics.rows(run.result)) {
      const key = `${row.setting}\u0000${row.metric}`;
      const g = groups.get(key) ?? { setting: row.setting, metric: row.metric, seeds: [], values: [] };
      g.seeds.push(run.seed);
      g.values.push(row.value);
      groups.set(key, g);
    }
  }
  return [...groups.values()].map((g) => ({ ...g, ...meanInterval(g.values) }));
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${Number(p.toPrecision(2))}`;
}

/**
 * "+0.21 points" / "+0.21 个百分点" for the test accuracy, "+17.74 points of test accuracy after 5
 * epochs" for another percentage, "−1.7 in final training loss" otherwise.
 */
function formatDifference(d: number, metric: string): Bilingual {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  if (metric === ACCURACY || metric.endsWith(' (%)')) {
    const v = `${sign}${Math.abs(d).toFixed(2)}`;
    if (metric === ACCURACY) return { en: `${v} points`, zh: `${v} 个百分点` };
    const what = metric.slice(0, -' (%)'.length);
    return { en: `${v} points of ${what}`, zh: `${what} ${v} 个百分点` };
  }
  const v = `${sign}${Number(Math.abs(d).toPrecision(3))}`;
  return { en: `${v} in ${metric}`, zh: `${metric} ${v}` };
}

function sentence(c: Omit<ComparisonSummary, 'sentence'>, seeds: number): Bilingual {
  const d = formatDifference(c.difference, c.metric);
  const head = { en: `${c.a} vs ${c.b}: ${d.en}`, zh: `${c.a} 对比 ${c.b}：${d.zh}` };
  if (c.p === null || c.pHolm === null) {
    return seeds < 2
      ? {
          en: `${head.en} (one seed: no interval, no test)`,
          zh: `${head.zh}（只有一个种子：无区间，无检验）`,
        }
      : {
          en: `${head.en} (fewer than two finite values on a side: no test)`,
          zh: `${head.zh}（某一方有限值少于两个：无检验）`,
        };
  }
  const ps = `Welch p ${formatP(c.p)}, Holm p ${formatP(c.pHolm)}`;
  return c.significant
    ? {
        en: `${head.en}, significant (${ps}; ${seeds} seeds)`,
        zh: `${head.zh}，显著（${ps}；${seeds} 个种子）`,
      }
    : {
        en: `${head.en}, not significant (${ps}; ${seeds} seeds)`,
        zh: `${head.zh}，不显著（${ps}；${seeds} 个种子）`,
      };
}

/** The comparisons with their differences, Welch p-values and Holm's adjustment over all of them. */
function compare(settings: readonly SettingSummary[], comparisons: readonly Comparison[], seeds: number) {
  const find = (name: string, metric: string) =>
    settings.find((s) => s.setting === name && s.metric === metric);
  const tested = comparisons.flatMap((c) => {
    const [a, b] = [find(c.a, c.metric), find(c.b, c.metric)];
    if (!a || !b) return [];
    const p = a.n >= 2 && b.n >= 2 ? welchTTest(a.values, b.values).p : null;
    return [{ ...c, difference: a.mean - b.mean, p }];
  });
  const ps = tested.flatMap((t) => (t.p === null ? [] : [t.p]));
  const adjusted = holm(ps);
  let k = 0;
  return tested.map((t): ComparisonSummary => {
    const pHolm = t.p === null ? null : adjusted[k++]!;
    const rest = { ...t, pHolm, significant: pHolm === null ? null : pHolm < ALPHA };
    return { ...rest, sentence: sentence(rest, seeds) };
  });
}

function testWords(seeds: number, comparisons: number): Bilingual {
  if (seeds < 2) {
    return {
      en: 'One seed: means only, no interval and no test (run with --seeds 2 or more).',
      zh: '只有一个种子：只有均值，没有区间和检验（用 --seeds 2 或更多运行）。',
    };
  }
  return {
    en: `Mean over ${seeds} seeds with its 95% interval (Student t). A difference is significant when Welch's two-sided t-test rejects equal means at 5% after Holm's correction over the experiment's ${comparisons} comparisons.`,
    zh: `${seeds} 个种子的均值及其 95% 置信区间（Student t）。差异“显著”指 Welch 双侧 t 检验在对本实验 ${comparisons} 个比较做 Holm 校正后，在 5% 水平上拒绝均值相等。`,
  };
}

/** The seed summary of one experiment from its runs (one per seed). */
export function summarizeSeeds(spec: {
  experiment: string;
  runs: readonly SeedRun[];
  metrics: ExperimentMetrics;
}): SeedSummary {
  const settings = settingsOf(spec.runs, spec.metrics);
  const n = spec.runs.length;
  const comparisons = compare(settings, spec.metrics.comparisons(settings.map((s) => s.setting)), n);
  return {
    experiment: spec.experiment,
    seeds: spec.runs.map((r) => r.seed),
    test: testWords(n, comparisons.length),
    settings,
    comparisons,
  };
}
