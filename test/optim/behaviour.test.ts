/**
 * Behaviour, not echoes: every optimizer in OPTIMIZER_NAMES reaches a loss threshold on the
 * ill-conditioned quadratic and on Rosenbrock within a documented step budget, in float64 on the
 * reference backend (the surface's analytic value at the final point is what is asserted).
 *
 * ## Convergence budgets (copy of the two tables below, for the docs)
 *
 * Quadratic 0.5·(x² + 25·y²) from (−4, 1); threshold f < 1e-4:
 *
 * | optimizer | options                               | steps | below 1e-4 from step | f at the budget |
 * |-----------|---------------------------------------|-------|----------------------|-----------------|
 * | sgd       | lr 0.07                               |   150 |                   78 |          2.8e-9 |
 * | adagrad   | lr 1                                  |   100 |                   33 |         2.6e-14 |
 * | rmsprop   | lr 0.01, eps 0.1 (¹)                  |   900 |                  627 |         1.0e-13 |
 * | adadelta  | lr 0.07, eps 0.1 (²)                  |   250 |                  138 |         7.8e-12 |
 * | adam      | lr 0.1                                |   200 |                  108 |          9.6e-9 |
 * | adamw     | lr 0.1 (weightDecay 0.01)             |   200 |                  107 |          1.1e-8 |
 * | adamax    | lr 0.3                                |   200 |                  101 |          5.1e-9 |
 * | nadam     | lr 0.1                                |   200 |                   92 |         1.0e-10 |
 * | radam     | lr 0.1                                |   400 |                  257 |         5.5e-12 |
 * | lion      | lr 0.008, cosine decay to 0 (³)       |  1500 |                  977 |         6.5e-13 |
 * | lamb      | lr 0.1                                |   200 |                   80 |         1.3e-11 |
 * | qhm       | lr 0.05, momentum 0.9                 |   150 |                  100 |          8.2e-8 |
 * | qhadam    | lr 0.1                                |   600 |                  323 |         7.2e-10 |
 * | aggmo     | lr 0.03                               |   300 |                  171 |          3.8e-8 |
 * | demon     | lr 0.05, totalSteps 200               |   200 |                   90 |         4.2e-18 |
 *
 * Rosenbrock (1 − x)² + 100·(y − x²)² from (−1.5, 2); threshold f < 1e-3:
 *
 * | optimizer | options                               | steps | below 1e-3 from step | f at the budget |
 * |-----------|---------------------------------------|-------|----------------------|-----------------|
 * | sgd       | lr 0.0015, momentum 0.9               |   800 |                  384 |          4.5e-6 |
 * | adagrad   | lr 1.5                                |  4500 |                 3497 |          2.6e-4 |
 * | rmsprop   | lr 0.0003, momentum 0.9               |  2500 |                 1710 |          4.8e-6 |
 * | adadelta  | lr 0.03, rho 0.3 (⁴)                  |  5500 |                 4341 |          2.3e-4 |
 * | adam      | lr 0.02 (⁵)                           |  2500 |                 1564 |          6.9e-8 |
 * | adamw     | lr 0.01 (weightDecay 0.01) (⁵)        |  4500 |                 2762 |          8.7e-5 |
 * | adamax    | lr 0.1 (⁵)                            |  2800 |                 1903 |          7.3e-9 |
 * | nadam     | lr 0.005, momentumDecay 0.01 (⁵)      |  4600 |                 3755 |          1.1e-5 |
 * | radam     | lr 0.01 (⁶)                           |  6500 |                 5180 |          4.7e-6 |
 * | lion      | lr 0.003, cosine decay to 0 (³)       |  2500 |                 1813 |          2.4e-6 |
 * | lamb      | lr 0.02, cosine decay to 0 (⁷)        |  2500 |                 2233 |         7.5e-11 |
 * | qhm       | lr 0.01, momentum 0.9, nu 0.9 (⁸)     |  1100 |                  557 |          1.0e-5 |
 * | qhadam    | lr 0.01, nus [0.7, 0.7]               |  2200 |                 1576 |          4.0e-4 |
 * | aggmo     | lr 0.001                              |  1200 |                  693 |          4.3e-6 |
 * | demon     | lr 0.002, totalSteps 1000             |  1000 |                  157 |          1.1e-6 |
 *
 * Options not listed take the optimizer's defaults. "Below from step" is the step from which the loss
 * stays below the threshold up to the budget, and "f at the budget" the value reached, in our runs
 * (documentation, not asserted: the test asserts f < threshold at the budget).
 *
 * (¹) With its default eps 1e-8, RMSprop at a constant lr does not settle: as s forgets the large early
 *     gradients, the effective step lr/√s grows past the stability limit 2/25 and the iterate enters a
 *     limit cycle (loss ≈ 3e-4 at lr 0.01). eps 0.1 caps the effective step at lr/eps.
 * (²) Near a minimum AdaDelta's ratio √(a + ε)/√(s + ε) tends to 1, so it becomes gradient descent with
 *     step lr, which is unstable on this surface for lr > 2/25: the default lr 1 ends in a limit cycle
 *     (loss 5e-3 after 2000 steps, 1e-2 after 4000).
 * (³) Lion moves every coordinate by exactly lr, so at a constant lr it ends in a cycle of size lr
 *     around the minimum (see the bound asserted below); a decaying schedule, as the paper uses,
 *     converges. The schedule is lr_k = lr·½(1 + cos(πk/steps)), set through `optimizer.lr` before
 *     step k.
 * (⁴) The best AdaDelta setting found (a grid over lr, rho and eps): with the defaults (lr 1, rho 0.9)
 *     the loss is still ≈ 0.6 after 10000 steps; with lr 0.03, rho 0.3 it crosses 1e-3 at step 4341
 *     and stays between 2e-4 and 1e-3 up to step 8000 at least, without ever reaching 1e-4.
 * (⁵) The Adam family at a constant lr leaves the minimum again later in float64 (above 1e-3 again
 *     from step 5257 for Adam lr 0.02, 6729 for AdamW lr 0.01, 3811 for Adamax lr 0.1, 6324 for the
 *     NAdam row): the same vanishing-second-moment instability as (¹). The budgets sit inside the
 *     window.
 * (⁶) RAdam takes plain momentum steps η·m̂ for its first steps (ρ_t ≤ 5), which diverge here for
 *     lr ≥ 0.015 (the gradient at the start is ≈ 155).
 * (⁷) LAMB's step has norm lr·‖θ‖ (the trust ratio), so at a constant lr it never settles at (1, 1),
 *     and at small lr it stalls where the valley passes the origin (lr 0.001: loss 1.0 after 10000
 *     steps). With cosine decay it converges.
 * (⁸) With the default ν = 0.7 the plain-gradient part (1 − ν)·lr·g is too large a step for the
 *     valley at lr 0.01 (it diverges); at lr 0.003, ν = 0.7 it needs 2361 steps.
 */
