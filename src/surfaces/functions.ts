/**
 * Two-dimensional test functions for watching optimizers move: each has its value and analytic
 * gradient in float64 (for contours and checks) and a differentiable tensor form (for the optimizers
 * themselves, through the same autograd as training).
 */
import { mul, square, sub } from '../ops/elementwise.js';
import { index } from '../ops/index_spec.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { checkCondition, DEFAULT_CONDITION, quadraticSurface } from './quadratic.js';

export type SurfaceName = 'quadratic' | 'rosenbrock' | 'beale' | 'himmelblau' | 'saddle' | 'monkey-saddle';

export interface Surface {
  readonly name: SurfaceName;
  /** Formula as text, for figures and reports. */
  readonly formula: string;
  value(x: number, y: number): number;
  gradient(x: number, y: number): [number, number];
  /** f(θ) for a parameter tensor θ = [x, y], built from differentiable ops. */
  loss(theta: Tensor): Tensor;
  /** A default starting point that shows the surface's character. */
  readonly start: readonly [number, number];
  /** Minima (or the critical point of the saddles), for marking on plots. */
  readonly criticalPoints: readonly (readonly [number, number])[];
  /** A plotting window [xMin, xMax, yMin, yMax]. */
  readonly window: readonly [number, number, number, number];
}

function xy(theta: Tensor): [Tensor, Tensor] {
  return [index(theta, [0]), index(theta, [1])];
}

const cube = (t: Tensor): Tensor => mul(square(t), t);

export const surfaces: Record<SurfaceName, Surface> = {
  quadratic: quadraticSurface(DEFAULT_CONDITION),
  rosenbrock: {
    name: 'rosenbrock',
    formula: '(1 − x)² + 100·(y − x²)²',
    value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    loss: (t) => {
      const [x, y] = xy(t);
      return square(sub(1, x)).add(square(sub(y, square(x))).mul(100));
    },
    start: [-1.5, 2],
    criticalPoints: [[1, 1]],
    window: [-2, 2, -1, 3],
  },
  beale: {
    name: 'beale',
    formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    value: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    gradient: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [
        2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1),
        2 * a * x + 4 * b * x * y + 6 * c * x * y * y,
      ];
    },
    loss: (t) => {
      const [x, y] = xy(t);
      const a = sub(1.5, x).add(x.mul(y));
      const b = sub(2.25, x).add(x.mul(square(y)));
      const c = sub(2.625, x).add(x.mul(cube(y)));
      return square(a).add(square(b)).add(square(c));
    },
    start: [1, 1],
    criticalPoints: [[3, 0.5]],
    window: [-4.5, 4.5, -4.5, 4.5],
  },
  himmelblau: {
    name: 'himmelblau',
    formula: '(x² + y − 11)² + (x + y² − 7)²',
    value: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    gradient: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
    },
    loss: (t) => {
      const [x, y] = xy(t);
      return square(square(x).add(y).sub(11)).add(square(x.add(square(y)).sub(7)));
    },
    start: [0, 0],
    criticalPoints: [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ],
    window: [-5, 5, -5, 5],
  },
  saddle: {
    name: 'saddle',
    formula: 'x² − y²',
    value: (x, y) => x * x - y * y,
    gradient: (x, y) => [2 * x, -2 * y],
    loss: (t) => {
      const [x, y] = xy(t);
      return square(x).sub(square(y));
    },
    start: [-2, 1e-3],
    criticalPoints: [[0, 0]],
    window: [-2.5, 2.5, -2.5, 2.5],
  },
  'monkey-saddle': {
    name: 'monkey-saddle',
    formula: 'x³ − 3xy²',
    value: (x, y) => x ** 3 - 3 * x * y * y,
    gradient: (x, y) => [3 * x * x - 3 * y * y, -6 * x * y],
    loss: (t) => {
      const [x, y] = xy(t);
      return cube(x).sub(x.mul(square(y)).mul(3));
    },
    start: [0.5, 0.1],
    criticalPoints: [[0, 0]],
    window: [-1.5, 1.5, -1.5, 1.5],
  },
};

export const SURFACE_NAMES = Object.keys(surfaces) as SurfaceName[];

/** Parameters of a surface; only the quadratic has one today. */
export interface SurfaceOptions {
  /** The quadratic's condition number κ in ½·(x² + κ·y²): finite, ≥ 1 (default 25). */
  condition?: number;
}

/**
 * The surface `name`, with `options` applied: `getSurface('quadratic', { condition: 100 })` is
 * ½·(x² + 100·y²). An option the surface does not have is refused rather than ignored.
 */
export function getSurface(name: string, options: SurfaceOptions = {}): Surface {
  checkOptions('getSurface', options, { condition: true });
  const s = (surfaces as Record<string, Surface>)[name];
  if (!s)
    throw new RangeError(`unknown surface ${JSON.stringify(name)}; accepted: ${SURFACE_NAMES.join(', ')}`);
  if (options.condition === undefined) return s;
  if (name !== 'quadratic') {
    throw new RangeError(
      `getSurface: condition applies to the quadratic only (its κ in 0.5·(x² + κ·y²)); ${name} has no condition parameter`,
    );
  }
  return quadraticSurface(checkCondition('getSurface', options.condition));
}
