/**
 * Figures as Vega-Lite specifications (Satyanarayan et al. 2017, "Vega-Lite: A Grammar of
 * Interactive Graphics"): data in, a declarative chart out. Rendering to SVG is in render.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { checkOptions } from '../util/options.js';

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

/** One line per series; non-finite points are dropped (a diverged run stops where it diverged). */
export function lineChart(series: readonly Series[], o: LineChartOptions): TopLevelSpec {
  checkOptions('lineChart', o, {
    title: true,
    xTitle: true,
    yTitle: true,
    logY: true,
    logX: true,
    width: true,
    height: true,
  });
  const values = series.flatMap((s) =>
    s.points
      .filter(
        ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.logY || y > 0) && (!o.logX || x > 0),
      )
      .map(([x, y]) => ({ series: s.name, x, y })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 220,
    data: { values },
    mark: { type: 'line', point: values.length <= 60 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: o.xTitle,
        scale: o.logX ? { type: 'log' } : { zero: false },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: o.yTitle,
        scale: o.logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

export interface HistogramPanel {
  /** Panel title, e.g. "layer 3". */
  name: string;
  edges: readonly number[];
  counts: readonly number[];
}

/** Small multiples of histograms, one panel per entry (per-layer activation histograms). */
export function histogramPanels(
  panels: readonly HistogramPanel[],
  o: { title: string; xTitle: string; columns?: number },
): TopLevelSpec {
  checkOptions('histogramPanels', o, { title: true, xTitle: true, columns: true });
  const values = panels.flatMap((p) =>
    p.counts.map((count, i) => ({
      panel: p.name,
      order: panels.indexOf(p),
      x0: p.edges[i]!,
      x1: p.edges[i + 1]!,
      count,
    })),
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
      mark: 'rect',
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: o.xTitle },
        x2: { field: 'x1' },
        y: { field: 'count', type: 'quantitative', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
