/**
 * Runs an optimizer on a 2-D test surface: θ = [x, y] is one parameter tensor, the loss is the
 * surface's tensor form, and the optimizer is the same class used to train networks.
 *
 * The iterates and their losses stay on the device, one copy per step, and are read once at the end
 * (two reads however many steps: a backend that reads slowly or only asynchronously is not asked
 * for a value per step).
 */

import { noGrad } from '../autograd/tape.js';
import { stack } from '../ops/shape_ops.js';
import { createOptimizer } from '../optim/registry.js';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { getSurface, type SurfaceOptions } from './functions.js';

export interface TrajectoryOptions {
  /** Surface name (see `surfaces`). */
  fn: string;
  /** The surface's parameters, e.g. `{ condition: 100 }` for the quadratic (see `getSurface`). */
  surfaceOptions?: SurfaceOptions;
  /** Optimizer name (see `OPTIMIZER_NAMES`). */
  optimizer: string;
  /** PyTorch-style options; omitted ones take the optimizer's defaults. */
  options?: Record<string, unknown>;
  /** Default: the surface's own start. */
  start?: readonly [number, number];
  steps: number;
  /** float32 (default, as training) or float64. */
  dtype?: 'float32' | 'float64';
}

export interface Trajectory {
  /** steps + 1 points, the start first. */
  trajectory: [number, number][];
  /** f at each point. */
  loss: number[];
}

export function runTrajectory(o: TrajectoryOptions): Trajectory {
  checkOptions('runTrajectory', o, {
    fn: true,
    surfaceOptions: true,
    optimizer: true,
    options: true,
    start: true,
    steps: true,
    dtype: true,
  });
  const surface = getSurface(o.fn, o.surfaceOptions);
  if (!Number.isInteger(o.steps) || o.steps < 0)
    throw new RangeError(`runTrajectory: steps must be a non-negative integer, got ${o.steps}`);
  const start = o.start ?? surface.start;
  // One scope around the run: the copies of the iterates are released once read.
  return scope(() => {
    const theta = tensor([start[0], start[1]], { dtype: o.dtype ?? 'float32', requiresGrad: true });
    const opt = createOptimizer(o.optimizer, [theta], o.options ?? {});
    const points: Tensor[] = [];
    const losses: Tensor[] = [];
    const record = () =>
      noGrad(() => {
        points.push(theta.clone());
        losses.push(surface.loss(theta));
      });
    record();
    for (let k = 0; k < o.steps; k++) {
      scope(() => {
        opt.step(() => {
          theta.zeroGrad();
          surface.loss(theta).backward();
          // Not the loss tensor: Optimizer.step would read it to hand it back, a read per step.
          return Number.NaN;
        });
      });
      record();
    }
    const xy = stack(points).data();
    const trajectory = points.map((_, k): [number, number] => [xy[2 * k]!, xy[2 * k + 1]!]);
    return { trajectory, loss: Array.from(stack(losses).data()) };
  });
}
