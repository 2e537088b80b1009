/**
 * The `optimizers-2d` experiment's section: per surface, the paths on its contour plot and the loss
 * (or, at the saddle, the distance from the ridge) against step; the findings of the lecture's slides
 * and a table of the steps each optimizer needed. The text is in optimizers_2d_strings.ts; the shared
 * presenter assembles the section.
 */
import { contourPlot } from '../report/contour.js';
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import { surfaces } from '../surfaces/functions.js';
import type { Optimizers2dResult, Path2d, Surface2dResult } from './optimizers_2d.js';
import { type Goal2d, OPTIMIZER_LABELS_2D, type Optimizer2d, SETUPS_2D } from './optimizers_2d_setups.js';
import { SURFACE_TITLES, OPTIMIZERS_2D_STRINGS as T } from './optimizers_2d_strings.js';
import { presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

/**
 * Crossings of the valley floor y = 0 that are visible at the scale of the start (|y| on both sides
 * above `visible`): the zig-zag across the quadratic's steep axis.
 */
export function ySignChanges(path: readonly (readonly [number, number])[], visible = 0.01): number {
  let n = 0;
  for (let k = 1; k < path.length; k++) {
    const a = path[k - 1]![1];
    const b = path[k]![1];
    if (a * b < 0 && Math.abs(a) > visible && Math.abs(b) > visible) n++;
  }
  return n;
}

/** The goal in symbols, the same in both languages. */
function goalText(goal: Goal2d): string {
  if (goal.kind === 'escape') return `|y| > ${goal.above}`;
  return `f < ${goal.below.toExponential(0)}`;
}

/** At most `max` points of a path, evenly spaced, the last one kept (keeps report figures small). */
function thin(path: readonly [number, number][], max: number): [number, number][] {
  if (path.length <= max) return [...path];
  const every = Math.ceil(path.length / max);
  const out = path.filter((_, k) => k % every === 0);
  if ((path.length - 1) % every !== 0) out.push(path[path.length - 1]!);
  return out;
}

/** A surface's contour plot with every path, and its loss (or |y|) curves. */
function surfaceFigures(s: Surface2dResult, lang: Lang): FigureSpec[] {
  const name = SURFACE_TITLES[s.surface][lang];
  const contour = contourPlot(
    surfaces[s.surface].value,
    s.runs.map((r) => ({ name: r.label, points: thin(r.path, 400) })),
    {
      title: `${T.pathsOn[lang]} ${name} ${s.formula}`,
      xTitle: 'x',
      yTitle: 'y',
      window: s.window,
      levels: SETUPS_2D[s.surface].levels,
      resolution: 120,
      markers: s.criticalPoints.map(([x, y]) => ({
        name: `${(s.surface === 'saddle' ? T.saddlePoint : T.minimum)[lang]} (${x}, ${y})`,
        x,
        y,
      })),
    },
  );
  const escaping = s.goal.kind === 'escape';
  const curves = orderSeries(
    lineChart(
      s.runs.map((r) => ({
        name: r.label,
        points: thin(
          r.losses.map((l, k): [number, number] => [
            k,
            Number((escaping ? Math.abs(r.path[k]![1]) : l).toPrecision(4)),
          ]),
          400,
        ),
      })),
      {
        title: `${(escaping ? T.escapeOn : T.lossOn)[lang]} ${name}`,
        xTitle: T.step[lang],
        yTitle: (escaping ? T.absY : T.loss)[lang],
        logY: true,
      },
    ),
    s.runs.map((r) => r.label),
  );
  return [contour, curves];
}

function table(result: Optimizers2dResult, lang: Lang): SectionTable {
  const header = [
    T.optimizer[lang],
    ...result.surfaces.map((s) => `${SURFACE_TITLES[s.surface][lang]}: ${goalText(s.goal)}`),
  ];
  const ids = result.surfaces[0]?.runs.map((r) => r.optimizer) ?? [];
  const rows = ids.map((id) => [
    OPTIMIZER_LABELS_2D[id],
    ...result.surfaces.map((s) => {
      const r = s.runs.find((q) => q.optimizer === id);
      if (r === undefined) return '';
      const lr = r.spec.options.lr;
      const at = r.thresholdStep === null ? `${T.never[lang]} (${s.steps})` : String(r.thresholdStep);
      return `${at} · lr ${lr}`;
    }),
  ]);
  return { header, rows };
}

/** The finding of one surface, or null where the surface has none (or its runs are missing). */
function surfaceFinding(s: Surface2dResult, lang: Lang): string | null {
  const get = (id: Optimizer2d) => s.runs.find((r) => r.optimizer === id);
  const step = (r: Path2d | undefined) =>
    r === undefined ? '?' : r.thresholdStep === null ? T.notWithin(s.steps)[lang] : String(r.thresholdStep);
  const sgdRun = get('sgd');
  const mom = get('momentum');
  const nes = get('nesterov');
  if (s.surface === 'quadratic' && sgdRun && mom) {
    const nesAt = nes ? step(nes) : null;
    return T.quadratic({
      zs: ySignChanges(sgdRun.path),
      sgdAt: step(sgdRun),
      zm: ySignChanges(mom.path),
      momAt: step(mom),
      nesAt,
    })[lang];
  }
  if (s.surface === 'saddle') {
    const adaptiveIds: Optimizer2d[] = ['adagrad', 'adadelta', 'rmsprop', 'adam'];
    const ad = adaptiveIds
      .map((id) => get(id))
      .filter((r): r is Path2d => r !== undefined && r.thresholdStep !== null)
      .map((r) => r.thresholdStep!);
    const sgdY = sgdRun ? Math.abs(sgdRun.path[sgdRun.path.length - 1]![1]) : Number.NaN;
    const range = ad.length ? `${Math.min(...ad)}–${Math.max(...ad)}` : '?';
    return T.saddle({ sgdY: sgdY.toPrecision(2), steps: s.steps, momAt: step(mom), nesAt: step(nes), range })[
      lang
    ];
  }
  if (s.surface === 'rosenbrock' || s.surface === 'beale') {
    const reached = s.runs
      .filter((r) => r.thresholdStep !== null)
      .sort((a, b) => a.thresholdStep! - b.thresholdStep!);
    const notReached = s.runs.filter((r) => r.thresholdStep === null);
    return T.reached({
      name: SURFACE_TITLES[s.surface][lang],
      goal: goalText(s.goal),
      list: reached.map((r) => `${r.label} ${r.thresholdStep}`).join(', '),
      rest: notReached.map((r) => `${r.label} (f = ${r.finalLoss.toPrecision(2)})`).join(', '),
      steps: s.steps,
    })[lang];
  }
  return null;
}

/** The section of an `optimizers-2d` result in a language. */
export const presentOptimizers2d = presenter<Optimizers2dResult>(T, {
  figures: (result, lang) => result.surfaces.flatMap((s) => surfaceFigures(s, lang)),
  findings: (result, lang) =>
    result.surfaces.map((s) => surfaceFinding(s, lang)).filter((f): f is string => f !== null),
  table,
});
