/**
 * Runs an optimizer on a 2-D test surface: θ = [x, y] is one parameter tensor, the loss is the
 * surface's tensor form, and the optimizer is the same class used to train networks.
 */

import { noGrad } from '../autograd/tape.js';
import { createOptimizer } from '../optim/registry.js';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
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
  const theta = tensor([start[0], start[1]], { dtype: o.dtype ?? 'float32', requiresGrad: true });
  const opt = createOptimizer(o.optimizer, [theta], o.options ?? {});
  const points: [number, number][] = [];
  const losses: number[] = [];
  const record = () => {
    const [x, y] = theta.data();
    points.push([x!, y!]);
    losses.push(noGrad(() => scope(() => surface.loss(theta).item())));
  };
  record();
  for (let k = 0; k < o.steps; k++) {
    scope(() => {
      opt.step(() => {
        theta.zeroGrad();
        const loss = surface.loss(theta);
        loss.backward();
        return loss;
      });
    });
    record();
  }
  return { trajectory: points, loss: losses };
}
