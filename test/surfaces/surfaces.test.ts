/**
 * The 2-D test surfaces and the trajectory runner: analytic gradients against central finite
 * differences of `value`, the tensor `loss` and its autograd gradient against `value` and `gradient`
 * (float64, reference backend), critical points, the runner's contract, and two observations of the
 * course: SGD stalls on a saddle where Adam escapes, and momentum damps the zigzag of gradient descent
 * on the ill-conditioned quadratic.
 */
import { describe, expect, it } from 'vitest';
import {
  getSurface,
  OPTIMIZER_NAMES,
  runTrajectory,
  SURFACE_NAMES,
  type SurfaceName,
  surfaces,
  tensor,
} from '../../src/index.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only (trajectories in float64).
useReferenceBackend();

/** Points inside each window, away from the critical points, where every term of the gradient matters. */
const POINTS: [number, number][] = [
  [0.3, -0.7],
  [1.2, 0.4],
  [-1.1, 1.3],
  [2, -0.5],
  [-0.45, -1.6],
];

function closeRel(actual: number, expected: number, rtol: number): boolean {
  return Math.abs(actual - expected) <= rtol * Math.max(1, Math.abs(expected));
}

describe('surfaces', () => {
  it('SURFACE_NAMES lists the six surfaces of the issue', () => {
    expect([...SURFACE_NAMES].sort()).toEqual(
      ['beale', 'himmelblau', 'monkey-saddle', 'quadratic', 'rosenbrock', 'saddle'].sort(),
    );
  });

  it('the formulas are the ones the issue defines (values at a generic point by hand)', () => {
    const [x, y] = [1.3, -0.6];
    const byHand: Record<SurfaceName, number> = {
      quadratic: 0.5 * (x * x + 25 * y * y),
      rosenbrock: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      beale: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2,
      himmelblau: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
      saddle: x * x - y * y,
      'monkey-saddle': x * x * x - 3 * x * y * y,
    };
    for (const name of SURFACE_NAMES) expect(surfaces[name].value(x, y)).toBeCloseTo(byHand[name], 12);
  });

  for (const name of SURFACE_NAMES) {
    describe(name, () => {
      const s = surfaces[name];

      it('the analytic gradient matches central finite differences of value', () => {
        const h = 1e-6;
        for (const [x, y] of POINTS) {
          const [gx, gy] = s.gradient(x, y);
          const fx = (s.value(x + h, y) - s.value(x - h, y)) / (2 * h);
          const fy = (s.value(x, y + h) - s.value(x, y - h)) / (2 * h);
          const ok = closeRel(gx, fx, 1e-6) && closeRel(gy, fy, 1e-6);
          expect(ok, `at (${x}, ${y}): analytic (${gx}, ${gy}), finite differences (${fx}, ${fy})`).toBe(
            true,
          );
        }
      });

      it('the tensor loss equals value and its autograd gradient equals gradient (float64)', () => {
        for (const [x, y] of POINTS) {
          const theta = tensor([x, y], { dtype: 'float64', requiresGrad: true });
          const loss = s.loss(theta);
          expect(loss.shape).toEqual([]);
          expect(closeRel(loss.item(), s.value(x, y), 1e-13)).toBe(true);
          loss.backward();
          const [ax, ay] = theta.grad!.data();
          const [gx, gy] = s.gradient(x, y);
          if (!closeRel(ax!, gx, 1e-12) || !closeRel(ay!, gy, 1e-12))
            expect.fail(`at (${x}, ${y}): autograd (${ax}, ${ay}), analytic (${gx}, ${gy})`);
        }
      });

      it('the start and the critical points lie inside the plotting window', () => {
        const [x0, x1, y0, y1] = s.window;
        for (const [x, y] of [s.start, ...s.criticalPoints]) {
          expect(x).toBeGreaterThanOrEqual(x0);
          expect(x).toBeLessThanOrEqual(x1);
          expect(y).toBeGreaterThanOrEqual(y0);
          expect(y).toBeLessThanOrEqual(y1);
        }
      });

      it('getSurface returns it by name', () => {
        expect(getSurface(name)).toBe(s);
      });
    });
  }

  describe('critical points have zero gradient', () => {
    it('exactly for the quadratic (0, 0), rosenbrock (1, 1), beale (3, 0.5), himmelblau (3, 2) and both saddles', () => {
      for (const name of ['quadratic', 'rosenbrock', 'beale', 'saddle', 'monkey-saddle'] as const) {
        const s = surfaces[name];
        expect(s.criticalPoints).toHaveLength(1);
        const [x, y] = s.criticalPoints[0]!;
        expect(s.gradient(x, y).map(Math.abs)).toEqual([0, 0]);
        expect(s.value(x, y)).toBe(0);
      }
      expect(surfaces.himmelblau.gradient(3, 2).map(Math.abs)).toEqual([0, 0]);
    });

    it('to ~1e-5 for the other three minima of himmelblau (given to six decimals)', () => {
      const h = surfaces.himmelblau;
      expect(h.criticalPoints).toHaveLength(4);
      for (const [x, y] of h.criticalPoints) {
        expect(Math.hypot(...h.gradient(x, y))).toBeLessThan(5e-5);
        expect(h.value(x, y)).toBeLessThan(1e-10);
      }
    });

    it('the saddles are saddles: the value drops along y from the critical point', () => {
      expect(surfaces.saddle.value(0, 0.1)).toBeLessThan(0);
      expect(surfaces.saddle.value(0.1, 0)).toBeGreaterThan(0);
      expect(surfaces['monkey-saddle'].value(-0.1, 0)).toBeLessThan(0);
      expect(surfaces['monkey-saddle'].value(0.1, 0)).toBeGreaterThan(0);
    });
  });

  it('an unknown surface name lists the accepted ones', () => {
    expect(() => getSurface('sphere')).toThrow(
      'unknown surface "sphere"; accepted: quadratic, rosenbrock, beale, himmelblau, saddle, monkey-saddle',
    );
    expect(() => runTrajectory({ fn: 'Rosenbrock', optimizer: 'sgd', steps: 1 })).toThrow(
      'unknown surface "Rosenbrock"; accepted: quadratic, rosenbrock, beale, himmelblau, saddle, monkey-saddle',
    );
  });
});

