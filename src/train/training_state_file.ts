/**
 * Training states as files (Node only, exported from `descent/node`): one safetensors file per state
 * (see `serializeTrainingState`), written atomically, so a crash during a save leaves the previous
 * checkpoint whole — what the CLI's `--resume` reads.
 *
 * @example
 * saveTrainingState('run/state.safetensors', ctx.trainingState());     // in a callback's onCheckpoint
 * fit(model, data, { …, resume: loadTrainingState('run/state.safetensors') });
 */
import { writeFileAtomic } from '../io/checkpoint.js';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import { parseTrainingState, serializeTrainingState, type TrainingState } from './training_state.js';

/** Writes `state` to `file` atomically (temporary file, fsync, rename). */
export function saveTrainingState(file: string, state: TrainingState): void {
  writeFileAtomic(file, serializeTrainingState(state));
}

/**
 * Reads a state written by `saveTrainingState`: only a regular file of at most 4 GiB (`readRegularFile`);
 * errors are `FormatError`s that name the file.
 */
export function loadTrainingState(file: string): TrainingState {
  const bytes = readRegularFile(file, { maxBytes: READ_LIMITS.safetensors, what: 'loadTrainingState' });
  return parseTrainingState(bytes, file);
}
