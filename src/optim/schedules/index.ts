/** Learning-rate schedules with PyTorch 1.13's `torch.optim.lr_scheduler` semantics and values. */
export { ChainedScheduler } from './chained_scheduler.js';
export { ConstantLR, type ConstantLROptions } from './constant_lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine_annealing_lr.js';
export {
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
} from './cosine_annealing_warm_restarts.js';
export {
  type CurveRun,
  lrCurve,
  type ScheduleCurve,
  type ScheduleCurveOptions,
  scheduleCurve,
} from './curve.js';
export { CyclicLR, type CyclicLROptions, type CyclicMode } from './cyclic_lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential_lr.js';
export { FixedLR, type FixedLROptions } from './fixed_lr.js';
export { LambdaLR, type LambdaLROptions } from './lambda_lr.js';
export { LinearLR, type LinearLROptions } from './linear_lr.js';
export type { LrLambda } from './lr_lambda.js';
export { MultiStepLR, type MultiStepLROptions } from './multi_step_lr.js';
export { MultiplicativeLR, type MultiplicativeLROptions } from './multiplicative_lr.js';
export { OneCycleLR, type OneCycleLROptions } from './one_cycle_lr.js';
export { PolynomialLR, type PolynomialLROptions } from './polynomial_lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce_lr_on_plateau.js';
export {
  LrScheduler,
  type SchedulableGroup,
  type SchedulableOptimizer,
  type SchedulerState,
} from './scheduler.js';
export { SequentialLR, type SequentialLROptions } from './sequential_lr.js';
export {
  createScheduler,
  type LrScheduleSpec,
  type LrValuesOptions,
  lrAt,
  lrValues,
  type ScheduleSpec,
  scheduleNames,
} from './spec.js';
export { StepLR, type StepLROptions } from './step_lr.js';
export { type WarmupOptions, withWarmup } from './warmup.js';
