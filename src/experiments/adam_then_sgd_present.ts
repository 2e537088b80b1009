/**
 * The `adam-then-sgd` experiment's section: test accuracy and training loss per epoch of every
 * variant, when and how the switching variants moved to SGD, and a table. The text is in
 * adam_then_sgd_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { AdamThenSgdResult, AdamThenSgdRun, AdamThenSgdVariant } from './adam_then_sgd.js';
import { ADAM_THEN_SGD_STRINGS as T } from './adam_then_sgd_strings.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const variantLabel = (v: AdamThenSgdVariant, lang: Lang) => T.variant[v][lang];
const lrText = (v: number | null) => (v === null ? '—' : String(Number(v.toPrecision(3))));

function figures(result: AdamThenSgdResult, lang: Lang): FigureSpec[] {
  const series = (key: 'testAccuracy' | 'trainLoss') =>
    result.runs.map((r) => ({
      name: variantLabel(r.variant, lang),
      points: r[key].map((v, i): [number, number] => [i + 1, v]),
    }));
  const order = result.runs.map((r) => variantLabel(r.variant, lang));
  return [
    lineChart(series('testAccuracy'), {
      title: T.accTitle[lang],
      xTitle: T.epoch[lang],
      yTitle: T.accuracy[lang],
    }),
    lineChart(series('trainLoss'), {
      title: T.lossTitle[lang],
      xTitle: T.epoch[lang],
      yTitle: T.loss[lang],
      logY: true,
    }),
  ].map((f) => orderSeries(f, order));
}

/** When a switching variant moved to SGD, and with which learning rate. */
function switchFinding(result: AdamThenSgdResult, r: AdamThenSgdRun, lang: Lang): string {
  const name = variantLabel(r.variant, lang);
  if (r.switchStep === null) return T.noSwitch(name, result.epochs, lrText(r.lrEstimate))[lang];
  return T.switched({
    name,
    step: r.switchStep,
    epoch: r.switchEpoch,
    stepsPerEpoch: result.stepsPerEpoch,
    lr: lrText(r.sgdLr),
    estimate: lrText(r.lrEstimate),
    accuracy: pct(r.finalTestAccuracy),
    // AdamToSGD falls back to Adam's learning rate when the estimate is not positive.
    fallback: r.sgdLr === result.adamLr && !(r.lrEstimate !== null && r.lrEstimate > 0),
  })[lang];
}

function findings(result: AdamThenSgdResult, lang: Lang): string[] {
  const list = result.runs
    .map((r) => `${variantLabel(r.variant, lang)} ${pct(r.finalTestAccuracy)}`)
    .join(T.listSeparator[lang]);
  return [
    T.finalAccuracies(result.epochs, list)[lang],
    ...result.runs
      .filter((r) => r.variant === 'switch' || r.variant === 'swats')
      .map((r) => switchFinding(result, r, lang)),
  ];
}

function table(result: AdamThenSgdResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    variantLabel(r.variant, lang),
    pct(r.finalTestAccuracy),
    pct(Math.max(...r.testAccuracy)),
    r.switchStep ?? '—',
    r.switchEpoch ?? '—',
    r.variant === 'sgd' ? lrText(result.sgdLr) : lrText(r.sgdLr),
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of an `adam-then-sgd` result in a language. */
export const presentAdamThenSgd = presenter<AdamThenSgdResult>(T, { figures, findings, table });
