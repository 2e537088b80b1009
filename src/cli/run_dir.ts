/**
 * The run directory: config.json, metrics.jsonl (one JSON line per epoch), model.safetensors,
 * state.safetensors (the full training state, for --resume) and report.html. Files are replaced
 * atomically, so an interrupted run always leaves the last complete checkpoint loadable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { saveModel, writeFileAtomic } from '../io/checkpoint.js';
import type { Callback } from '../train/callbacks/callback.js';
import { saveTrainingState } from '../train/training_state_file.js';
import type { RunConfig } from './run_config.js';

export function writeText(file: string, text: string): void {
  writeFileAtomic(file, new TextEncoder().encode(text));
}

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  model: 'model.safetensors',
  state: 'state.safetensors',
  report: 'report.html',
} as const;

export function prepareRunDir(dir: string, config: RunConfig, resuming: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  if (!resuming) {
    writeText(path.join(dir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
    writeText(path.join(dir, RUN_FILES.metrics), '');
  }
}

/** A callback that checkpoints the run after every epoch. */
export function runDirWriter(dir: string): Callback {
  return {
    onCheckpoint(_epoch, logs, ctx) {
      saveModel(path.join(dir, RUN_FILES.model), ctx.model);
      saveTrainingState(path.join(dir, RUN_FILES.state), ctx.trainingState());
      const { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec, seconds } = logs;
      const line = { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec, seconds };
      // metrics.jsonl is rewritten in full (atomically) so that it always matches the saved state.
      const file = path.join(dir, RUN_FILES.metrics);
      const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
      const kept = previous.filter((l) => (JSON.parse(l) as { epoch: number }).epoch < epoch);
      writeText(
        file,
        `${[...kept, JSON.stringify(line, (_k, v) => (Number.isFinite(v) || typeof v !== 'number' ? v : String(v)))].join('\n')}\n`,
      );
    },
  };
}
