/**
 * The Node-only part of src/train: checkpoint files, and the file-writing CsvLogger and
 * TensorBoardLogger (exported from `descent/node`, where they replace the browser-safe ones of the
 * same name, which take only a `write` sink).
 */
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/checkpoint.js';
export { type CsvFileLoggerOptions, CsvLogger } from './callbacks/csv_logger_file.js';
export { type TensorBoardFileLoggerOptions, TensorBoardLogger } from './callbacks/tensorboard_file.js';
export { loadTrainingState, saveTrainingState } from './training_state_file.js';
