/**
 * The ill-conditioned quadratic f(x, y) = ½·(x² + κ·y²), with its condition number κ as a parameter.
 * Its Hessian is diag(1, κ), so κ is the ratio of the largest to the smallest curvature: gradient
 * descent with one learning rate for both axes must keep η < 2/κ to stay stable along y, and then
 * crawls along x (the course's picture of why momentum and adaptive methods help). κ = 25 is the
 * course's example and the surface `quadratic` of the table; κ = 1 is the round bowl.
 *
 * @example
 * const s = quadraticSurface(100);   // ½·(x² + 100·y²)
 * s.gradient(1, 1);                  // [1, 100]
 */
import { mul, square } from '../ops/elementwise.js';
import { index } from '../ops/index_spec.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Surface } from './functions.js';

/** The course's condition number, the default (results with it are unchanged by the parameter). */
export const DEFAULT_CONDITION = 25;

/** Checks a condition number: a finite number ≥ 1 (κ < 1 is the same bowl with the axes swapped). */
export function checkCondition(who: string, condition: unknown): number {
  if (typeof condition !== 'number' || !Number.isFinite(condition) || condition < 1) {
    const shown = typeof condition === 'number' ? String(condition) : JSON.stringify(condition);
    throw new RangeError(
      `${who}: condition must be a finite number ≥ 1 (the ratio of the largest to the smallest curvature), got ${shown}`,
    );
  }
  return condition;
}

/** ½·(x² + κ·y²) with κ = `condition` (checked). */
export function quadraticSurface(condition: number = DEFAULT_CONDITION): Surface {
  const k = checkCondition('quadraticSurface', condition);
  return {
    name: 'quadratic',
    formula: `0.5·(x² + ${k}·y²)`,
    value: (x, y) => 0.5 * (x * x + k * y * y),
    gradient: (x, y) => [x, k * y],
    loss: (t: Tensor) => {
      const x = index(t, [0]);
      const y = index(t, [1]);
      return mul(square(x).add(square(y).mul(k)), 0.5);
    },
    start: [-4, 1],
    criticalPoints: [[0, 0]],
    window: [-5, 5, -2, 2],
  };
}
