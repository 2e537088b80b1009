/** The Node-only part of src/train: checkpoint files (exported from `descent/node`). */
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/checkpoint.js';
export { loadTrainingState, saveTrainingState } from './training_state_file.js';