import { describe, expect, it } from 'vitest';
import {
  createOptimizer,
  getSurface,
  OPTIMIZER_NAMES,
  type OptimizerName,
  runTrajectory,
  scope,
  tensor,
} from '../../src/index.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only (budgets and hand-worked values in float64).
useReferenceBackend();

interface Budget {
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  steps: number;
  /** 'cosine': lr_k = lr·½(1 + cos(πk/steps)) set before step k; otherwise the lr is constant. */
  schedule?: 'cosine';
}

const QUADRATIC: Budget[] = [
  { optimizer: 'sgd', options: { lr: 0.07 }, steps: 150 },
  { optimizer: 'adagrad', options: { lr: 1 }, steps: 100 },
  { optimizer: 'rmsprop', options: { lr: 0.01, eps: 0.1 }, steps: 900 },
  { optimizer: 'adadelta', options: { lr: 0.07, eps: 0.1 }, steps: 250 },
  { optimizer: 'adam', options: { lr: 0.1 }, steps: 200 },
  { optimizer: 'adamw', options: { lr: 0.1 }, steps: 200 },
  { optimizer: 'adamax', options: { lr: 0.3 }, steps: 200 },
  { optimizer: 'nadam', options: { lr: 0.1 }, steps: 200 },
  { optimizer: 'radam', options: { lr: 0.1 }, steps: 400 },
  { optimizer: 'lion', options: { lr: 0.008 }, steps: 1500, schedule: 'cosine' },
  { optimizer: 'lamb', options: { lr: 0.1 }, steps: 200 },
  { optimizer: 'qhm', options: { lr: 0.05, momentum: 0.9 }, steps: 150 },
  { optimizer: 'qhadam', options: { lr: 0.1 }, steps: 600 },
  { optimizer: 'aggmo', options: { lr: 0.03 }, steps: 300 },
  { optimizer: 'demon', options: { lr: 0.05, totalSteps: 200 }, steps: 200 },
];

const ROSENBROCK: Budget[] = [
  { optimizer: 'sgd', options: { lr: 0.0015, momentum: 0.9 }, steps: 800 },
  { optimizer: 'adagrad', options: { lr: 1.5 }, steps: 4500 },
  { optimizer: 'rmsprop', options: { lr: 0.0003, momentum: 0.9 }, steps: 2500 },
  { optimizer: 'adadelta', options: { lr: 0.03, rho: 0.3 }, steps: 5500 },
  { optimizer: 'adam', options: { lr: 0.02 }, steps: 2500 },
  { optimizer: 'adamw', options: { lr: 0.01 }, steps: 4500 },
  { optimizer: 'adamax', options: { lr: 0.1 }, steps: 2800 },
  { optimizer: 'nadam', options: { lr: 0.005, momentumDecay: 0.01 }, steps: 4600 },
  { optimizer: 'radam', options: { lr: 0.01 }, steps: 6500 },
  { optimizer: 'lion', options: { lr: 0.003 }, steps: 2500, schedule: 'cosine' },
  { optimizer: 'lamb', options: { lr: 0.02 }, steps: 2500, schedule: 'cosine' },
  { optimizer: 'qhm', options: { lr: 0.01, momentum: 0.9, nu: 0.9 }, steps: 1100 },
  { optimizer: 'qhadam', options: { lr: 0.01, nus: [0.7, 0.7] }, steps: 2200 },
  { optimizer: 'aggmo', options: { lr: 0.001 }, steps: 1200 },
  { optimizer: 'demon', options: { lr: 0.002, totalSteps: 1000 }, steps: 1000 },
];

