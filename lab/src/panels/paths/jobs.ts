/**
 * The paths panel's worker jobs. Each calls descent's public API only: the runs are `surfaceRecord`,
 * the function `descent surface --json` prints, so the export equals the CLI's output number for number.
 *
 * - `paths.catalog`: surfaces (formula, start, window, critical points), optimizers and their defaults.
 * - `paths.figure`: the surface's level lines and filled bands (`contourLevels`, `contourLines`).
 * - `paths.run`: one record per optimizer; an optimizer that refuses its options gets the message.
 */
import {
  contourLevels,
  contourLines,
  createOptimizer,
  distanceToCriticalPoints,
  getSurface,
  OPTIMIZER_NAMES,
  optimizerFormula,
  SURFACE_NAMES,
  scope,
  surfaceRecord,
  tensor,
} from 'descent';
import type { JobContext, JobHandler } from '../../worker/protocol';
import type {
  Catalog,
  Figure,
  FigureInput,
  FormulaText,
  OptionValue,
  RunOutcome,
  RunSpec,
  RunsInput,
  RunsResult,
} from './types';

/** Level lines spread geometrically for surfaces ≥ 0, evenly for the saddles (which go negative). */
const SIGNED = new Set(['saddle', 'monkey-saddle']);
const LEVELS = 16;
const LINE_RESOLUTION = 120;
const BAND_CELLS = 160;

function surfaceOf(input: FigureInput) {
  return getSurface(input.fn, input.condition === undefined ? {} : { condition: input.condition });
}

function catalog(): Catalog {
  const surfaces: Catalog['surfaces'] = {};
  for (const name of SURFACE_NAMES) {
    const s = getSurface(name);
    surfaces[name] = {
      formula: s.formula,
      start: [s.start[0], s.start[1]],
      window: s.window,
      criticalPoints: s.criticalPoints.map(([x, y]) => [x, y]),
    };
  }
  const optimizers: Catalog['optimizers'] = {};
  for (const name of OPTIMIZER_NAMES) {
    const opt = scope(() => createOptimizer(name, [tensor([0, 0], { requiresGrad: true })]));
    optimizers[name] = { ...(opt as unknown as { defaults: Record<string, OptionValue> }).defaults };
  }
  return { surfaces, optimizers };
}

/** For each cell centre of an n × n grid, the number of levels at or below f there (the band). */
function bandsOf(f: (x: number, y: number) => number, window: Figure['window'], levels: number[]) {
  const [x0, x1, y0, y1] = window;
  const n = BAND_CELLS;
  const index = new Uint8Array(n * n);
  for (let row = 0; row < n; row++) {
    const y = y0 + ((row + 0.5) / n) * (y1 - y0);
    for (let col = 0; col < n; col++) {
      const v = f(x0 + ((col + 0.5) / n) * (x1 - x0), y);
      let k = 0;
      while (k < levels.length && levels[k]! <= v) k++;
      index[row * n + col] = Number.isFinite(v) ? k : levels.length;
    }
  }
  return { n, index };
}

function figure(input: FigureInput): Figure {
  const s = surfaceOf(input);
  const f = (x: number, y: number) => s.value(x, y);
  const levels = contourLevels(f, s.window, LEVELS, SIGNED.has(input.fn) ? 'linear' : 'log');
  return {
    formula: s.formula,
    window: s.window,
    criticalPoints: s.criticalPoints.map(([x, y]) => [x, y]),
    levels,
    lines: contourLines(f, s.window, levels, LINE_RESOLUTION),
    bands: bandsOf(f, s.window, levels),
  };
}

/** The update rule the options select (the library's table), or null if it has none for the name. */
function formulaOf(run: RunSpec): FormulaText | null {
  try {
    const { form, update, symbols } = optimizerFormula(run.optimizer, run.options);
    return { form, update, symbols: { ...symbols } };
  } catch {
    return null;
  }
}

/** Each optimizer in turn, yielding between them so that a newer job can cancel this one. */
async function runs(input: RunsInput, ctx: JobContext): Promise<RunsResult> {
  const surface = surfaceOf(input);
  let ms = 0;
  const outcomes: RunOutcome[] = [];
  for (const run of input.runs) {
    await ctx.yield();
    const t0 = performance.now();
    try {
      const record = surfaceRecord({
        fn: input.fn,
        optimizer: run.optimizer,
        options: run.options,
        start: input.start,
        steps: input.steps,
        ...(input.condition === undefined ? {} : { condition: input.condition }),
      });
      outcomes.push({
        formula: formulaOf(run),
        record,
        distance: distanceToCriticalPoints(surface, record.trajectory),
      });
    } catch (error) {
      outcomes.push({
        formula: formulaOf(run),
        error: error instanceof Error ? error.message : String(error),
      });
    }
    ms += performance.now() - t0;
  }
  return { outcomes, ms };
}

export const pathsJobs: Record<string, JobHandler> = {
  'paths.catalog': () => catalog(),
  'paths.figure': (input: FigureInput) => figure(input),
  'paths.run': (input: RunsInput, ctx) => runs(input, ctx),
};
