/**
 * `lr.surface`: one optimizer run on a 2-D surface at the chosen learning rate, as the record
 * `descent surface --json` prints (`surfaceRecord`, the CLI's own function), the trainer's diagnostics
 * of its losses (`lrDiagnostics`: the divergence guard and plateau detector `fit` runs), and what the
 * figure needs to draw the surface (its window, critical points and level lines, from the library).
 */
import {
  contourLevels,
  contourLines,
  getSurface,
  lrDiagnostics,
  type SurfaceRecord,
  surfaceRecord,
} from 'descent';
import type { WarningData } from './diagnostics';

export interface SurfaceJobInput {
  fn: string;
  optimizer: string;
  lr: number;
  steps: number;
  /** The quadratic's κ; ignored (not sent to the library) for the other surfaces. */
  condition: number;
}

export interface SurfaceJobResult {
  /** Exactly what `descent surface --fn … --optimizer … --from x,y --steps n --lr η [--condition κ] --json` prints. */
  record: SurfaceRecord;
  window: readonly [number, number, number, number];
  criticalPoints: (readonly [number, number])[];
  contours: { level: number; points: [number, number][] }[];
  warnings: WarningData[];
}

/** Level lines spread geometrically for surfaces ≥ 0, evenly for the saddles (which go negative). */
const NON_NEGATIVE = new Set(['quadratic', 'rosenbrock', 'beale', 'himmelblau']);

/** The CLI's `--condition` applies to the quadratic only; elsewhere it would be refused. */
export function surfaceSettings(input: SurfaceJobInput): { condition?: number } {
  return input.fn === 'quadratic' ? { condition: input.condition } : {};
}

export function surfaceJob(input: SurfaceJobInput): SurfaceJobResult {
  const settings = surfaceSettings(input);
  const surface = getSurface(input.fn, settings);
  const record = surfaceRecord({
    fn: input.fn,
    optimizer: input.optimizer,
    options: { lr: input.lr },
    start: surface.start,
    steps: input.steps,
    ...settings,
  });
  const f = (x: number, y: number) => surface.value(x, y);
  const scale = NON_NEGATIVE.has(input.fn) ? 'log' : 'linear';
  const levels = contourLevels(f, surface.window, 14, scale);
  // loss[0] is the start; loss[k] is the loss after step k, the value the trainer would watch.
  const { warnings } = lrDiagnostics(record.loss.slice(1), { lr: input.lr });
  return {
    record,
    warnings: warnings.map(({ kind, message, suggestedLr }) => ({ kind, message, suggestedLr })),
    window: surface.window,
    criticalPoints: [...surface.criticalPoints],
    contours: contourLines(f, surface.window, levels, 80),
  };
}
