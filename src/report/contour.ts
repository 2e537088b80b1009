/**
 * Contour plots of 2-D functions with paths drawn over them, as Vega-Lite specifications: the level
 * lines are computed here by marching squares (d3-contour) on a grid and handed to Vega-Lite as polylines
 * (`line` marks, one per level line), the paths as `line` marks ordered by step. Used by the
 * optimizer-path experiment.
 */
import { contours } from 'd3-contour';
import { checkOptions } from '../util/options.js';
import type { Series } from './figures.js';
import type { FigureSpec } from './spec_type.js';

/** One level line (a closed loop when its first and last points coincide). */
export interface ContourLine {
  level: number;
  points: [number, number][];
}

/** [xMin, xMax, yMin, yMax]. */
export type Window = readonly [number, number, number, number];

/**
 * Level lines of f over `window`, sampled on a `resolution` × `resolution` grid of cells (nodes on
 * the window's edges): marching squares by d3-contour, which stitches the crossed cells into rings
 * around the regions where f ≥ level, closing them along the grid's outer frame. Each crossing is
 * placed here by linear interpolation between the two grid values it lies between, and the rings are
 * cut where they run along the frame or next to a non-finite value, so a level line that leaves the
 * window or meets a non-finite region is an open polyline ending at its last real crossing, and one
 * that stays inside is a closed loop (first point = last point). Levels come back in the order given.
 */
export function contourLines(
  f: (x: number, y: number) => number,
  window: Window,
  levels: readonly number[],
  resolution = 100,
): ContourLine[] {
  const grid = sampleGrid(f, window, resolution);
  const generator = contours()
    .size([resolution + 1, resolution + 1])
    .smooth(false);
  return levels.flatMap((level) =>
    generator
      .contour(grid.v as unknown as number[], level)
      .coordinates.flat()
      .flatMap((ring) => cutRing(grid, level, ring))
      .map((points) => ({ level, points })),
  );
}

/** f on the (n + 1) × (n + 1) grid nodes of `window`, x fastest: node (i, j) is v[j(n + 1) + i]. */
interface Grid {
  n: number;
  xs: number[];
  ys: number[];
  v: Float64Array;
}

function sampleGrid(f: (x: number, y: number) => number, window: Window, n: number): Grid {
  const [x0, x1, y0, y1] = window;
  const xs = Array.from({ length: n + 1 }, (_, i) => x0 + ((x1 - x0) * i) / n);
  const ys = Array.from({ length: n + 1 }, (_, j) => y0 + ((y1 - y0) * j) / n);
  const v = new Float64Array((n + 1) * (n + 1));
  for (let j = 0; j <= n; j++) for (let i = 0; i <= n; i++) v[j * (n + 1) + i] = f(xs[i]!, ys[j]!);
  return { n, xs, ys, v };
}

/**
 * Where `level` crosses the grid edge that d3-contour's unsmoothed ring point (px, py) marks, or null
 * for a point on the outer frame or on an edge with a non-finite end. d3 puts node (i, j) at
 * (i + ½, j + ½): a point with a whole px lies between nodes (px − 1, py − ½) and (px, py − ½), one
 * with a whole py between (px − ½, py − 1) and (px − ½, py).
 */
function crossing(grid: Grid, level: number, [px, py]: number[]): [number, number] | null {
  const { n, xs, ys, v } = grid;
  const horizontal = Number.isInteger(px!);
  const [ia, ja] = horizontal ? [px! - 1, py! - 0.5] : [px! - 0.5, py! - 1];
  const [ib, jb] = horizontal ? [px!, py! - 0.5] : [px! - 0.5, py!];
  if (ia < 0 || ja < 0 || ib > n || jb > n) return null;
  const a = v[ja * (n + 1) + ia]!;
  const b = v[jb * (n + 1) + ib]!;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const t = (level - a) / (b - a);
  return [xs[ia]! + t * (xs[ib]! - xs[ia]!), ys[ja]! + t * (ys[jb]! - ys[ja]!)];
}

/**
 * A closed ring of d3-contour's as level lines: the whole ring when every point is a real crossing,
 * else the runs between points that are not (the frame, non-finite values); repeated points (a node
 * exactly on the level) are merged and runs shorter than a segment dropped.
 */
function cutRing(grid: Grid, level: number, ring: number[][]): [number, number][][] {
  const points = ring.slice(0, -1).map((p) => crossing(grid, level, p));
  const cut = points.indexOf(null);
  if (cut < 0) {
    const loop = dedupe(points as [number, number][]);
    return loop.length > 1 ? [[...loop, loop[0]!]] : [];
  }
  // Start right after a cut so that no run wraps around the ring's end.
  const rotated = [...points.slice(cut + 1), ...points.slice(0, cut + 1)];
  const runs: [number, number][][] = [[]];
  for (const p of rotated) {
    if (p === null) runs.push([]);
    else runs.at(-1)!.push(p);
  }
  return runs.map(dedupe).filter((run) => run.length > 1);
}

function dedupe(points: [number, number][]): [number, number][] {
  return points.filter((p, k) => k === 0 || p[0] !== points[k - 1]![0] || p[1] !== points[k - 1]![1]);
}

/**
 * `count` contour levels spread over the values f takes on a grid over `window`: between the 2nd and
 * 90th percentiles, geometrically spaced ('log', for surfaces ≥ 0 whose interesting part is near the
 * minimum, such as Rosenbrock's valley) or evenly ('linear', for surfaces with negative values such as
 * a saddle).
 */
