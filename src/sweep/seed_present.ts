/**
 * The seed summary as a section of the experiments report (the same shape every experiment's
 * presenter returns): the test in words, one sentence per comparison, a table of means and 95%
 * intervals, and per metric a figure of each setting's mean with its interval.
 */
import type { ExperimentPresentation, Lang } from '../experiments/types.js';
import type { FigureSpec as TopLevelSpec } from '../report/spec_type.js';
import type { SeedSummary, SettingSummary } from './seed_summary.js';

const T = {
  title: { en: (n: number) => `Over ${n} seeds`, zh: (n: number) => `${n} 个种子` },
  head: {
    en: ['setting', 'metric', 'mean', '95% interval', 'seeds'],
    zh: ['设置', '指标', '均值', '95% 置信区间', '种子数'],
  },
  none: { en: 'none (one seed)', zh: '无（一个种子）' },
  mean: { en: 'mean, 95% interval', zh: '均值与 95% 置信区间' },
} as const;

const r3 = (x: number) => Number(x.toPrecision(4)).toString();

function interval(s: SettingSummary, lang: Lang): string {
  return s.interval === null ? T.none[lang] : `[${r3(s.interval[0])}, ${r3(s.interval[1])}]`;
}

/** One metric's settings: a point at the mean and a rule across the interval. */
function metricFigure(settings: readonly SettingSummary[], metric: string, lang: Lang): TopLevelSpec {
  const values = settings.map((s) => ({
    setting: s.setting,
    mean: s.mean,
    low: s.interval?.[0] ?? s.mean,
    high: s.interval?.[1] ?? s.mean,
  }));
  const y = { field: 'setting', type: 'nominal' as const, title: null, sort: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${metric}: ${T.mean[lang]}`,
    width: 360,
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', title: metric, scale: { zero: false } },
          x2: { field: 'high' },
        },
      },
      {
        mark: { type: 'point', filled: true },
        encoding: { y, x: { field: 'mean', type: 'quantitative' } },
      },
    ],
  };
}

export function presentSeeds(summary: SeedSummary, lang: Lang): ExperimentPresentation {
  const metrics = [...new Set(summary.settings.map((s) => s.metric))];
  return {
    title: `${summary.experiment}: ${T.title[lang](summary.seeds.length)}`,
    shows: summary.test[lang],
    findings: summary.comparisons.map((c) => c.sentence[lang]),
    figures: metrics.map((m) =>
      metricFigure(
        summary.settings.filter((s) => s.metric === m),
        m,
        lang,
      ),
    ),
    table: {
      header: [...T.head[lang]],
      rows: summary.settings.map((s) => [s.setting, s.metric, r3(s.mean), interval(s, lang), s.n]),
    },
  };
}
