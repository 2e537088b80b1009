/**
 * Training states as files (Node only, exported from `descent/node`): one safetensors file per state
 * (see `serializeTrainingState`), written atomically, so a crash during a save leaves the previous
 * checkpoint whole — what the CLI's `--resume` reads.
 *
 * @example
 * saveTrainingState('run/state.safetensors', ctx.trainingState());     // in a callback's onCheckpoint
 * fit(model, data, { …, resume: loadTrainingState('run/state.safetensors') });
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../io/checkpoint.js';
import { parseTrainingState, serializeTrainingState, type TrainingState } from './training_state.js';

/** Writes `state` to `file` atomically (temporary file, fsync, rename). */
export function saveTrainingState(file: string, state: TrainingState): void {
  writeFileAtomic(file, serializeTrainingState(state));
}

/** Reads a state written by `saveTrainingState`; errors name the file. */
export function loadTrainingState(file: string): TrainingState {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new Error(`loadTrainingState: cannot read ${file}: ${(error as Error).message}`);
  }
  return parseTrainingState(bytes, file);
}