describe('runTrajectory', () => {
  it('returns steps + 1 points, the start first, and the value at each', () => {
    const r = runTrajectory({
      fn: 'rosenbrock',
      optimizer: 'adam',
      options: { lr: 0.05 },
      start: [-1.5, 2],
      steps: 7,
      dtype: 'float64',
    });
    expect(r.trajectory).toHaveLength(8);
    expect(r.loss).toHaveLength(8);
    expect(r.trajectory[0]).toEqual([-1.5, 2]);
    r.trajectory.forEach(([x, y], i) => {
      expect(closeRel(r.loss[i]!, surfaces.rosenbrock.value(x, y), 1e-13)).toBe(true);
    });
    // Adam's first step moves each coordinate by lr against the sign of the gradient.
    const [gx, gy] = surfaces.rosenbrock.gradient(-1.5, 2);
    expect(r.trajectory[1]![0]).toBeCloseTo(-1.5 - 0.05 * Math.sign(gx), 6);
    expect(r.trajectory[1]![1]).toBeCloseTo(2 - 0.05 * Math.sign(gy), 6);
  });

  it('starts from the surface’s own start by default; steps: 0 gives the start alone', () => {
    for (const name of SURFACE_NAMES) {
      const r = runTrajectory({ fn: name, optimizer: 'sgd', steps: 0 });
      expect(r.trajectory).toEqual([surfaces[name].start.map(Math.fround)]); // float32 by default
      expect(r.loss).toHaveLength(1);
    }
  });

  it('works with every optimizer name (a few steps, finite values)', () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      const r = runTrajectory({ fn: 'beale', optimizer, steps: 3 });
      expect(r.trajectory).toHaveLength(4);
      expect(r.trajectory.flat().every(Number.isFinite)).toBe(true);
      expect(r.trajectory[3]).not.toEqual(r.trajectory[0]);
    }
  });

  it('runs in float32 by default (as training) and in float64 on request', () => {
    const f32 = runTrajectory({ fn: 'quadratic', optimizer: 'sgd', start: [0.1, 0.2], steps: 0 });
    expect(f32.trajectory[0]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    const f64 = runTrajectory({
      fn: 'quadratic',
      optimizer: 'sgd',
      start: [0.1, 0.2],
      steps: 0,
      dtype: 'float64',
    });
    expect(f64.trajectory[0]).toEqual([0.1, 0.2]);
  });

  it('refuses a negative or fractional number of steps, and an unknown optimizer', () => {
    expect(() => runTrajectory({ fn: 'saddle', optimizer: 'sgd', steps: -1 })).toThrow(
      'runTrajectory: steps must be a non-negative integer, got -1',
    );
    expect(() => runTrajectory({ fn: 'saddle', optimizer: 'sgd', steps: 2.5 })).toThrow(
      'runTrajectory: steps must be a non-negative integer, got 2.5',
    );
    expect(() => runTrajectory({ fn: 'saddle', optimizer: 'sgdm', steps: 1 })).toThrow(
      /^unknown optimizer "sgdm"; accepted: sgd, adagrad, /,
    );
  });
});

