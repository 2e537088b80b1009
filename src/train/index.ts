/** Training: fit / evaluate / predict, callbacks, metrics, the lr range test, layer statistics, training states. */
export type { Callback, TrainContext } from './callbacks/callback.js';
export { CsvLogger, type CsvLoggerOptions } from './callbacks/csv_logger.js';
export { DivergenceGuard, type DivergenceGuardOptions } from './callbacks/divergence_guard.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early_stopping.js';
export { PlateauDetector, type PlateauDetectorOptions } from './callbacks/plateau_detector.js';
export {
  ReduceLROnPlateauCallback,
  type ReduceLROnPlateauCallbackOptions,
} from './callbacks/reduce_lr_on_plateau.js';
export { TensorBoardLogger, type TensorBoardLoggerOptions } from './callbacks/tensorboard.js';
export { FitLoop } from './fit_loop.js';
export { History, type HistoryJSON } from './history.js';
export { type Histogram, type LayerStats, type LayerStatsOptions, layerStats } from './layer_stats.js';
export { type LrFindOptions, type LrFindResult, lrFind } from './lr_finder.js';
export { accuracy, LOSS_NAMES, type Metric, type MetricSpec } from './metrics.js';
export { withMode } from './mode.js';
export {
  type EvaluateOptions,
  type EvaluateResult,
  evaluate,
  evaluateAsync,
  type FitOptions,
  fit,
  fitAsync,
  formatEpoch,
  type PredictOptions,
  predict,
  type RegularizationOptions,
  type Schedule,
} from './trainer.js';
export {
  captureTrainingState,
  parseTrainingState,
  restoreTrainingState,
  type SavedTensor,
  serializeTrainingState,
  TRAINING_STATE_FORMAT,
  type TrainingParts,
  type TrainingState,
} from './training_state.js';
export type {
  Batch,
  BatchSource,
  EpochLogs,
  LossFn,
  LossName,
  LossSpec,
  ProgressEvent,
  StepLogs,
  TensorData,
  TrainData,
  TrainingWarning,
  WarningKind,
} from './types.js';