export function contourLevels(
  f: (x: number, y: number) => number,
  window: Window,
  count: number,
  scale: 'log' | 'linear',
  resolution = 60,
): number[] {
  const [x0, x1, y0, y1] = window;
  const values: number[] = [];
  for (let i = 0; i <= resolution; i++) {
    for (let j = 0; j <= resolution; j++) {
      const z = f(x0 + ((x1 - x0) * i) / resolution, y0 + ((y1 - y0) * j) / resolution);
      if (Number.isFinite(z)) values.push(z);
    }
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  let lo = at(0.02);
  const hi = at(0.9);
  if (scale === 'log') {
    lo = Math.max(lo, hi * 1e-6, Number.MIN_VALUE);
    const r = Math.log(hi / lo);
    return Array.from({ length: count }, (_, k) => lo * Math.exp((r * k) / (count - 1)));
  }
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * k) / (count - 1));
}

export interface ContourMarker {
  /** Legend-free label (shown as a tooltip), e.g. "minimum (1, 1)". */
  name: string;
  x: number;
  y: number;
}

export interface ContourPlotOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** The plotted region [xMin, xMax, yMin, yMax]; paths leaving it are clipped. */
  window: Window;
  /** The level values (see `contourLevels`). */
  levels: readonly number[];
  /** Grid cells per axis for marching squares (default 100). */
  resolution?: number;
  /** Points marked with a black cross (minima, saddle points). */
  markers?: readonly ContourMarker[];
  width?: number;
  height?: number;
}

/**
 * A contour plot of f with one line per path (drawn in step order, coloured by series, starting
 * points marked by a circle) and optional markers: a Vega-Lite layer of `line` (level lines and paths)
 * and `point` marks. A path is drawn up to where it leaves the window far behind (or stops
 * being finite).
 */
export function contourPlot(
  f: (x: number, y: number) => number,
  paths: readonly Series[],
  o: ContourPlotOptions,
): FigureSpec {
  checkOptions('contourPlot', o, {
    title: true,
    xTitle: true,
    yTitle: true,
    window: true,
    levels: true,
    resolution: true,
    markers: true,
    width: true,
    height: true,
  });
  const [x0, x1, y0, y1] = o.window;
  const axes: Axes = { x: axis('x', o.xTitle, x0, x1), y: axis('y', o.yTitle, y0, y1) };
  const levelRows = contourLines(f, o.window, o.levels, o.resolution ?? 100).flatMap((line, id) =>
    line.points.map(([px, py], k) => ({ id, k, x: round(px), y: round(py) })),
  );
  const pathRows = paths.flatMap((p) =>
    untilFarOutside(p.points, o.window).map(([px, py], step) => ({
      series: p.name,
      step,
      x: round(px),
      y: round(py),
    })),
  );
  const starts = paths
    .filter((p) => p.points.length > 0)
    .map((p) => ({ series: p.name, x: p.points[0]![0], y: p.points[0]![1] }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: o.width ?? 420,
    height: o.height ?? 320,
    layer: layers(axes, { levelRows, pathRows, starts, markers: [...(o.markers ?? [])] }, paths),
  };
}

/** A quantitative axis over [lo, hi] exactly (no rounding of the domain). */
function axis(field: 'x' | 'y', title: string, lo: number, hi: number) {
  return {
    field,
    type: 'quantitative' as const,
    title,
    scale: { domain: [lo, hi], nice: false, zero: false },
  };
}

type Axes = { x: ReturnType<typeof axis>; y: ReturnType<typeof axis> };

/** The rows each layer draws. */
interface ContourRows {
  levelRows: object[];
  pathRows: object[];
  starts: object[];
  markers: ContourMarker[];
}

/** The plot's four layers, bottom to top: level lines, paths, starting points, markers. */
function layers({ x, y }: Axes, rows: ContourRows, paths: readonly Series[]) {
  return [
    {
      data: { values: rows.levelRows },
      mark: { type: 'line' as const, clip: true, strokeWidth: 0.7, color: '#b8b8b8' },
      encoding: {
        x,
        y,
        detail: { field: 'id', type: 'nominal' as const },
        order: { field: 'k', type: 'quantitative' as const },
      },
    },
    {
      data: { values: rows.pathRows },
      mark: { type: 'line' as const, clip: true, strokeWidth: 1.6, opacity: 0.9 },
      encoding: {
        x,
        y,
        order: { field: 'step', type: 'quantitative' as const },
        color: { field: 'series', type: 'nominal' as const, title: null, sort: paths.map((p) => p.name) },
      },
    },
    {
      data: { values: rows.starts },
      mark: { type: 'point' as const, clip: true, filled: false, size: 40, color: '#333' },
      encoding: { x, y },
    },
    {
      data: { values: rows.markers },
      mark: { type: 'point' as const, shape: 'cross', filled: true, size: 90, color: 'black', clip: true },
      encoding: { x, y, tooltip: { field: 'name', type: 'nominal' as const } },
    },
  ];
}

/**
 * The points of a path up to and including the first one far outside the window (more than half the
 * window's size beyond an edge) or not finite (excluded): the line still leaves the plot, and an
 * escaping path does not put coordinates of 1e7 into the drawing.
 */
function untilFarOutside(points: Series['points'], window: Window): (readonly [number, number])[] {
  const [x0, x1, y0, y1] = window;
  const mx = (x1 - x0) / 2;
  const my = (y1 - y0) / 2;
  const out: (readonly [number, number])[] = [];
  for (const p of points) {
    const [x, y] = p;
    if (!Number.isFinite(x) || !Number.isFinite(y)) break;
    out.push(p);
    if (x < x0 - mx || x > x1 + mx || y < y0 - my || y > y1 + my) break;
  }
  return out;
}

/** Five significant digits are plenty for a drawing and keep the specification small. */
function round(v: number): number {
  return Number(v.toPrecision(5));
}
