/**
 * The callback that checkpoints a run directory after every epoch (Node only).
 *
 * The training state (`state.safetensors`) is the run's truth: it holds the weights, the optimizer,
 * the schedule, the random state and the history. `model.safetensors` and `metrics.jsonl` are derived
 * from it, and `config.json` is written once, before the first state. Each file is replaced
 * atomically, in this order:
 *
 *   state.safetensors  →  model.safetensors  →  metrics.jsonl
 *
 * so a kill at any point leaves a state that resumes exactly, with derived files at most one epoch
 * behind it; a resume rewrites both from the state before training, and `config.json` with the
 * resumed run's settings (`onTrainBegin`, which `fit` calls
 * only once the state has been restored, so a resume that fails its checks writes nothing). The
 * metrics are written from the history the state carries, never by parsing the previous file, so a
 * damaged `metrics.jsonl` is repaired rather than fatal.
 *
 * With `--overwrite` an earlier run stays whole until this run's first checkpoint, which first
 * removes the old files (the old state first: from then on the directory holds no resumable run until
 * the new state lands), then writes `config.json` and the checkpoint. A run that diverges or dies in
 * its first epoch therefore leaves the earlier run untouched.
 *
 * An epoch in which training diverged is not checkpointed (`fit` does not call `onCheckpoint` then),
 * so the directory keeps the last good epoch: `lastCheckpoint`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { saveModel, writeFileAtomic } from '../io/checkpoint.js';
import type { Callback } from '../train/callbacks/callback.js';
import type { History } from '../train/history.js';
import { saveTrainingState } from '../train/training_state_file.js';
import { UsageError } from './exit_codes.js';
import { explainFsError } from './out_dir.js';
import type { RunConfig } from './run_config.js';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  model: 'model.safetensors',
  state: 'state.safetensors',
  report: 'report.html',
  /** The final record of a run that ended well (`descent train --json`'s last line), throughput included. */
  summary: 'summary.json',
} as const;

type RunFile = keyof typeof RUN_FILES;

export function writeText(file: string, text: string): void {
  writeFileAtomic(file, new TextEncoder().encode(text));
}

interface RunDirWriterSpec {
  dir: string;
  /** The flag that named the directory, for messages. */
  flag: string;
  config: RunConfig;
  /** A resumed run: repair the derived files from the restored state before training. */
  resuming: boolean;
  /** An earlier run is in the directory and is replaced at the first checkpoint (`--overwrite`). */
  replacing: boolean;
  /** Stored in every training state (`TrainingState.context`) for the next `--resume` to check. */
  stateContext?: Record<string, unknown>;
}

export interface RunDirWriter extends Callback {
  /** The epoch of the newest checkpoint in the directory that belongs to this run, or null. */
  readonly lastCheckpoint: number | null;
  /** Whether the earlier run is still in the directory (`--overwrite` before the first checkpoint). */
  readonly replacing: boolean;
  /** Whether `fit` has begun training (called `onTrainBegin`: a resumed state was restored by then). */
  readonly began: boolean;
}

export function runDirWriter(spec: RunDirWriterSpec): RunDirWriter {
  let lastCheckpoint: number | null = null;
  let replacing = spec.replacing;
  let began = false;
  const write = (name: RunFile, what: () => void) => guardedWrite(spec, name, what, lastCheckpoint);
  const target = (name: RunFile) => path.join(spec.dir, RUN_FILES[name]);
  return {
    get lastCheckpoint() {
      return lastCheckpoint;
    },
    get replacing() {
      return replacing;
    },
    get began() {
      return began;
    },
    onTrainBegin(ctx) {
      began = true;
      if (!spec.resuming) return;
      lastCheckpoint = ctx.epoch;
      // The resumed run's settings (a new --epochs, --backend, --threads, --lang), so that the next
      // plain --resume continues with them; written only now that the state has been restored.
      write('config', () => writeText(target('config'), configText(spec.config)));
      write('model', () => saveModel(target('model'), ctx.model));
      write('metrics', () => writeText(target('metrics'), metricsText(ctx.history)));
    },
    onCheckpoint(epoch, _logs, ctx) {
      if (replacing) {
        write('state', () => removeRunFiles(spec.dir));
        write('config', () => writeText(target('config'), configText(spec.config)));
        replacing = false;
      }
      const state = { ...ctx.trainingState(), context: spec.stateContext ?? null };
      write('state', () => saveTrainingState(target('state'), state));
      lastCheckpoint = epoch;
      write('model', () => saveModel(target('model'), ctx.model));
      write('metrics', () => writeText(target('metrics'), metricsText(ctx.history)));
    },
  };
}

export function configText(config: RunConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Removes a run's files, the state first (it is what makes the directory resumable). */
function removeRunFiles(dir: string): void {
  for (const name of ['state', 'model', 'metrics', 'report', 'summary', 'config'] as const) {
    fs.rmSync(path.join(dir, RUN_FILES[name]), { force: true });
  }
}

/** One JSON line per epoch of the history; NaN and ±Infinity as strings (JSON has no such numbers). */
function metricsText(history: History): string {
  const lines = history.epochs.map((logs) => {
    const { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec, seconds } = logs;
    const line = { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec, seconds };
    return JSON.stringify(line, (_k, v) => (typeof v !== 'number' || Number.isFinite(v) ? v : String(v)));
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Runs `what`, which writes the run file `name`. A failure with a system cause (a full disk,
 * permissions) is the user's to fix, so it becomes a `UsageError` (exit 2) naming the flag, the file,
 * the cause and which checkpoint (`kept`) is intact; other errors pass unchanged.
 */
export function guardedWrite(
  where: { dir: string; flag: string },
  name: RunFile,
  what: () => void,
  kept: number | null,
): void {
  const checkpoint =
    kept === null
      ? 'no checkpoint of this run was complete yet'
      : `the checkpoint of epoch ${kept} is complete (continue with --resume ${where.dir})`;
  guardedFileWrite(where, RUN_FILES[name], what, checkpoint);
}

/**
 * `guardedWrite` for any file of an output directory (`descent experiment` writes results.json and
 * figures): a system failure becomes a `UsageError` naming the flag, `file`, the cause, and `intact`
 * (what the directory still holds, for the user to judge).
 */
export function guardedFileWrite(
  where: { dir: string; flag: string },
  file: string,
  what: () => void,
  intact: string,
): void {
  try {
    what();
  } catch (error) {
    const failure = writeFailure(where, file, error, intact);
    throw failure ?? error;
  }
}

/** The `UsageError` for a write of `file` that failed with a system cause, or null for any other error. */
export function writeFailure(
  where: { dir: string; flag: string },
  file: string,
  error: unknown,
  intact: string,
): UsageError | null {
  const e = error as NodeJS.ErrnoException;
  const code = e?.code ?? (e?.cause as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return null;
  return new UsageError(
    `${where.flag} ${where.dir}: could not write ${file}: ${explainFsError(error, where.dir)}; ${intact}`,
  );
}
