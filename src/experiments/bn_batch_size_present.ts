/**
 * The `bn-batch-size` experiment's section: test accuracy against batch size with and without BN,
 * the BN network's training accuracy under batch statistics and under running averages (the
 * train/eval mismatch), the findings and a table of every run. The text is in
 * bn_batch_size_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { BnBatchSizeResult, BnBatchSizeRun } from './bn_batch_size.js';
import { BN_BATCH_SIZE_STRINGS as T } from './bn_batch_size_strings.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const netLabel = (bn: boolean, lang: Lang) => (bn ? T.bn : T.plain)[lang];
const points = (runs: BnBatchSizeRun[], value: (r: BnBatchSizeRun) => number | null): [number, number][] =>
  runs.flatMap((r) => {
    const v = value(r);
    return v === null ? [] : [[r.batchSize, v] as [number, number]];
  });
const of = (result: BnBatchSizeResult, bn: boolean) => result.runs.filter((r) => r.batchNorm === bn);
const at = (result: BnBatchSizeResult, bn: boolean, batch: number) =>
  result.runs.find((r) => r.batchNorm === bn && r.batchSize === batch);
/** The change from fraction `from` to fraction `to` in percentage points, signed, one decimal. */
const change = (to: number, from: number) => {
  const d = 100 * (to - from);
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;
};

function figures(result: BnBatchSizeResult, lang: Lang): FigureSpec[] {
  const accuracy = lineChart(
    [false, true].map((bn) => ({
      name: netLabel(bn, lang),
      points: points(of(result, bn), (r) => r.testAccuracy),
    })),
    { title: T.accTitle[lang], xTitle: T.batchSize[lang], yTitle: T.testAccuracy[lang], logX: true },
  );
  const mismatch = lineChart(
    [
      { name: T.batchStats[lang], points: points(of(result, true), (r) => r.trainAccuracyBatchStats) },
      { name: T.running[lang], points: points(of(result, true), (r) => r.trainAccuracy) },
    ],
    { title: T.mismatchTitle[lang], xTitle: T.batchSize[lang], yTitle: T.trainAccuracy[lang], logX: true },
  );
  return [
    orderSeries(accuracy, [netLabel(false, lang), netLabel(true, lang)]),
    orderSeries(mismatch, [T.batchStats[lang], T.running[lang]]),
  ];
}

function findings(result: BnBatchSizeResult, lang: Lang): string[] {
  const sep = T.listSeparator[lang];
  const list = (bn: boolean) =>
    of(result, bn)
      .map((r) => `${r.batchSize} → ${pct(r.testAccuracy)}`)
      .join(sep);
  const out = [T.byBatch({ bn: list(true), plain: list(false), epochs: result.epochs })[lang]];
  const small = Math.min(...result.batchSizes);
  const large = Math.max(...result.batchSizes);
  const [bnS, bnL, plainS, plainL] = [
    at(result, true, small),
    at(result, true, large),
    at(result, false, small),
    at(result, false, large),
  ];
  if (small !== large && bnS && bnL && plainS && plainL) {
    const bnDrop = bnL.testAccuracy - bnS.testAccuracy;
    const plainDrop = plainL.testAccuracy - plainS.testAccuracy;
    // "Breaks down": BN loses at least 5 points more than the plain network and ends below it.
    out.push(
      T.breakdown({
        small,
        large,
        bnChange: change(bnS.testAccuracy, bnL.testAccuracy),
        plainChange: change(plainS.testAccuracy, plainL.testAccuracy),
        broke: bnDrop - plainDrop >= 0.05 && bnS.testAccuracy < plainS.testAccuracy,
      })[lang],
    );
    out.push(
      T.mismatch({
        small,
        large,
        smallBatch: pct(bnS.trainAccuracyBatchStats ?? 0),
        smallRunning: pct(bnS.trainAccuracy),
        smallGap: Math.abs(100 * ((bnS.trainAccuracyBatchStats ?? 0) - bnS.trainAccuracy)).toFixed(1),
        largeGap: Math.abs(100 * ((bnL.trainAccuracyBatchStats ?? 0) - bnL.trainAccuracy)).toFixed(1),
      })[lang],
    );
  }
  out.push(T.crossover({ batch: crossover(result) })[lang]);
  return out;
}

/** The smallest batch size from which on BN's test accuracy is above the plain network's at every size, or null. */
function crossover(result: BnBatchSizeResult): number | null {
  const sizes = [...result.batchSizes].sort((a, b) => a - b);
  let from: number | null = null;
  for (const b of sizes) {
    const bn = at(result, true, b);
    const plain = at(result, false, b);
    const ahead = bn !== undefined && plain !== undefined && bn.testAccuracy > plain.testAccuracy;
    if (ahead && from === null) from = b;
    if (!ahead) from = null;
  }
  return from;
}

function table(result: BnBatchSizeResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    netLabel(r.batchNorm, lang),
    r.batchSize,
    Number(r.lr.toPrecision(4)),
    r.steps,
    pct(r.testAccuracy),
    pct(r.trainAccuracy),
    r.trainAccuracyBatchStats === null ? '—' : pct(r.trainAccuracyBatchStats),
    r.finalTrainLoss === null ? '—' : r.finalTrainLoss.toFixed(3),
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `bn-batch-size` result in a language. */
export const presentBnBatchSize = presenter<BnBatchSizeResult>(T, { figures, findings, table });
