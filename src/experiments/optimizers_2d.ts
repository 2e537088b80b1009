/**
 * Experiment 1, `optimizers-2d`: optimizer paths on 2-D loss surfaces, the lecture's pictures of
 * gradient descent and its improvements (slides "动量法比较", "各种改进的梯度下降法的可视化结果" and
 * the saddle point slide; the animations after Radford 2014).
 *
 * Every optimizer is the library's own class (`createOptimizer`) on one float32 parameter θ = [x, y]
 * whose loss is the surface's differentiable tensor form, exactly as in training. What each surface
 * shows, with the step budget and the goal whose first step is reported as `thresholdStep`:
 *
 * | surface | start | steps | goal | shows |
 * | --- | --- | --- | --- | --- |
 * | quadratic 0.5·(x² + 25y²) | (−4, 1) | 150 | f < 1e-4 | SGD zig-zags across the steep axis; momentum swings smoothly and arrives in fewer steps; Nesterov damps the swing |
 * | Rosenbrock | (−1.5, 2) | 1500 | f < 1e-3 | the long curved valley: plain SGD and AdaGrad crawl along it |
 * | Beale | (1, 1) | 1000 | f < 1e-3 | momentum and Nesterov swing out into another region before turning to (3, 0.5) |
 * | saddle x² − y² | (−2, 0.001) | 150 | |y| > 1 ("leaves the saddle") | SGD stalls at the saddle, momentum and Nesterov linger there and then escape, adaptive methods escape at once |
 *
 * Learning rates are tuned per surface so that each path is stable and visible (the table `SETUPS_2D`
 * documents them, with the reasons): SGD, momentum and Nesterov share one learning rate per surface
 * (except SGD on the quadratic, set just below its stability limit 2/25 to show the zig-zag), the
 * adaptive methods use their usual scales. Nesterov is the course's look-ahead form
 * v ← ρv − η∇J(θ + ρv). Lion moves every coordinate by exactly η per step, so at a constant rate it
 * ends in a cycle of size η around a minimum; it runs with cosine decay to 0 as in its paper.
 *
 * The run is deterministic (no randomness is involved).
 */

import { noGrad } from '../autograd/tape.js';
import { stack } from '../ops/shape_ops.js';
import { createOptimizer } from '../optim/registry.js';
import { type Surface, surfaces } from '../surfaces/functions.js';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import { presentOptimizers2d } from './optimizers_2d_present.js';
import {
  type Goal2d,
  OPTIMIZER_LABELS_2D,
  OPTIMIZERS_2D,
  type Optimizer2d,
  type RunSpec2d,
  SETUPS_2D,
  SURFACES_2D,
  type Surface2d,
} from './optimizers_2d_setups.js';
import { OPTIMIZERS_2D_STRINGS } from './optimizers_2d_strings.js';
import type { Experiment } from './types.js';

export { ySignChanges } from './optimizers_2d_present.js';
export {
  type Goal2d,
  OPTIMIZER_LABELS_2D,
  OPTIMIZERS_2D,
  type Optimizer2d,
  type RunSpec2d,
  SETUPS_2D,
  SURFACES_2D,
  type Surface2d,
  type SurfaceSetup2d,
} from './optimizers_2d_setups.js';

export interface Optimizers2dOptions {
  surfaces: Surface2d[];
  optimizers: Optimizer2d[];
  /** Steps per surface; surfaces left out take `SETUPS_2D[surface].steps`. */
  steps: Partial<Record<Surface2d, number>>;
}

export interface Path2d {
  optimizer: Optimizer2d;
  label: string;
  spec: RunSpec2d;
  /** The points from the start, one per step (steps + 1), cut at the first non-finite one. */
  path: [number, number][];
  /** f at each point of `path`. */
  losses: number[];
  /** The first step meeting the surface's goal (loss below, or |y| above), or null. */
  thresholdStep: number | null;
  finalLoss: number;
  /** True when the iterate stopped being finite (the path ends there). */
  diverged: boolean;
}

export interface Surface2dResult {
  surface: Surface2d;
  formula: string;
  start: [number, number];
  steps: number;
  goal: Goal2d;
  window: [number, number, number, number];
  criticalPoints: [number, number][];
  runs: Path2d[];
}

