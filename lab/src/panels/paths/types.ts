/**
 * What the paths panel sends to its worker and gets back. The page never computes: it asks for the
 * catalog (surfaces, optimizers and their defaults), the surface's figure (level lines, bands) and
 * the runs (one `descent surface --json` record per optimizer).
 */
import type { SurfaceRecord } from 'descent';
import type { OptionValue, RunSpec } from './run_spec';

export type { OptionValue, RunSpec };

/** [xMin, xMax, yMin, yMax]. */
export type Window = readonly [number, number, number, number];

export interface SurfaceInfo {
  formula: string;
  start: [number, number];
  window: Window;
  criticalPoints: [number, number][];
}

export interface Catalog {
  surfaces: Record<string, SurfaceInfo>;
  /** Every name of OPTIMIZER_NAMES with its defaults (`optimizer.defaults`), in the library's order. */
  optimizers: Record<string, Record<string, OptionValue>>;
}

/** The library's update rule for an optimizer under its options (`optimizerFormula`, minus `applies`). */
export interface FormulaText {
  form: string;
  update: string;
  symbols: Record<string, string>;
}

export interface FigureInput {
  fn: string;
  /** The quadratic's κ; not sent for the other surfaces. */
  condition?: number;
}

export interface Figure {
  formula: string;
  window: Window;
  criticalPoints: [number, number][];
  levels: number[];
  lines: { level: number; points: [number, number][] }[];
  /** Filled bands: for an n × n grid of cells (row 0 at the bottom), how many levels lie below f. */
  bands: { n: number; index: Uint8Array };
}

export interface RunsInput extends FigureInput {
  start: [number, number];
  steps: number;
  runs: RunSpec[];
}

/**
 * Per optimizer: its record and distance to the nearest critical point per step, or the library's
 * message when it refused the options; with the update rule its options select either way.
 */
export type RunOutcome = { formula: FormulaText | null } & (
  | { record: SurfaceRecord; distance: number[] }
  | { error: string }
);

export interface RunsResult {
  outcomes: RunOutcome[];
  /** Time the runs took in the worker, in ms (the yields between them excluded). */
  ms: number;
}
