/**
 * The `overfitting` experiment's section: training and validation accuracy per variant, the validation
 * loss, the generalization gap, the findings and a table of every run. The text is in
 * overfitting_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { OverfittingResult, OverfittingRun, OverfittingVariant } from './overfitting.js';
import { OVERFITTING_STRINGS as T } from './overfitting_strings.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const variantLabel = (v: OverfittingVariant, lang: Lang) => T.variant[v][lang];
const points = (v: number) => (100 * v).toFixed(1);

/** Small multiples: per variant, training and validation accuracy against epoch. */
function curvesFigure(result: OverfittingResult, lang: Lang): FigureSpec {
  const order = result.runs.map((r) => variantLabel(r.variant, lang));
  const values = result.runs.flatMap((r) =>
    r.epochs.flatMap((e) => [
      {
        variant: variantLabel(r.variant, lang),
        split: T.train[lang],
        epoch: e.epoch,
        accuracy: e.trainAccuracy,
      },
      {
        variant: variantLabel(r.variant, lang),
        split: T.val[lang],
        epoch: e.epoch,
        accuracy: e.valAccuracy,
      },
    ]),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: T.curvesTitle[lang],
    data: { values },
    facet: { field: 'variant', type: 'nominal', title: null, sort: order },
    columns: 3,
    spec: {
      width: 170,
      height: 120,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: T.epoch[lang] },
        y: { field: 'accuracy', type: 'quantitative', title: T.accuracy[lang], scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: T.split[lang] },
      },
    },
  };
}

/** Bars of the generalization gap per variant, labelled with the test accuracy. */
function gapFigure(result: OverfittingResult, lang: Lang): FigureSpec {
  const order = result.runs.map((r) => variantLabel(r.variant, lang));
  const values = result.runs.map((r) => ({
    variant: variantLabel(r.variant, lang),
    gap: 100 * r.gap,
    test: `${T.test[lang]} ${pct(r.testAccuracy)}`,
  }));
  const x = { field: 'variant', type: 'nominal' as const, sort: order, title: null, axis: { labelAngle: 0 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: T.gapTitle[lang],
    width: 420,
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: { x, y: { field: 'gap', type: 'quantitative', title: T.gap[lang] } },
      },
      {
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: { x, y: { field: 'gap', type: 'quantitative' }, text: { field: 'test', type: 'nominal' } },
      },
    ],
  };
}

function valLossFigure(result: OverfittingResult, lang: Lang): FigureSpec {
  return orderSeries(
    lineChart(
      result.runs.map((r) => ({
        name: variantLabel(r.variant, lang),
        points: r.epochs.map((e): [number, number] => [e.epoch, e.valLoss]),
      })),
      { title: T.valLossTitle[lang], xTitle: T.epoch[lang], yTitle: T.valLoss[lang] },
    ),
    result.runs.map((r) => variantLabel(r.variant, lang)),
  );
}

function figures(result: OverfittingResult, lang: Lang): FigureSpec[] {
  return [curvesFigure(result, lang), valLossFigure(result, lang), gapFigure(result, lang)];
}

/** The unregularized run: how far its training and test accuracy part, and whether it overfits. */
function unregularized(result: OverfittingResult, none: OverfittingRun, lang: Lang): string {
  const best = none.epochs.reduce((b, e) => (e.valLoss < b.valLoss ? e : b));
  const last = none.epochs[none.epochs.length - 1]!;
  return T.unregularized({
    trainSize: result.trainSize,
    train: pct(none.trainAccuracy),
    test: pct(none.testAccuracy),
    gap: points(none.gap),
    last: { epoch: last.epoch, valLoss: last.valLoss.toFixed(3) },
    best: best.epoch < last.epoch ? { epoch: best.epoch, valLoss: best.valLoss.toFixed(3) } : null,
  })[lang];
}

/** The gap of every regularizer, and which one has the smallest gap and the best test accuracy. */
function comparison(result: OverfittingResult, none: OverfittingRun | undefined, lang: Lang): string[] {
  const list = result.runs
    .filter((r) => r.variant !== 'none')
    .map((r) => T.gapEntry(variantLabel(r.variant, lang), points(r.gap), pct(r.testAccuracy))[lang])
    .join(T.listSeparator[lang]);
  const smallest = result.runs.reduce((b, r) => (r.gap < b.gap ? r : b));
  const bestTest = result.runs.reduce((b, r) => (r.testAccuracy > b.testAccuracy ? r : b));
  return [
    T.gaps(list, none ? { gap: points(none.gap), test: pct(none.testAccuracy) } : undefined)[lang],
    T.extremes({
      smallest: variantLabel(smallest.variant, lang),
      gap: points(smallest.gap),
      bestTest: variantLabel(bestTest.variant, lang),
      test: pct(bestTest.testAccuracy),
    })[lang],
  ];
}

function findings(result: OverfittingResult, lang: Lang): string[] {
  const out: string[] = [];
  const none = result.runs.find((r) => r.variant === 'none');
  if (none && none.epochs.length > 0) out.push(unregularized(result, none, lang));
  if (result.runs.some((r) => r.variant !== 'none')) out.push(...comparison(result, none, lang));
  const es = result.runs.find((r) => r.variant === 'early-stopping');
  if (es && es.bestEpoch !== null) {
    out.push(T.earlyStopping(result.patience, es.epochs.length, es.bestEpoch)[lang]);
  }
  return out;
}

function table(result: OverfittingResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    variantLabel(r.variant, lang),
    r.epochs.length,
    r.bestEpoch ?? '—',
    pct(r.trainAccuracy),
    pct(r.valAccuracy),
    pct(r.testAccuracy),
    points(r.gap),
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of an `overfitting` result in a language. */
export const presentOverfitting = presenter<OverfittingResult>(T, { figures, findings, table });
