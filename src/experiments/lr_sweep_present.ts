/**
 * The `lr-sweep` experiment's section: loss curves per optimizer, the loss reached against the
 * learning rate with the course's advice shaded, the verdicts and the trainer's own diagnostics, and a
 * table of every run. The text is in lr_sweep_strings.ts; the shared presenter assembles the section.
 */
import { axisFor } from '../report/axis_scales.js';
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { LrSweepOptimizer, LrSweepResult, LrSweepRun, LrVerdict } from './lr_sweep.js';
import { LR_SWEEP_STRINGS as T } from './lr_sweep_strings.js';
import { movingAverage } from './mlp_runs.js';
import { presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const optimizerLabel = (name: LrSweepOptimizer) => (name === 'adam' ? 'Adam' : 'SGD');
const lrText = (lr: number) => (lr >= 0.01 ? String(lr) : lr.toExponential(0));

/** Loss against learning rate per optimizer, on log axes, with the advised range shaded. */
function lossByLr(result: LrSweepResult, lang: Lang): FigureSpec {
  const values = result.runs
    .filter((r) => r.finalLoss !== null && r.finalLoss > 0)
    .map((r) => ({
      optimizer: optimizerLabel(r.optimizer),
      lr: r.lr,
      loss: r.finalLoss!,
      verdict: T.verdict[r.verdict][lang],
    }));
  const verdicts = (['diverged', 'too slow', 'learning'] as const).map((v) => T.verdict[v][lang]);
  // Ticks listed by axisFor: Vega's own log ticks label only some and leave the rest empty.
  const lrAxis = axisFor([...values.map((v) => v.lr), ...result.advice], { log: true });
  const lossAxis = axisFor(
    values.map((v) => v.loss),
    { log: true },
  );
  const x = {
    field: 'lr',
    type: 'quantitative' as const,
    scale: lrAxis.scale,
    axis: { ...lrAxis.axis, format: '.0e' },
    title: T.lr[lang],
  };
  const y = { field: 'loss', type: 'quantitative' as const, ...lossAxis };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: T.byLr[lang],
    width: 360,
    height: 220,
    layer: [
      {
        data: { values: [{ lo: result.advice[0], hi: result.advice[1] }] },
        mark: { type: 'rect', color: '#2ca02c', opacity: 0.12 },
        encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' } },
      },
      {
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x,
          y: { ...y, title: T.finalLoss[lang] },
          color: { field: 'optimizer', type: 'nominal', title: null },
        },
      },
      {
        data: { values },
        mark: { type: 'point', size: 70, filled: true },
        encoding: {
          x,
          y,
          color: { field: 'optimizer', type: 'nominal', title: null },
          shape: {
            field: 'verdict',
            type: 'nominal',
            title: null,
            scale: { domain: verdicts, range: ['cross', 'triangle-up', 'circle'] },
          },
        },
      },
    ],
  };
}

const optimizersOf = (result: LrSweepResult) => [...new Set(result.runs.map((r) => r.optimizer))];

/** One optimizer's loss curves, one per learning rate. */
function curvesFigure(result: LrSweepResult, name: LrSweepOptimizer, lang: Lang): FigureSpec {
  const runs = result.runs.filter((r) => r.optimizer === name);
  return orderSeries(
    lineChart(
      runs.map((r) => ({
        name: `lr ${lrText(r.lr)}`,
        points: movingAverage(r.stepLosses, 10)
          .map((l, k): [number, number] => [k + 1, l ?? Number.NaN])
          .filter(([, l]) => Number.isFinite(l)),
      })),
      {
        title: `${optimizerLabel(name)}: ${T.curves[lang]}`,
        xTitle: T.step[lang],
        yTitle: T.loss[lang],
        logY: true,
      },
    ),
    runs.map((r) => `lr ${lrText(r.lr)}`),
  );
}

function figures(result: LrSweepResult, lang: Lang): FigureSpec[] {
  return [...optimizersOf(result).map((name) => curvesFigure(result, name, lang)), lossByLr(result, lang)];
}

function verdictFinding(result: LrSweepResult, name: LrSweepOptimizer, lang: Lang): string {
  const runs = result.runs.filter((r) => r.optimizer === name);
  const list = (v: LrVerdict) => runs.filter((r) => r.verdict === v).map((r) => lrText(r.lr));
  const learning = runs.filter((r) => r.verdict === 'learning');
  const best = learning.reduce<LrSweepRun | null>(
    (b, r) => (b === null || (r.finalLoss ?? Infinity) < (b.finalLoss ?? Infinity) ? r : b),
    null,
  );
  return T.verdicts({
    optimizer: optimizerLabel(name),
    diverged: list('diverged'),
    slow: list('too slow'),
    learning: learning.map((r) => lrText(r.lr)),
    best: best ? { loss: best.finalLoss!.toFixed(3), lr: lrText(best.lr) } : null,
  })[lang];
}

/** The verdicts per optimizer, then the first divergence and plateau warnings in the trainer's words. */
function findings(result: LrSweepResult, lang: Lang): string[] {
  const out = optimizersOf(result).map((name) => verdictFinding(result, name, lang));
  for (const kind of ['divergence', 'plateau'] as const) {
    const r = result.runs.find((q) => q.warnings.some((w) => w.kind === kind));
    const w = r?.warnings.find((q) => q.kind === kind);
    if (r && w) out.push(`${optimizerLabel(r.optimizer)}, lr ${lrText(r.lr)}: “${w.message}”`);
  }
  return out;
}

function table(result: LrSweepResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    optimizerLabel(r.optimizer),
    lrText(r.lr),
    r.advised ? T.yes[lang] : '',
    T.verdict[r.verdict][lang],
    r.finalLoss === null ? '—' : r.finalLoss.toPrecision(3),
    r.peakLoss === null ? '—' : r.peakLoss.toPrecision(3),
    r.stepLosses.length,
    r.warnings.map((w) => w.message).join(' / '),
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of an `lr-sweep` result in a language. */
export const presentLrSweep = presenter<LrSweepResult>(T, { figures, findings, table });
