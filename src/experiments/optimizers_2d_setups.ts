/**
 * The `optimizers-2d` experiment's set-ups: the surfaces and optimizers it compares, and per surface
 * the start, the step budget, the goal, the plotted window and each optimizer's settings. Shared by
 * the computation (optimizers_2d.ts) and the presenter (optimizers_2d_present.ts).
 */
import type { OptimizerName } from '../optim/registry.js';
import type { Window } from '../report/contour.js';

export const SURFACES_2D = ['quadratic', 'rosenbrock', 'beale', 'saddle'] as const;
export type Surface2d = (typeof SURFACES_2D)[number];

export const OPTIMIZERS_2D = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'adadelta',
  'rmsprop',
  'adam',
  'nadam',
  'lion',
] as const;
export type Optimizer2d = (typeof OPTIMIZERS_2D)[number];

/** How one optimizer runs on one surface. */
export interface RunSpec2d {
  optimizer: OptimizerName;
  /** PyTorch-style options (see `createOptimizer`). */
  options: Record<string, number | boolean | string>;
  /** 'cosine': lr_k = lr·½(1 + cos(πk/steps)) before step k (Lion). Default constant. */
  schedule?: 'constant' | 'cosine';
}

/** What counts as reaching the goal on a surface. */
export type Goal2d = { kind: 'loss'; below: number } | { kind: 'escape'; above: number };

export interface SurfaceSetup2d {
  start: readonly [number, number];
  steps: number;
  goal: Goal2d;
  /** The plotted window and its contour levels. */
  window: Window;
  levels: readonly number[];
  runs: Record<Optimizer2d, RunSpec2d>;
}

const geometric = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, k) => lo * (hi / lo) ** (k / (n - 1)));
const evenly = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));

const sgd = (lr: number): RunSpec2d => ({ optimizer: 'sgd', options: { lr } });
const momentum = (lr: number, rho: number): RunSpec2d => ({
  optimizer: 'sgd',
  options: { lr, momentum: rho },
});
const nesterov = (lr: number, rho: number): RunSpec2d => ({
  optimizer: 'sgd',
  options: { lr, momentum: rho, nesterov: true, nesterovForm: 'lookahead' },
});
const adaptive = (optimizer: OptimizerName, options: Record<string, number>): RunSpec2d => ({
  optimizer,
  options,
});
const lion = (lr: number): RunSpec2d => ({ optimizer: 'lion', options: { lr }, schedule: 'cosine' });

/**
 * The set-ups, with the reasons for each learning rate:
 *
 * - quadratic (Hessian diag(1, 25)): SGD at 0.075, just under the stability limit 2/25, multiplies y
 *   by 1 − 25·0.075 = −0.875 per step (the zig-zag) and x by 0.925; momentum and Nesterov at lr 0.02,
 *   ρ 0.8 contract both axes by √0.8 ≈ 0.89 per step with a smooth swing; RMSprop and AdaDelta need
 *   eps 0.1 to settle (with the default eps they end in a limit cycle, see docs/OPTIMIZERS.md).
 * - Rosenbrock: the curvature at the start (≈ 1900) caps SGD at lr ≈ 1e-3; the heavy-ball methods at
 *   7e-4 (Nesterov's look-ahead diverges at 1.5e-3); the adaptive methods at rates that neither jump
 *   out of the window at the first steps nor stall.
 * - Beale: one rate 0.01 for the SGD family; the adaptive methods at their usual scales.
 * - saddle: SGD, momentum and Nesterov at 0.01, so that y grows by 1.02 per SGD step (1e-3 → 0.02 in
 *   150 steps: stalled) while momentum multiplies it by ≈ 1.11 once it arrives at the saddle; the
 *   adaptive methods normalize the tiny gradient in y and move by about their learning rate at once.
 */
export const SETUPS_2D: Record<Surface2d, SurfaceSetup2d> = {
  quadratic: {
    start: [-4, 1],
    steps: 150,
    goal: { kind: 'loss', below: 1e-4 },
    window: [-5, 5, -2, 2],
    levels: geometric(0.02, 40, 14),
    runs: {
      sgd: sgd(0.075),
      momentum: momentum(0.02, 0.8),
      nesterov: nesterov(0.02, 0.8),
      adagrad: adaptive('adagrad', { lr: 1 }),
      adadelta: adaptive('adadelta', { lr: 0.07, eps: 0.1 }),
      rmsprop: adaptive('rmsprop', { lr: 0.05, eps: 0.1 }),
      adam: adaptive('adam', { lr: 0.1 }),
      nadam: adaptive('nadam', { lr: 0.1 }),
      lion: lion(0.15),
    },
  },
  rosenbrock: {
    start: [-1.5, 2],
    steps: 1500,
    goal: { kind: 'loss', below: 1e-3 },
    window: [-2, 2, -1, 3],
    levels: geometric(0.5, 2000, 13),
    runs: {
      sgd: sgd(0.001),
      momentum: momentum(0.0007, 0.9),
      nesterov: nesterov(0.0007, 0.9),
      adagrad: adaptive('adagrad', { lr: 0.5 }),
      adadelta: adaptive('adadelta', { lr: 0.3 }),
      rmsprop: adaptive('rmsprop', { lr: 0.005 }),
      adam: adaptive('adam', { lr: 0.05 }),
      nadam: adaptive('nadam', { lr: 0.05 }),
      lion: lion(0.02),
    },
  },
  beale: {
    start: [1, 1],
    steps: 1000,
    goal: { kind: 'loss', below: 1e-3 },
    window: [-0.5, 4.5, -1.5, 2],
    levels: geometric(0.01, 100, 16),
    runs: {
      sgd: sgd(0.01),
      momentum: momentum(0.01, 0.9),
      nesterov: nesterov(0.01, 0.9),
      adagrad: adaptive('adagrad', { lr: 0.5 }),
      adadelta: adaptive('adadelta', { lr: 1 }),
      rmsprop: adaptive('rmsprop', { lr: 0.01 }),
      adam: adaptive('adam', { lr: 0.05 }),
      nadam: adaptive('nadam', { lr: 0.05 }),
      lion: lion(0.02),
    },
  },
  saddle: {
    start: [-2, 1e-3],
    steps: 150,
    goal: { kind: 'escape', above: 1 },
    window: [-2.5, 2.5, -2.5, 2.5],
    levels: evenly(-6, 6, 25),
    runs: {
      sgd: sgd(0.01),
      momentum: momentum(0.01, 0.9),
      nesterov: nesterov(0.01, 0.9),
      adagrad: adaptive('adagrad', { lr: 0.1 }),
      adadelta: adaptive('adadelta', { lr: 1 }),
      rmsprop: adaptive('rmsprop', { lr: 0.01 }),
      adam: adaptive('adam', { lr: 0.05 }),
      nadam: adaptive('nadam', { lr: 0.05 }),
      lion: lion(0.05),
    },
  },
};

export const OPTIMIZER_LABELS_2D: Record<Optimizer2d, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'AdaGrad',
  adadelta: 'AdaDelta',
  rmsprop: 'RMSProp',
  adam: 'Adam',
  nadam: 'NAdam',
  lion: 'Lion',
};
