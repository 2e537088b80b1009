/**
 * Every knob of the learning-rate panel, as it lives in the URL (`#/lr?lr=0.01&fn=quadratic…`), and
 * the checks that decide whether a job may run with them (bad values get a notice, never a job).
 */

export const LR_DEFAULTS = {
  /** η, shared by the surface, the network and the schedules (the base rate). */
  lr: 0.01,
  fn: 'quadratic',
  condition: 25,
  /** The surface's optimizer (plain SGD shows the lecture's picture: too high ⇒ it blows up). */
  optimizer: 'sgd',
  /** The network's and the range test's optimizer. */
  netOptimizer: 'adam',
  steps: 60,
  epochs: 12,
  seed: 0,
  startLr: 1e-6,
  endLr: 10,
  sweepSteps: 100,
  scheduleSteps: 100,
  stepSize: 30,
  gamma: 0.1,
  warmupSteps: 10,
  pctStart: 0.3,
};

export type LrState = typeof LR_DEFAULTS;

/** The slider's five decades; the text field accepts any positive rate. */
export const LR_MIN = 1e-4;
export const LR_MAX = 10;

export const SURFACES = ['quadratic', 'rosenbrock', 'beale', 'himmelblau', 'saddle', 'monkey-saddle'];
/** Optimizers whose learning rate the panel moves (the lecture's SGD and adaptive ones). */
export const LR_OPTIMIZERS = ['sgd', 'adagrad', 'rmsprop', 'adam', 'nadam', 'lion'];

export function lrIsValid(lr: number): boolean {
  return Number.isFinite(lr) && lr > 0;
}

/** Which settings are out of range (keys of LrState); the panel names them in its notice. */
export function invalidKeys(s: LrState): (keyof LrState)[] {
  const bad: (keyof LrState)[] = [];
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  if (!lrIsValid(s.lr)) bad.push('lr');
  if (!SURFACES.includes(s.fn)) bad.push('fn');
  if (!LR_OPTIMIZERS.includes(s.optimizer)) bad.push('optimizer');
  if (!LR_OPTIMIZERS.includes(s.netOptimizer)) bad.push('netOptimizer');
  if (!(Number.isFinite(s.condition) && s.condition >= 1)) bad.push('condition');
  if (!(Number.isInteger(s.steps) && s.steps >= 0 && s.steps <= 2000)) bad.push('steps');
  if (!(positiveInt(s.epochs) && s.epochs <= 100)) bad.push('epochs');
  if (!Number.isSafeInteger(s.seed)) bad.push('seed');
  if (!(s.startLr > 0 && s.endLr > s.startLr && s.endLr <= 1e3)) bad.push('startLr', 'endLr');
  if (!(Number.isInteger(s.sweepSteps) && s.sweepSteps >= 2 && s.sweepSteps <= 1000)) bad.push('sweepSteps');
  if (!(positiveInt(s.scheduleSteps) && s.scheduleSteps >= 2 && s.scheduleSteps <= 10000))
    bad.push('scheduleSteps');
  if (!positiveInt(s.stepSize)) bad.push('stepSize');
  if (!(s.gamma > 0 && s.gamma <= 1)) bad.push('gamma');
  if (!(positiveInt(s.warmupSteps) && s.warmupSteps < s.scheduleSteps)) bad.push('warmupSteps');
  if (!(s.pctStart > 0 && s.pctStart < 1)) bad.push('pctStart');
  return bad;
}
