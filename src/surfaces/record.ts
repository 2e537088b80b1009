/**
 * `surfaceRecord`: one optimizer run on a 2-D surface as the object `descent surface --json` prints.
 * The CLI prints exactly this object and the lab exports it, so a path drawn in the browser and one
 * computed in Node for the same settings can be compared number for number.
 */
import { checkOptions } from '../util/options.js';
import { getSurface } from './functions.js';
import { runTrajectory } from './trajectory.js';

export interface SurfaceRecordOptions {
  /** Surface name (see `SURFACE_NAMES`). */
  fn: string;
  /** Optimizer name (see `OPTIMIZER_NAMES`). */
  optimizer: string;
  /** PyTorch-style optimizer options, camelCase; omitted ones take the optimizer's defaults. */
  options?: Record<string, unknown>;
  /** Default: the surface's own start. */
  start?: readonly [number, number];
  steps: number;
  /** The quadratic's condition number κ (see `getSurface`); refused for the other surfaces. */
  condition?: number;
}

/**
 * The JSON contract of `descent surface --json`, in this key order: `condition` only when it was
 * given; `trajectory` has steps + 1 points (the start first) and `loss` f at each of them (a
 * non-finite loss prints as null in JSON).
 */
export interface SurfaceRecord {
  fn: string;
  optimizer: string;
  options: Record<string, unknown>;
  start: [number, number];
  steps: number;
  condition?: number;
  trajectory: [number, number][];
  loss: number[];
}

/** Runs the optimizer (float32, as `descent surface`) and returns the record; see the module comment. */
export function surfaceRecord(o: SurfaceRecordOptions): SurfaceRecord {
  checkOptions('surfaceRecord', o, {
    fn: true,
    optimizer: true,
    options: true,
    start: true,
    steps: true,
    condition: true,
  });
  const surfaceOptions = o.condition === undefined ? {} : { condition: o.condition };
  const start = o.start ?? getSurface(o.fn, surfaceOptions).start;
  const options = o.options ?? {};
  const { trajectory, loss } = runTrajectory({
    fn: o.fn,
    surfaceOptions,
    optimizer: o.optimizer,
    options,
    start,
    steps: o.steps,
  });
  return {
    fn: o.fn,
    optimizer: o.optimizer,
    options,
    start: [start[0], start[1]],
    steps: o.steps,
    ...(o.condition === undefined ? {} : { condition: o.condition }),
    trajectory,
    loss,
  };
}
