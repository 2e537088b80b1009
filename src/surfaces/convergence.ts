/**
 * How far a trajectory is from where it should end: at each point, the Euclidean distance to the
 * nearest of the surface's critical points (its minima; the saddle point for the saddles). A
 * convergence curve the loss alone hides: on Rosenbrock's flat valley the loss is small long before
 * the point reaches (1, 1), as in Distill's "Why Momentum Really Works" (Goh 2017).
 *
 * @example
 * const { trajectory } = runTrajectory({ fn: 'rosenbrock', optimizer: 'adam', options: { lr: 0.05 }, steps: 200 });
 * distanceToCriticalPoints(getSurface('rosenbrock'), trajectory); // 201 distances, the start's first
 */
import type { Surface } from './functions.js';

/** Per point, the distance to the nearest critical point (NaN for a non-finite point). */
export function distanceToCriticalPoints(
  surface: Pick<Surface, 'name' | 'criticalPoints'>,
  trajectory: readonly (readonly [number, number])[],
): number[] {
  if (surface.criticalPoints.length === 0)
    throw new RangeError(
      `distanceToCriticalPoints: ${surface.name} lists no critical points to measure from`,
    );
  return trajectory.map(([x, y]) => {
    let best = Number.POSITIVE_INFINITY;
    for (const [cx, cy] of surface.criticalPoints) best = Math.min(best, Math.hypot(x - cx, y - cy));
    return Number.isFinite(x) && Number.isFinite(y) ? best : Number.NaN;
  });
}
