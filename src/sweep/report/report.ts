/**
 * `descent sweep report DIR`: the sweep directory as a bilingual HTML report (the engine of
 * src/report/): the best trial and the `descent train` command line that reruns it, the best trials
 * in a table sorted by the spec's metric, each axis against the metric, the learning curves of the
 * top trials and parallel coordinates of every trial.
 */
import {
  type Lang,
  type Report,
  type ReportPage,
  type ReportSection,
  renderReport,
} from '../../report/html.js';
import { renderSvg } from '../../report/render.js';
import type { FigureSpec as TopLevelSpec } from '../../report/spec_type.js';
import { trainCommandLine } from '../best_command.js';
import type { TrialResult } from '../types.js';
import { axisFigure, curvesFigure, parallelFigure } from './figures.js';
import { type RankedTrial, rankTrials, type SweepAxis, sweepAxes } from './rank.js';
import type { SweepData } from './read.js';
import { SWEEP_REPORT_WORDS, type SweepReportWords } from './strings.js';

/** Rows of the best-trials table, and curves in the learning-curve figure. */
export const TABLE_ROWS = 20;
export const CURVES = 5;

export interface BestTrial {
  trialId: string;
  params: Record<string, unknown>;
  value: number;
  runDir: string;
  /** The `descent train` command line that reruns it (train trials only). */
  command: string | null;
}

export interface SweepReport {
  html: string;
  best: BestTrial | null;
  /** The figures of each language, as specifications (what the page shows, before rendering). */
  figures: Record<Lang, TopLevelSpec[]>;
}

const r4 = (v: unknown): string =>
  typeof v === 'number' ? (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '-') : String(v ?? '-');

function bestOf(ranked: readonly RankedTrial[]): BestTrial | null {
  const top = ranked[0];
  if (top === undefined || top.value === null) return null;
  const job = top.trial.job;
  return {
    trialId: top.trial.id,
    params: top.trial.params,
    value: top.value,
    runDir: top.result.runDir,
    command: job.kind === 'train' ? trainCommandLine(job.config) : null,
  };
}

function bestSection(best: BestTrial | null, data: SweepData, w: SweepReportWords): ReportSection {
  const metric = data.spec.metric;
  if (best === null) return { title: w.best, text: [w.noBest(metric)] };
  const text = [w.bestLine(best.trialId, metric, r4(best.value), best.runDir)];
  if (best.command !== null) text.push(w.rerun, best.command);
  return { title: w.best, text };
}

function tableSection(
  ranked: readonly RankedTrial[],
  axes: readonly SweepAxis[],
  data: SweepData,
  w: SweepReportWords,
): ReportSection {
  const rows = ranked
    .slice(0, TABLE_ROWS)
    .map((r, i) => [
      r.value === null ? '-' : i + 1,
      r.trial.id,
      w.status[r.result.status] ?? r.result.status,
      ...axes.map((a) => r4(r.trial.params[a.name])),
      r4(r.value),
      r.result.epochs.length,
    ]);
  return {
    title: w.table,
    text: [w.tableNote(rows.length, ranked.length)],
    table: {
      header: [
        w.head.rank,
        w.head.trial,
        w.head.status,
        ...axes.map((a) => a.name),
        data.spec.metric,
        w.head.epochs,
      ],
      rows,
    },
  };
}

/** Failed and diverged trials with their messages. */
function failedSection(results: readonly TrialResult[], w: SweepReportWords): ReportSection | null {
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'diverged');
  if (failed.length === 0) return null;
  return {
    title: w.failed,
    list: failed.map((r) => `${r.trialId} (${w.status[r.status]}): ${r.error ?? ''}`),
  };
}

/** "3 completed, 1 pruned": the finished trials by status. */
function statusCounts(results: readonly TrialResult[], w: SweepReportWords): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${w.status[s] ?? s}`).join(', ');
}

/** One language's figures (specifications), in page order: each axis, the curves, the parallel coordinates. */
function figureSpecs(
  ranked: readonly RankedTrial[],
  axes: readonly SweepAxis[],
  data: SweepData,
  w: SweepReportWords,
) {
  const metric = data.spec.metric;
  return {
    axes: axes.map((a) => axisFigure(a, ranked, metric, w)),
    curves: curvesFigure(ranked, metric, CURVES, w),
    parallel: parallelFigure(axes, ranked, metric, w),
  };
}

async function page(data: SweepData, ranked: readonly RankedTrial[], lang: Lang, best: BestTrial | null) {
  const w = SWEEP_REPORT_WORDS[lang];
  const axes = sweepAxes(data.spec, data.trials);
  const specs = figureSpecs(ranked, axes, data, w);
  const svg = (list: TopLevelSpec[]) => Promise.all(list.map((s) => renderSvg(s)));
  const counts = statusCounts(data.results, w);
  const sections: ReportSection[] = [
    bestSection(best, data, w),
    tableSection(ranked, axes, data, w),
    { title: w.axes, figures: await svg(specs.axes) },
    { title: w.curvesSection, figures: await svg([specs.curves]) },
    { title: w.parallelSection, figures: await svg([specs.parallel]) },
  ];
  const failed = failedSection(data.results, w);
  if (failed) sections.push(failed);
  const result: ReportPage = {
    title: w.title,
    subtitle: w.subtitle(data.results.length, counts, data.spec.metric, data.spec.mode),
    sections,
  };
  return { page: result, figures: [...specs.axes, specs.curves, specs.parallel] };
}

/** The report of a sweep directory's data, `lang` shown first. */
export async function buildSweepReport(data: SweepData, lang: Lang): Promise<SweepReport> {
  const ranked = rankTrials(data);
  const best = bestOf(ranked);
  const en = await page(data, ranked, 'en', best);
  const zh = await page(data, ranked, 'zh', best);
  const report: Report = { lang, en: en.page, zh: zh.page };
  return { html: renderReport(report), best, figures: { en: en.figures, zh: zh.figures } };
}
