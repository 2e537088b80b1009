/**
 * Contour plots of 2-D functions with paths drawn over them, as Vega-Lite specifications: the level
 * lines are computed here by marching squares on a grid and handed to Vega-Lite as polylines
 * (`line` marks, one per level line), the paths as `line` marks ordered by step. Used by the
 * optimizer-path experiment.
 */
import type { TopLevelSpec } from 'vega-lite';
import { checkOptions } from '../util/options.js';
import type { Series } from './figures.js';

/** One level line (a closed loop when its first and last points coincide). */
export interface ContourLine {
  level: number;
  points: [number, number][];
}

/** [xMin, xMax, yMin, yMax]. */
export type Window = readonly [number, number, number, number];

/** For each corner code (bit k: corner k at or above the level), the two crossed edges (saddles aside). */
const CROSSED: readonly (readonly number[])[] = Array.from({ length: 16 }, (_, code) =>
  [0, 1, 2, 3].filter((k) => ((code >> k) & 1) !== ((code >> ((k + 1) % 4)) & 1)),
);

/**
 * Level lines of f over `window` by marching squares (Lorensen & Cline 1987, in 2-D) on a
 * `resolution` × `resolution` grid of cells: each grid edge whose end values lie on both sides of a
 * level gets one crossing point by linear interpolation, the crossings of a cell are joined, and the
 * pieces are chained through their shared end points into polylines (one SVG path each when drawn). A cell
 * with four crossings (a saddle cell) is resolved by the value at its centre, so that lines never
 * cross. Cells with a non-finite corner produce no pieces.
 */
export function contourLines(
  f: (x: number, y: number) => number,
  window: Window,
  levels: readonly number[],
  resolution = 100,
): ContourLine[] {
  const grid = sampleGrid(f, window, resolution);
  const piecesByLevel = cellPieces(grid, levels);
  return levels.flatMap((level, l) => chainPieces(grid, level, piecesByLevel[l]!));
}

/** f on the (n + 1) × (n + 1) grid nodes of `window`; node (i, j) is v[i(n + 1) + j]. */
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
  for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) v[i * (n + 1) + j] = f(xs[i]!, ys[j]!);
  return { n, xs, ys, v };
}

/**
 * Per level, the pieces of level line inside each cell, each as the pair of grid edges it joins. Grid
 * edges by number: 2·(i(n+1) + j) runs from (i, j) to (i+1, j), the next number to (i, j+1).
 */
function cellPieces(grid: Grid, levels: readonly number[]): [number, number][][] {
  const { n, v } = grid;
  const node = (i: number, j: number) => i * (n + 1) + j;
  const piecesByLevel: [number, number][][] = levels.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Corners counter-clockwise from the bottom left; edge k joins corner k and corner k + 1.
      const c0 = v[node(i, j)]!;
      const c1 = v[node(i + 1, j)]!;
      const c2 = v[node(i + 1, j + 1)]!;
      const c3 = v[node(i, j + 1)]!;
      if (!(Number.isFinite(c0) && Number.isFinite(c1) && Number.isFinite(c2) && Number.isFinite(c3)))
        continue;
      const lo = Math.min(c0, c1, c2, c3);
      const hi = Math.max(c0, c1, c2, c3);
      const edges = [2 * node(i, j), 2 * node(i + 1, j) + 1, 2 * node(i, j + 1), 2 * node(i, j) + 1] as const;
      for (let l = 0; l < levels.length; l++) {
        const level = levels[l]!;
        if (level < lo || level >= hi) continue;
        const code =
          (c0 >= level ? 1 : 0) | (c1 >= level ? 2 : 0) | (c2 >= level ? 4 : 0) | (c3 >= level ? 8 : 0);
        const pieces = piecesByLevel[l]!;
        if (code === 5 || code === 10) {
          // A saddle cell: cut off the two corners that lie on the other side from the centre.
          const centre = (c0 + c1 + c2 + c3) / 4 >= level;
          if (c1 >= level !== centre) pieces.push([edges[0], edges[1]], [edges[2], edges[3]]);
          else pieces.push([edges[3], edges[0]], [edges[1], edges[2]]);
        } else {
          const crossed = CROSSED[code]!;
          pieces.push([edges[crossed[0]!]!, edges[crossed[1]!]!]);
        }
      }
    }
  }
  return piecesByLevel;
}

/** Where `level` crosses grid edge `edge`, by linear interpolation between its end values. */
function crossing(grid: Grid, level: number, edge: number): [number, number] {
  const { n, xs, ys, v } = grid;
  const k = edge >> 1;
  const i = Math.floor(k / (n + 1));
  const j = k % (n + 1);
  const [i2, j2] = edge & 1 ? [i, j + 1] : [i + 1, j];
  const a = v[i * (n + 1) + j]!;
  const t = (level - a) / (v[i2 * (n + 1) + j2]! - a);
  return [xs[i]! + t * (xs[i2]! - xs[i]!), ys[j]! + t * (ys[j2]! - ys[j]!)];
}

/**
 * The pieces of one level chained through shared end points into polylines (keyed by position, so that
 * pieces meeting at a grid node that lies exactly on the level chain too); zero-length pieces are dropped.
 */
function chainPieces(grid: Grid, level: number, pieces: readonly [number, number][]): ContourLine[] {
  const ends: [[number, number], [number, number]][] = [];
  const keys: [string, string][] = [];
  for (const [a, b] of pieces) {
    const p = crossing(grid, level, a);
    const q = crossing(grid, level, b);
    const kp = `${p[0].toPrecision(10)},${p[1].toPrecision(10)}`;
    const kq = `${q[0].toPrecision(10)},${q[1].toPrecision(10)}`;
    if (kp === kq) continue;
    ends.push([p, q]);
    keys.push([kp, kq]);
  }
  const at = new Map<string, number[]>();
  keys.forEach(([a, b], k) => {
    for (const e of [a, b]) {
      const list = at.get(e);
      if (list) list.push(k);
      else at.set(e, [k]);
    }
  });
  const used = new Uint8Array(keys.length);
  const extend = (from: number, side: 0 | 1, chain: [number, number][]) => {
    let key = keys[from]![side];
    for (;;) {
      const next = at.get(key)!.find((k) => !used[k]);
      if (next === undefined) return;
      used[next] = 1;
      const far = keys[next]![0] === key ? 1 : 0;
      key = keys[next]![far];
      chain.push(ends[next]![far]);
    }
  };
  const lines: ContourLine[] = [];
  for (let k = 0; k < keys.length; k++) {
    if (used[k]) continue;
    used[k] = 1;
    const forward: [number, number][] = [ends[k]![0], ends[k]![1]];
    extend(k, 1, forward);
    const backward: [number, number][] = [];
    extend(k, 0, backward);
    lines.push({ level, points: [...backward.reverse(), ...forward] });
  }
  return lines;
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
): TopLevelSpec {
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
