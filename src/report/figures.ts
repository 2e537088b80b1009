/**
 * Figures as Vega-Lite specifications (Satyanarayan et al. 2017, "Vega-Lite: A Grammar of
 * Interactive Graphics"): data in, a declarative chart out. Rendering to SVG is in render.ts.
 */
import { checkOptions } from '../util/options.js';
import { axisFor } from './axis_scales.js';
import { HOVER_ROLE, hoverNumber } from './hover_titles.js';
import { seriesEncoding } from './series_style.js';
import type { FigureSpec } from './spec_type.js';

export interface Series {
  /** Legend label. */
  name: string;
  /** [x, y] points. */
  points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Logarithmic y axis (losses spanning decades). */
  logY?: boolean;
  /** Logarithmic x axis (learning-rate sweeps). */
  logX?: boolean;
  width?: number;
  height?: number;
}

/** A point of a line chart's data; `tip` (the hover text) only on the points that carry one. */
interface LineRow {
  series: string;
  x: number;
  y: number;
  tip?: string;
}

/** Up to this many points in all, every point is drawn and hoverable; beyond, the line alone shows. */
const VISIBLE_POINTS = 60;
/** Hover targets per series of a long line (evenly spread, the last included): the SVG stays small. */
const HOVER_POINTS = 100;

/**
 * One line per series, told apart by colour and dash pattern; non-finite points are dropped (a
 * diverged run stops where it diverged). Hovering a point shows its series and values. Axes: see
 * axis_scales.ts (integer ticks for counts such as epochs, readable ticks for small constants).
 */
export function lineChart(series: readonly Series[], o: LineChartOptions): FigureSpec {
  checkOptions('lineChart', o, {
    title: true,
    xTitle: true,
    yTitle: true,
    logY: true,
    logX: true,
    width: true,
    height: true,
  });
  const values = lineRows(series, o);
  const visible = values.length <= VISIBLE_POINTS;
  const x = axisFor(
    values.map((v) => v.x),
    { log: o.logX },
  );
  const y = axisFor(
    values.map((v) => v.y),
    { log: o.logY },
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 220,
    data: { values },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xTitle, ...x },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, ...y },
      ...seriesEncoding(series.length),
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2 } },
      {
        transform: [{ filter: 'isValid(datum.tip)' }],
        mark: {
          type: 'point',
          filled: true,
          size: visible ? 30 : 60,
          opacity: visible ? 1 : 0,
          ariaRoleDescription: HOVER_ROLE,
        },
        encoding: {
          tooltip: { field: 'tip', type: 'nominal' },
          description: { field: 'tip', type: 'nominal' },
        },
      },
    ],
  } as FigureSpec;
}

/** The drawable points of every series, the hover ones with their text ("train · epoch 2: 0.5"). */
function lineRows(series: readonly Series[], o: LineChartOptions): LineRow[] {
  const drawable = series.map((s) =>
    s.points.filter(
      ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.logY || y > 0) && (!o.logX || x > 0),
    ),
  );
  const all = drawable.reduce((n, points) => n + points.length, 0) <= VISIBLE_POINTS;
  return series.flatMap((s, i) => {
    const points = drawable[i]!;
    const step = all ? 1 : Math.max(1, Math.ceil(points.length / HOVER_POINTS));
    return points.map(([x, y], k): LineRow => {
      const hover = k % step === 0 || k === points.length - 1;
      const tip = `${s.name} · ${o.xTitle} ${hoverNumber(x)}: ${hoverNumber(y)}`;
      return hover ? { series: s.name, x, y, tip } : { series: s.name, x, y };
    });
  });
}

export interface HistogramPanel {
  /** Panel title, e.g. "layer 3". */
  name: string;
  edges: readonly number[];
  counts: readonly number[];
}

/**
 * Small multiples of histograms, one panel per entry (per-layer activation histograms). Each panel
 * has its own x scale and axis: layers' activations span different ranges, and a shared axis drawn
 * under each column also labels the empty cells of an incomplete last row. Hovering a bar shows its
 * bin and count.
 */
export function histogramPanels(
  panels: readonly HistogramPanel[],
  o: { title: string; xTitle: string; yTitle?: string; columns?: number },
): FigureSpec {
  checkOptions('histogramPanels', o, { title: true, xTitle: true, yTitle: true, columns: true });
  const values = panels.flatMap((p, order) =>
    p.counts.map((count, i) => {
      const [x0, x1] = [p.edges[i]!, p.edges[i + 1]!];
      const tip = `${p.name} · [${hoverNumber(x0)}, ${hoverNumber(x1)}): ${count}`;
      return { panel: p.name, order, x0, x1, count, tip };
    }),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: { field: 'order' } },
    columns: o.columns ?? 5,
    spec: {
      width: 130,
      height: 90,
      mark: { type: 'rect', ariaRoleDescription: HOVER_ROLE },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: o.xTitle, axis: { format: '~r' } },
        x2: { field: 'x1' },
        y: { field: 'count', type: 'quantitative', title: o.yTitle ?? null, axis: { format: '~r' } },
        tooltip: { field: 'tip', type: 'nominal' },
        description: { field: 'tip', type: 'nominal' },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as FigureSpec;
}
