/**
 * The `batchnorm` experiment's section: test accuracy and the followed sigmoid input's percentiles at
 * both learning rates (Ioffe & Szegedy's figure 1), the findings and a table of every run. The text is
 * in batchnorm_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { BatchnormResult, BatchnormRun } from './batchnorm.js';
import { type Drift, BATCHNORM_STRINGS as T } from './batchnorm_strings.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const netLabel = (bn: boolean, lang: Lang) => (bn ? T.bn : T.plain)[lang];

function find(result: BatchnormResult, lr: number, bn: boolean): BatchnormRun | undefined {
  return result.runs.find((r) => r.lr === lr && r.batchNorm === bn);
}

/** The percentile bands of both networks side by side, on a shared y axis (figure 1b, c). */
function percentileFigure(result: BatchnormResult, lr: number, lang: Lang): FigureSpec {
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
    title: `${T.pctTitle[lang]} ${lr}`,
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
        x: { field: 'step', type: 'quantitative', title: T.step[lang] },
        y: { field: 'value', type: 'quantitative', title: T.pctAxis[lang], scale: { zero: false } },
        color: { field: 'percentile', type: 'nominal', title: T.percentile[lang] },
      },
    },
  };
}

function accuracyFigure(result: BatchnormResult, lr: number, lang: Lang): FigureSpec {
  const spec = lineChart(
    result.runs
      .filter((r) => r.lr === lr)
      .map((r) => ({
        name: netLabel(r.batchNorm, lang),
        points: r.steps.map((s, i): [number, number] => [s, r.testAccuracy[i]!]),
      })),
    { title: `${T.accTitle[lang]} ${lr}`, xTitle: T.step[lang], yTitle: T.accuracy[lang] },
  );
  return orderSeries(spec, [netLabel(false, lang), netLabel(true, lang)]);
}

function figures(result: BatchnormResult, lang: Lang): FigureSpec[] {
  return [
    accuracyFigure(result, result.lr, lang),
    percentileFigure(result, result.lr, lang),
    accuracyFigure(result, result.largeLr, lang),
    percentileFigure(result, result.largeLr, lang),
  ];
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

/** From the first measurement after step 0 on: at step 0 BN's running statistics are still 0 and 1. */
function drift(r: BatchnormRun): Drift | null {
  const median = range(r.p50.slice(1));
  const spread = range(
    r.p85.slice(1).map((v, i) => (v === null || r.p15[i + 1] == null ? null : v - r.p15[i + 1]!)),
  );
  return median && spread ? { median, spread } : null;
}

/** The findings at the course's learning rate: accuracy, speed, and how steady the sigmoid input is. */
function findingsAtLr(result: BatchnormResult, plain: BatchnormRun, bn: BatchnormRun, lang: Lang): string[] {
  const steps = result.runs[0]?.steps.at(-1) ?? 0;
  const level = 0.8;
  const out = [
    T.atLr({
      lr: result.lr,
      steps,
      bn: pct(bn.finalTestAccuracy),
      plain: pct(plain.finalTestAccuracy),
      reachBn: stepReaching(bn, level),
      reachPlain: stepReaching(plain, level),
    })[lang],
  ];
  const a = drift(plain);
  const b = drift(bn);
  if (a && b) {
    const wander = (d: Drift) => d.median[1] - d.median[0];
    const first = plain.steps[1] ?? 0;
    out.push(
      T.drift({ unit: result.unit, first, steps, plain: a, bn: b, steadier: wander(b) < wander(a) })[lang],
    );
  }
  return out;
}

function findings(result: BatchnormResult, lang: Lang): string[] {
  const out: string[] = [];
  const plain = find(result, result.lr, false);
  const bn = find(result, result.lr, true);
  if (plain && bn) out.push(...findingsAtLr(result, plain, bn, lang));
  const plainL = find(result, result.largeLr, false);
  const bnL = find(result, result.largeLr, true);
  if (plainL && bnL) {
    const gap = 100 * (bnL.finalTestAccuracy - plainL.finalTestAccuracy);
    out.push(
      T.largeLr({
        lr: result.largeLr,
        ratio: Number((result.largeLr / result.lr).toPrecision(3)),
        bn: pct(bnL.finalTestAccuracy),
        plain: pct(plainL.finalTestAccuracy),
        gap: gap.toFixed(1),
        median: plainL.p50[plainL.p50.length - 1] ?? null,
        survived: gap >= 20,
      })[lang],
    );
  }
  return out;
}

function table(result: BatchnormResult, lang: Lang): SectionTable {
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
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `batchnorm` result in a language. */
export const presentBatchnorm = presenter<BatchnormResult>(T, { figures, findings, table });
