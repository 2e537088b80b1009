/**
 * The `pretraining` experiment's section: each autoencoder's reconstruction error per epoch, test
 * accuracy per fine-tuning epoch for both initializations, the findings and a table. The text is in
 * pretraining_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { PretrainingResult, PretrainingRun } from './pretraining.js';
import { PRETRAINING_STRINGS as T } from './pretraining_strings.js';
import type { Lang } from './types.js';

const initLabel = (r: PretrainingRun, lang: Lang) => T.init[r.init][lang];
const layerLabel = (layer: number, lang: Lang) => `${T.layer[lang]} ${layer}`;
const mse = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(4));

function reconstructionFigure(result: PretrainingResult, lang: Lang): FigureSpec {
  const series = result.layers.map((l) => ({
    name: layerLabel(l.layer, lang),
    points: l.reconstruction.flatMap((v, epoch): [number, number][] => (v === null ? [] : [[epoch, v]])),
  }));
  const spec = lineChart(series, {
    title: T.reconstructionTitle[lang],
    xTitle: T.epoch[lang],
    yTitle: T.reconstruction[lang],
    logY: true,
  });
  return orderSeries(
    spec,
    series.map((s) => s.name),
  );
}

function accuracyFigure(result: PretrainingResult, lang: Lang): FigureSpec {
  const series = result.runs.map((r) => ({
    name: initLabel(r, lang),
    points: r.epochs.map((e): [number, number] => [e.epoch, e.testAccuracy]),
  }));
  return orderSeries(
    lineChart(series, { title: T.accuracyTitle[lang], xTitle: T.epoch[lang], yTitle: T.accuracy[lang] }),
    series.map((s) => s.name),
  );
}

function figures(result: PretrainingResult, lang: Lang): FigureSpec[] {
  return [reconstructionFigure(result, lang), accuracyFigure(result, lang)];
}

/** The test accuracy after `epoch` fine-tuning epochs (the last one if it ran fewer). */
const accuracyAt = (r: PretrainingRun, epoch: number) =>
  (r.epochs.find((e) => e.epoch === epoch) ?? r.epochs[r.epochs.length - 1]!).testAccuracy;

function layerFinding(result: PretrainingResult, lang: Lang): string {
  const list = result.layers
    .map(
      (l) =>
        T.layerEntry({ ...l, before: mse(l.reconstruction[0]), after: mse(l.reconstruction.at(-1)) })[lang],
    )
    .join(T.listSeparator[lang]);
  const lowered = result.layers.every((l) => {
    const [first, last] = [l.reconstruction[0], l.reconstruction.at(-1)];
    return first !== null && first !== undefined && last !== null && last !== undefined && last < first;
  });
  return T.layers({ list, unlabelled: result.unlabelledSize, epochs: result.pretrainEpochs, lowered })[lang];
}

function findings(result: PretrainingResult, lang: Lang): string[] {
  const out: string[] = [];
  if (result.layers.length > 0) out.push(layerFinding(result, lang));
  const pre = result.runs.find((r) => r.init === 'pretrained');
  const rnd = result.runs.find((r) => r.init === 'random');
  if (!pre || !rnd) return out;
  const gap = (100 * (pre.testAccuracy - rnd.testAccuracy)).toFixed(1);
  out.push(
    T.final({
      labelled: result.labelledSize,
      epochs: result.epochs,
      pretrained: pct(pre.testAccuracy),
      random: pct(rnd.testAccuracy),
      gap,
    })[lang],
  );
  const epoch = Math.max(1, Math.round(result.epochs / 6));
  const [a, b] = [accuracyAt(pre, epoch), accuracyAt(rnd, epoch)];
  const early = { epoch, pretrained: pct(a), random: pct(b) };
  out.push((a - b >= 0.05 ? T.early(early) : T.earlyEven(early))[lang]);
  return out;
}

function table(result: PretrainingResult, lang: Lang): SectionTable {
  const middle = Math.max(1, Math.round(result.epochs / 2));
  const rows = result.runs.map((r) => [
    initLabel(r, lang),
    pct(accuracyAt(r, 1)),
    `${pct(accuracyAt(r, middle))} (${middle})`,
    pct(r.testAccuracy),
    r.testLoss === null ? '—' : r.testLoss.toFixed(3),
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `pretraining` result in a language. */
export const presentPretraining = presenter<PretrainingResult>(T, { figures, findings, table });
