/**
 * The `bn-placement` experiment's section: test accuracy and the smoothed training loss against step
 * for each placement, the findings (final accuracy, how far apart the placements end, how fast each
 * reaches 80%) and a table. The text is in bn_placement_strings.ts; the shared presenter assembles
 * the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { BnPlacement, BnPlacementResult, BnPlacementRun } from './bn_placement.js';
import { BN_PLACEMENT_STRINGS as T } from './bn_placement_strings.js';
import { movingAverage } from './mlp_runs.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const label = (p: BnPlacement, lang: Lang) => T.placement[p][lang];
const find = (result: BnPlacementResult, p: BnPlacement) => result.runs.find((r) => r.placement === p);
const LEVEL = 0.8;

function figures(result: BnPlacementResult, lang: Lang): FigureSpec[] {
  const order = result.runs.map((r) => label(r.placement, lang));
  const accuracy = lineChart(
    result.runs.map((r) => ({
      name: label(r.placement, lang),
      points: r.steps.map((s, i): [number, number] => [s, r.testAccuracy[i]!]),
    })),
    { title: T.accTitle[lang], xTitle: T.step[lang], yTitle: T.testAccuracy[lang] },
  );
  const loss = lineChart(
    result.runs.map((r) => ({
      name: label(r.placement, lang),
      points: movingAverage(r.stepLosses, 10).flatMap((v, i): [number, number][] =>
        v === null ? [] : [[i + 1, v]],
      ),
    })),
    { title: T.lossTitle[lang], xTitle: T.step[lang], yTitle: T.stepLoss[lang] },
  );
  return [orderSeries(accuracy, order), orderSeries(loss, order)];
}

/** The first measured step with test accuracy ≥ level, or null. */
function stepReaching(r: BnPlacementRun, level: number): number | null {
  const i = r.testAccuracy.findIndex((a) => a >= level);
  return i < 0 ? null : r.steps[i]!;
}

function findings(result: BnPlacementResult, lang: Lang): string[] {
  const sep = T.listSeparator[lang];
  const list = (text: (r: BnPlacementRun) => string) =>
    result.runs.map((r) => `${label(r.placement, lang)} ${text(r)}`).join(sep);
  const out = [T.final({ steps: result.steps, list: list((r) => pct(r.finalTestAccuracy)) })[lang]];
  const [none, pre, post] = [find(result, 'none'), find(result, 'pre'), find(result, 'post')];
  if (none && pre && post) {
    const apart = Math.abs(pre.finalTestAccuracy - post.finalTestAccuracy);
    const ahead = Math.min(pre.finalTestAccuracy, post.finalTestAccuracy) - none.finalTestAccuracy;
    out.push(
      T.either({
        apart: (100 * apart).toFixed(1),
        weaker: `${ahead >= 0 ? '+' : '−'}${Math.abs(100 * ahead).toFixed(1)}`,
        plain: pct(none.finalTestAccuracy),
        // "Either works": both well above no BN, and closer to each other than to it.
        both: ahead >= 0.03 && apart < ahead,
      })[lang],
    );
  }
  out.push(
    T.reach({ level: pct(LEVEL), list: list((r) => T.reachText(stepReaching(r, LEVEL))[lang]) })[lang],
  );
  return out;
}

function table(result: BnPlacementResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    label(r.placement, lang),
    r.layer.join(' → '),
    pct(r.finalTestAccuracy),
    r.finalTrainLoss === null ? '—' : r.finalTrainLoss.toFixed(3),
    T.reachText(stepReaching(r, LEVEL))[lang],
  ]);
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `bn-placement` result in a language. */
export const presentBnPlacement = presenter<BnPlacementResult>(T, { figures, findings, table });