const CASES = [
  { fn: 'quadratic', start: [-4, 1] as [number, number], threshold: 1e-4, table: QUADRATIC },
  { fn: 'rosenbrock', start: [-1.5, 2] as [number, number], threshold: 1e-3, table: ROSENBROCK },
];

/** The surface's value after `row.steps` steps (and the whole loss curve for constant-lr rows). */
function finalLoss(fn: string, start: [number, number], row: Budget): number {
  const surface = getSurface(fn);
  if (row.schedule === undefined) {
    const r = runTrajectory({
      fn,
      optimizer: row.optimizer,
      options: row.options,
      start,
      steps: row.steps,
      dtype: 'float64',
    });
    const [x, y] = r.trajectory[row.steps]!;
    return surface.value(x, y);
  }
  const theta = tensor(start, { dtype: 'float64', requiresGrad: true });
  const opt = createOptimizer(row.optimizer, [theta], row.options);
  const lr0 = opt.lr;
  for (let k = 0; k < row.steps; k++) {
    opt.lr = lr0 * 0.5 * (1 + Math.cos((Math.PI * k) / row.steps));
    scope(() => {
      opt.step(() => {
        theta.zeroGrad();
        const loss = surface.loss(theta);
        loss.backward();
        return loss;
      });
    });
  }
  const [x, y] = theta.data();
  return surface.value(x!, y!);
}

describe('convergence within the documented step budget (float64)', () => {
  for (const { fn, start, threshold, table } of CASES) {
    describe(`${fn} from (${start.join(', ')}) to f < ${threshold}`, () => {
      it('the table covers every optimizer in OPTIMIZER_NAMES exactly once', () => {
        expect(table.map((r) => r.optimizer).sort()).toEqual([...OPTIMIZER_NAMES].sort());
      });

      for (const row of table) {
        const label = `${row.optimizer} ${JSON.stringify(row.options)}${row.schedule ? ' cosine' : ''} in ${row.steps} steps`;
        it(label, () => {
          const surface = getSurface(fn);
          expect(surface.value(...start)).toBeGreaterThan(threshold * 1000);
          const loss = finalLoss(fn, start, row);
          expect(Number.isFinite(loss)).toBe(true);
          expect(loss).toBeLessThan(threshold);
        });
      }
    });
  }
});

describe('documented limits at a constant learning rate', () => {
  it('Lion on the quadratic ends in a cycle of size lr: 1e-4 < f ≤ 0.5·(1 + 25)·lr² over the last 500 steps', () => {
    // Every coordinate moves by exactly ±lr, so after the approach x and y hop on a grid of spacing lr
    // around 0: the loss stays below 13·lr² but never settles, unlike the cosine row of the table.
    const lr = 0.008;
    const r = runTrajectory({
      fn: 'quadratic',
      optimizer: 'lion',
      options: { lr },
      start: [-4, 1],
      steps: 1500,
      dtype: 'float64',
    });
    const tail = r.loss.slice(-500);
    expect(Math.max(...tail)).toBeLessThanOrEqual(13 * lr * lr * (1 + 1e-9));
    expect(Math.max(...tail)).toBeGreaterThan(1e-4);
    for (const [x, y] of r.trajectory.slice(-500)) {
      expect(Math.abs(x)).toBeLessThanOrEqual(lr * (1 + 1e-9));
      expect(Math.abs(y)).toBeLessThanOrEqual(lr * (1 + 1e-9));
    }
  });

  it('LAMB on Rosenbrock at constant lr 0.02 keeps moving: the loss stays above 1e-3 over steps 2000–2500', () => {
    // Its step has norm lr·‖θ‖ ≈ 0.028 near (1, 1), too large for the narrow valley; compare the cosine
    // row of the table, which reaches 1e-3 with the same peak lr and budget.
    const r = runTrajectory({
      fn: 'rosenbrock',
      optimizer: 'lamb',
      options: { lr: 0.02 },
      start: [-1.5, 2],
      steps: 2500,
      dtype: 'float64',
    });
    const tail = r.loss.slice(-500);
    expect(Math.min(...tail)).toBeGreaterThan(1e-3);
    expect(Math.max(...tail)).toBeLessThan(5);
    // …while each step has exactly the norm lr·‖θ‖ of the point it started from.
    for (let k = 2400; k < 2500; k++) {
      const [x0, y0] = r.trajectory[k]!;
      const [x1, y1] = r.trajectory[k + 1]!;
      expect(Math.hypot(x1 - x0, y1 - y0)).toBeCloseTo(0.02 * Math.hypot(x0, y0), 12);
    }
  });
});
