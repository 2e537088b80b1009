/**
 * The `depth` experiment's section: the training loss reached by depth, the per-layer gradient norms
 * of the deepest networks at the first and last backward pass, their loss curves, and a table of
 * every run. The text is in depth_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { DepthArchitecture, DepthResult, DepthRun } from './depth.js';
import { DEPTH_STRINGS as T } from './depth_strings.js';
import { presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const archLabel = (a: DepthArchitecture, lang: Lang) => T.arch[a][lang];
const f3 = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const deepestOf = (result: DepthResult) => Math.max(...result.depths);
const runAt = (result: DepthResult, a: DepthArchitecture, d: number): DepthRun | undefined =>
  result.runs.find((r) => r.architecture === a && r.depth === d);

function movingAverage(values: readonly (number | null)[], window: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const w = values.slice(Math.max(0, i - window + 1), i + 1).filter((v): v is number => v !== null);
    if (w.length) out.push([i + 1, w.reduce((a, b) => a + b, 0) / w.length]);
  }
  return out;
}

function figures(result: DepthResult, lang: Lang): FigureSpec[] {
  const deepest = deepestOf(result);
  const at = (a: DepthArchitecture) => runAt(result, a, deepest);
  const perArchitecture = (points: (a: DepthArchitecture) => [number, number][]) =>
    result.architectures.map((a) => ({ name: archLabel(a, lang), points: points(a) }));
  return [
    lineChart(
      perArchitecture((a) =>
        result.runs
          .filter((r) => r.architecture === a && r.finalLoss !== null)
          .map((r): [number, number] => [r.depth, r.finalLoss!]),
      ),
      {
        title: T.lossTitle[lang],
        xTitle: T.depth[lang],
        yTitle: T.lossReached[lang],
        logX: true,
      },
    ),
    ...(['gradNormsFirst', 'gradNormsLast'] as const).map((key) =>
      lineChart(
        perArchitecture((a) => (at(a)?.[key] ?? []).map((g, i): [number, number] => [i + 1, g])),
        {
          title: `${(key === 'gradNormsFirst' ? T.gradFirst : T.gradLast)[lang]} ${deepest}`,
          xTitle: T.layer[lang],
          yTitle: T.gradNorm[lang],
          logY: true,
        },
      ),
    ),
    lineChart(
      perArchitecture((a) => movingAverage(at(a)?.stepLosses ?? [], 10)),
      { title: `${T.curves[lang]} ${deepest}`, xTitle: T.step[lang], yTitle: T.stepLoss[lang] },
    ),
  ].map((f) =>
    orderSeries(
      f,
      result.architectures.map((a) => archLabel(a, lang)),
    ),
  );
}

function findings(result: DepthResult, lang: Lang): string[] {
  const deepest = deepestOf(result);
  const at = (a: DepthArchitecture, d: number) => runAt(result, a, d);
  const out: string[] = [];
  for (const a of result.architectures) {
    const list = result.depths.map((d) => `${d} → ${f3(at(a, d)?.finalLoss ?? null)}`).join(', ');
    out.push(T.lossByDepth(archLabel(a, lang), list, result.chanceLoss.toFixed(3))[lang]);
  }
  const plain = at('plain', deepest);
  const residual = at('residual', deepest);
  if (plain?.finalLoss != null && residual?.finalLoss != null) {
    const ratio = residual.finalLoss / plain.finalLoss;
    out.push(
      T.residualVsPlain(deepest, f3(residual.finalLoss), (100 * ratio).toFixed(0), f3(plain.finalLoss))[lang],
    );
  }
  const spans = result.architectures
    .map((a) => {
      const g = at(a, deepest)?.gradNormsFirst ?? [];
      if (g.length < 2 || !(g[g.length - 1]! > 0)) return null;
      const ratio = g[0]! / g[g.length - 1]!;
      return `${archLabel(a, lang)} ${ratio > 0 ? ratio.toExponential(1) : T.belowFloat32[lang]}`;
    })
    .filter((s): s is string => s !== null);
  if (spans.length) out.push(T.gradientSpan(deepest, spans.join(T.spanSeparator[lang]))[lang]);
  return out;
}

function table(result: DepthResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    archLabel(r.architecture, lang),
    r.depth,
    r.parameters,
    f3(r.finalLoss),
    r.finalAccuracy === null ? '—' : `${(100 * r.finalAccuracy).toFixed(1)}%`,
    (r.gradNormsFirst[0] ?? 0).toExponential(2),
    (r.gradNormsFirst[r.gradNormsFirst.length - 1] ?? 0).toExponential(2),
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `depth` result in a language. */
export const presentDepth = presenter<DepthResult>(T, { figures, findings, table });
