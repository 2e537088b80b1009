/**
 * The `dropout-ensemble` experiment's section: test accuracy and loss against the number of networks
 * averaged — K sampled sub-networks of the dropout network, M separately trained networks — with the
 * one-pass weight-scaled network as a level line; the findings (sub-network average vs weight
 * scaling, the ensemble and its cost, dropout vs the ensemble) and a table with each method's cost.
 * The text is in dropout_ensemble_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { AverageCurve, DropoutEnsembleResult } from './dropout_ensemble.js';
import { DROPOUT_ENSEMBLE_STRINGS as T } from './dropout_ensemble_strings.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const curvePoints = (c: AverageCurve, key: 'accuracy' | 'loss'): [number, number][] =>
  c.count.flatMap((n, i) => {
    const v = c[key][i];
    return v === null || v === undefined ? [] : [[n, v] as [number, number]];
  });

function figure(result: DropoutEnsembleResult, key: 'accuracy' | 'loss', lang: Lang): FigureSpec {
  const level = result.weightScaling[key];
  const xs = [...new Set([...result.mcDropout.count, ...result.ensemble.count])].sort((a, b) => a - b);
  const names = [T.scaled[lang], T.mc[lang], T.ensemble[lang]];
  const spec = lineChart(
    [
      { name: names[0]!, points: level === null ? [] : xs.map((n): [number, number] => [n, level]) },
      { name: names[1]!, points: curvePoints(result.mcDropout, key) },
      { name: names[2]!, points: curvePoints(result.ensemble, key) },
    ],
    {
      title: (key === 'accuracy' ? T.accTitle : T.lossTitle)[lang],
      xTitle: T.count[lang],
      yTitle: (key === 'accuracy' ? T.testAccuracy : T.testLoss)[lang],
      logX: true,
    },
  );
  return orderSeries(spec, names);
}

const figures = (result: DropoutEnsembleResult, lang: Lang): FigureSpec[] => [
  figure(result, 'accuracy', lang),
  figure(result, 'loss', lang),
];

function findings(result: DropoutEnsembleResult, lang: Lang): string[] {
  const { mcDropout: mc, ensemble: ens, weightScaling: scaled } = result;
  const out: string[] = [];
  const oneSample = mc.count[0] === 1 ? mc.accuracy[0] : undefined;
  const kLast = mc.count.at(-1)!;
  out.push(
    T.mcFinding({
      single: oneSample === undefined ? '—' : pct(oneSample),
      k: kLast,
      mc: pct(mc.accuracy.at(-1)!),
      scaled: pct(scaled.accuracy),
    })[lang],
  );
  const m = ens.count.at(-1)!;
  const ensembleAccuracy = ens.accuracy.at(-1)!;
  out.push(
    T.ensembleFinding({
      m,
      ensemble: pct(ensembleAccuracy),
      members: result.memberAccuracy.map(pct).join(lang === 'zh' ? '、' : ', '),
      steps: m * result.stepsPerNetwork,
    })[lang],
  );
  const gap = 100 * (scaled.accuracy - ensembleAccuracy);
  const single = result.memberAccuracy.reduce((a, b) => a + b, 0) / result.memberAccuracy.length;
  out.push(
    T.compare({
      scaled: pct(scaled.accuracy),
      ensemble: pct(ensembleAccuracy),
      m,
      gap: `${gap >= 0 ? '+' : '−'}${Math.abs(gap).toFixed(1)}`,
      steps: result.stepsPerNetwork,
      // "Most of the benefit": the ensemble beats its average member, and the dropout network
      // gains at least half as much over that average.
      close:
        m > 1 && ensembleAccuracy > single && scaled.accuracy - single >= 0.5 * (ensembleAccuracy - single),
    })[lang],
  );
  return out;
}

function table(result: DropoutEnsembleResult, lang: Lang): SectionTable {
  const loss = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
  const rows: (string | number)[][] = [
    [T.rowScaled[lang], 1, 1, pct(result.weightScaling.accuracy), loss(result.weightScaling.loss)],
  ];
  result.mcDropout.count.forEach((k, i) => {
    rows.push([T.rowMc(k)[lang], 1, k, pct(result.mcDropout.accuracy[i]!), loss(result.mcDropout.loss[i])]);
  });
  result.ensemble.count.forEach((m, i) => {
    rows.push([
      T.rowEnsemble(m)[lang],
      m,
      m,
      pct(result.ensemble.accuracy[i]!),
      loss(result.ensemble.loss[i]),
    ]);
  });
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `dropout-ensemble` result in a language. */
export const presentDropoutEnsemble = presenter<DropoutEnsembleResult>(T, { figures, findings, table });