export interface Optimizers2dResult {
  surfaces: Surface2dResult[];
}

/**
 * Runs one optimizer on a surface (float32 θ, as in training), recording every iterate. The iterates
 * stay on the device (a copy per step) and are read once at the end; the path ends before the first
 * iterate that is not finite (`diverged`), as if the run had stopped there (the steps after it only
 * carry NaN or ±∞ along).
 */
export function trajectory2d(
  surface: Surface,
  spec: RunSpec2d,
  start: readonly [number, number],
  steps: number,
): { path: [number, number][]; losses: number[]; diverged: boolean } {
  const xy = scope(() => {
    const theta = tensor([start[0], start[1]], { requiresGrad: true });
    const opt = createOptimizer(spec.optimizer, [theta], spec.options);
    const lr0 = opt.lr;
    const iterates = [noGrad(() => theta.clone())];
    for (let k = 0; k < steps; k++) {
      if (spec.schedule === 'cosine') opt.lr = lr0 * 0.5 * (1 + Math.cos((Math.PI * k) / steps));
      scope(() =>
        opt.step(() => {
          theta.zeroGrad();
          surface.loss(theta).backward();
          // Not the loss tensor: Optimizer.step would read it to hand it back, a read per step.
          return Number.NaN;
        }),
      );
      iterates.push(noGrad(() => theta.clone()));
    }
    return stack(iterates).data();
  });
  const path: [number, number][] = [];
  const losses: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const x = xy[2 * k]!;
    const y = xy[2 * k + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return { path, losses, diverged: true };
    // Nine significant digits give back every float32 exactly and halve the JSON.
    path.push([Number(x.toPrecision(9)), Number(y.toPrecision(9))]);
    losses.push(Number(surface.value(x, y).toPrecision(9)));
  }
  return { path, losses, diverged: false };
}

function firstStep(goal: Goal2d, path: [number, number][], losses: number[]): number | null {
  for (let k = 0; k < path.length; k++) {
    const hit = goal.kind === 'loss' ? losses[k]! < goal.below : Math.abs(path[k]![1]) > goal.above;
    if (hit) return k;
  }
  return null;
}

function run(options: Partial<Optimizers2dOptions> = {}): Optimizers2dResult {
  const o = { ...defaults, ...options };
  for (const s of o.surfaces) {
    if (!SURFACES_2D.includes(s))
      throw new RangeError(`optimizers-2d: unknown surface '${s}'; accepted: ${SURFACES_2D.join(', ')}`);
  }
  for (const name of o.optimizers) {
    if (!OPTIMIZERS_2D.includes(name))
      throw new RangeError(
        `optimizers-2d: unknown optimizer '${name}'; accepted: ${OPTIMIZERS_2D.join(', ')}`,
      );
  }
  return {
    surfaces: o.surfaces.map((name) => {
      const setup = SETUPS_2D[name];
      const surface = surfaces[name];
      const steps = o.steps[name] ?? setup.steps;
      if (!Number.isInteger(steps) || steps < 1)
        throw new RangeError(`optimizers-2d: steps for ${name} must be a positive integer, got ${steps}`);
      return {
        surface: name,
        formula: surface.formula,
        start: [setup.start[0], setup.start[1]],
        steps,
        goal: setup.goal,
        window: [...setup.window],
        criticalPoints: surface.criticalPoints.map(([x, y]) => [x, y]),
        runs: o.optimizers.map((id) => {
          const spec = setup.runs[id];
          const t = trajectory2d(surface, spec, setup.start, steps);
          return {
            optimizer: id,
            label: OPTIMIZER_LABELS_2D[id],
            spec,
            ...t,
            thresholdStep: firstStep(setup.goal, t.path, t.losses),
            finalLoss: t.losses[t.losses.length - 1]!,
          };
        }),
      };
    }),
  };
}

const defaults: Optimizers2dOptions = {
  surfaces: [...SURFACES_2D],
  optimizers: [...OPTIMIZERS_2D],
  steps: {},
};

export const optimizers2d: Experiment<Optimizers2dOptions, Optimizers2dResult> = {
  name: 'optimizers-2d',
  title: OPTIMIZERS_2D_STRINGS.title,
  defaults,
  run,
  present: presentOptimizers2d,
};