describe('the course’s observations', () => {
  it('saddle x² − y²: SGD started on the x-axis converges to the saddle point and stays there', () => {
    const r = runTrajectory({
      fn: 'saddle',
      optimizer: 'sgd',
      options: { lr: 0.1 },
      start: [-2, 0],
      steps: 100,
      dtype: 'float64',
    });
    // ∂f/∂y = −2y is exactly 0 on the axis, so y never moves; x shrinks by 0.8 per step.
    expect(r.trajectory.every(([, y]) => y === 0)).toBe(true);
    const [x, y] = r.trajectory[100]!;
    expect(Math.abs(x)).toBeLessThan(1e-8);
    expect(Math.hypot(...surfaces.saddle.gradient(x, y))).toBeLessThan(1e-8);
    expect(Math.abs(r.loss[100]!)).toBeLessThan(1e-16); // a critical point, though f is unbounded below
  });

  it('saddle: from (−2, 1e-3) Adam escapes in 20 steps while SGD is still at the axis', () => {
    const common = {
      fn: 'saddle',
      start: [-2, 1e-3] as [number, number],
      steps: 20,
      dtype: 'float64' as const,
    };
    const adam = runTrajectory({ ...common, optimizer: 'adam', options: { lr: 0.1 } });
    const sgd = runTrajectory({ ...common, optimizer: 'sgd', options: { lr: 0.1 } });
    // Adam normalizes the tiny ∂f/∂y = −2e-3 to a step of ≈ lr: y ≈ 2.0 and f ≈ −4.0 after 20 steps.
    expect(adam.trajectory[20]![1]).toBeGreaterThan(1.5);
    expect(adam.loss[20]).toBeLessThan(-3);
    // SGD multiplies y by 1.2 per step: 1e-3·1.2²⁰ ≈ 0.038, and f ≈ −1e-3 (next to the saddle's 0).
    expect(sgd.trajectory[20]![1]).toBeCloseTo(1e-3 * 1.2 ** 20, 12);
    expect(Math.abs(sgd.loss[20]!)).toBeLessThan(0.01);
  });

  describe('ill-conditioned quadratic 0.5·(x² + 25y²) from (−4, 1), 100 steps', () => {
    const run = (options: Record<string, unknown>) =>
      runTrajectory({ fn: 'quadratic', optimizer: 'sgd', options, steps: 100, dtype: 'float64' });
    const signChangesOfY = (path: [number, number][]): number =>
      path.slice(1).filter(([, y], i) => Math.sign(y) !== Math.sign(path[i]![1])).length;

    it('momentum and NAG zigzag less than plain gradient descent at the same effective step', () => {
      // Plain GD with lr 0.07 multiplies y by 1 − 25·0.07 = −0.75: y changes sign at every step.
      const gd = run({ lr: 0.07 });
      // Heavy ball and Nesterov with ρ = 0.9 and lr 0.007 (the same lr/(1 − ρ) = 0.07).
      const momentum = run({ lr: 0.007, momentum: 0.9 });
      const nag = run({ lr: 0.007, momentum: 0.9, nesterov: true });
      expect(signChangesOfY(gd.trajectory)).toBe(100);
      expect(signChangesOfY(momentum.trajectory)).toBeLessThanOrEqual(20);
      expect(signChangesOfY(nag.trajectory)).toBeLessThanOrEqual(20);
      // Nesterov's look-ahead damps the oscillation faster than heavy ball.
      for (const k of [20, 50, 100]) expect(nag.loss[k]!).toBeLessThan(momentum.loss[k]!);
    });

    it('at the same small lr momentum accelerates along the shallow x direction', () => {
      const gd = run({ lr: 0.01 });
      const momentum = run({ lr: 0.01, momentum: 0.9 });
      // GD contracts x by 0.99 per step: f ≈ 0.5·(4·0.99¹⁰⁰)² ≈ 1.07; momentum gets below 1e-4.
      expect(gd.loss[100]).toBeCloseTo(0.5 * (4 * 0.99 ** 100) ** 2, 6);
      expect(momentum.loss[100]).toBeLessThan(1e-4);
      expect(signChangesOfY(gd.trajectory)).toBe(0);
    });

    it("the course's look-ahead NAG converges like PyTorch's form", () => {
      const la = run({ lr: 0.007, momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' });
      expect(la.loss[100]).toBeLessThan(1e-3);
      expect(signChangesOfY(la.trajectory)).toBeLessThanOrEqual(20);
    });
  });
});
