/**
 * Training runs from a configuration (browser-safe): what `descent train` runs and the lab's training
 * playground runs too — the configuration's schema and checks, the builders, the data of a run, the
 * epoch-at-a-time `TrainingSession`, and the records `descent train --json` prints.
 */
export { buildModel, buildOptimizer } from './build_model.js';
export { buildSchedule, parseSchedule, type RunSchedule } from './build_schedule.js';
export {
  ACTIVATIONS,
  ARCHS,
  BACKENDS,
  BUNDLED,
  CONFIG_KEYS,
  type ConfigKey,
  DEFAULTS,
  INITS,
  RUN_OPTIMIZERS,
  type RunConfig,
  SCHEDULES,
  SYNTHETIC,
} from './config_schema.js';
export {
  decodeFashionSubset,
  encodeFashionSubset,
  FASHION_CLASS_NAMES,
  type FashionSubsetOptions,
  fashionRunData,
  readFashionSubset,
} from './fashion_subset.js';
export { RUN_LIMITS } from './limits.js';
export {
  decodeMnistSubset,
  encodeMnistSubset,
  gunzip,
  type MnistSubsetOptions,
  mnistRunData,
  readMnistSubset,
} from './mnist_subset.js';
export {
  OPTIMIZER_OPTIONS,
  type OptimizerOptionKind,
  type OptimizerOptionName,
} from './optimizer_options.js';
export {
  type EpochRecord,
  epochRecord,
  type FinalRecord,
  type FinalSummary,
  finalRecord,
} from './records.js';
export { type KeyNamer, type ParseRunConfigOptions, parseRunConfig } from './run_config.js';
export {
  isSynthetic,
  prepareRunData,
  type RunData,
  type SplitUse,
  type SyntheticDataOptions,
  syntheticRunData,
  syntheticSplits,
  type TrainTestSplits,
} from './run_data.js';
export {
  type PlayOptions,
  type SessionData,
  TrainingSession,
  type TrainingSessionOptions,
} from './session.js';
