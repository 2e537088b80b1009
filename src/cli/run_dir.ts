/**
 * The run directory of `descent train`: config.json, metrics.jsonl (one JSON line per epoch),
 * model.safetensors, state.safetensors (the full training state, for --resume), report.html,
 * summary.json (the final record, throughput included, of a run that ended well), and run.lock while a
 * run writes it.
 *
 * Opening it for a run, in this order: the path is checked and the directory created with clear
 * errors (`ensureRunDirectory`); the lock is taken (`acquireRunLock`: a second writer exits 2); the
 * temporary files that killed runs left behind are removed (under the lock, so none is a live
 * write); then, for a new run, a directory that already holds a checkpoint is refused unless
 * `--overwrite` was given (a finished run is never destroyed without being asked). How the
 * checkpoints are written and why in that order: `run_dir_writer.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeOrphanedTempFiles } from '../io/temp_files.js';
import { UsageError } from './exit_codes.js';
import { ensureRunDirectory } from './out_dir.js';
import type { RunConfig } from './run_config.js';
import {
  configText,
  guardedWrite,
  RUN_FILES,
  type RunDirWriter,
  runDirWriter,
  writeText,
} from './run_dir_writer.js';
import { acquireRunLock, LOCK_FILE, type RunLock } from './run_lock.js';

export { RUN_FILES, writeText } from './run_dir_writer.js';

/** A new run (refuses a directory with a checkpoint), a replacement (`--overwrite`) or `--resume`. */
export type RunDirMode = 'new' | 'overwrite' | 'resume';

interface RunDirSpec {
  dir: string;
  /** The flag that named the directory, for messages: `--out` or `--resume`. */
  flag: string;
  mode: RunDirMode;
  config: RunConfig;
  /** What each saved training state records for the next `--resume` to check (resume.ts). */
  stateContext?: Record<string, unknown>;
  /**
   * The directory's lock, when the caller took it earlier (a resume locks before it reads the state,
   * so no other process changes the run between the checks and the training); released by `close()`.
   */
  lock?: RunLock;
}

export interface OpenRunDir {
  readonly dir: string;
  /** The callback that checkpoints the run (pass it to `fit`). */
  readonly writer: RunDirWriter;
  /** The temporary files of killed runs that were removed. */
  readonly removedTempFiles: readonly string[];
  /** Writes report.html (a full disk or lost permissions: a `UsageError` naming the flag). */
  writeReport(html: string): void;
  /** Writes summary.json, the final record (its failures as `writeReport`'s). */
  writeSummary(record: object): void;
  /** Releases the lock; call it on every way out (it is safe to call twice). */
  close(): void;
}

/** Checks, creates and locks the run directory (see the module comment); the caller must `close()` it. */
export function openRunDir(spec: RunDirSpec): OpenRunDir {
  ensureRunDirectory(spec.dir, spec.flag);
  const lock = spec.lock ?? acquireRunLock({ dir: spec.dir, flag: spec.flag });
  try {
    const removedTempFiles = removeOrphanedTempFiles(spec.dir, {
      targets: Object.values(RUN_FILES),
      formerWriters: lock.previous === null ? [] : [lock.previous.pid],
    });
    // A stale lock taken over, or half-written run files removed, show that a descent run was here.
    const replacing = startRun(spec, lock.previous !== null || removedTempFiles.length > 0);
    const writer = runDirWriter({
      dir: spec.dir,
      flag: spec.flag,
      config: spec.config,
      resuming: spec.mode === 'resume',
      replacing,
      ...(spec.stateContext ? { stateContext: spec.stateContext } : {}),
    });
    const writeFinal = (name: 'report' | 'summary', text: string) =>
      guardedWrite(
        spec,
        name,
        () => writeText(path.join(spec.dir, RUN_FILES[name]), text),
        writer.lastCheckpoint,
      );
    return {
      dir: spec.dir,
      writer,
      removedTempFiles,
      writeReport: (html) => writeFinal('report', html),
      writeSummary: (record) => writeFinal('summary', `${JSON.stringify(record, null, 2)}\n`),
      close: () => lock.release(),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Prepares the files of a new run; returns whether an earlier run stays until the first checkpoint. */
function startRun(spec: RunDirSpec, leftByRun: boolean): boolean {
  if (spec.mode === 'resume') return false;
  refuseForeignFiles(spec, leftByRun);
  const checkpoint = existingCheckpoint(spec.dir);
  if (checkpoint !== null && spec.mode === 'new') {
    throw new UsageError(
      `${spec.flag} ${spec.dir}: already holds a run (${checkpoint}); use --resume ${spec.dir} to continue it, or --overwrite to replace it (the old run is kept until the new one's first checkpoint)`,
    );
  }
  if (checkpoint !== null) return true;
  // A run that never reached a checkpoint left nothing worth keeping: its config is replaced.
  for (const [name, text] of [
    ['config', configText(spec.config)],
    ['metrics', ''],
  ] as const) {
    guardedWrite(spec, name, () => writeText(path.join(spec.dir, RUN_FILES[name]), text), null);
  }
  return false;
}

/** A description of the checkpoint in `dir` (weights or a training state), or null when there is none. */
function existingCheckpoint(dir: string): string | null {
  for (const name of [RUN_FILES.state, RUN_FILES.model]) {
    const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat !== undefined) return `${name} from ${stat.mtime.toISOString().slice(0, 19).replace('T', ' ')}`;
  }
  return null;
}

/** Files a run writes beyond config.json and report.html: one of them marks a directory as a run's. */
const RUN_MARKERS: readonly string[] = [RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.state];

/**
 * A new run writes into an empty directory (dot-files aside) or one that holds a descent run: its
 * files only, with metrics.jsonl or a checkpoint among them, or left by a run killed before its first
 * metrics line (`leftByRun`: its stale lock or temporary files were found); config.json and
 * report.html alone may be the user's own, which the run would replace. Anything else is refused,
 * naming what is in the way.
 */
function refuseForeignFiles(spec: RunDirSpec, leftByRun: boolean): void {
  const ours = new Set<string>([...Object.values(RUN_FILES), LOCK_FILE]);
  const names = fs.readdirSync(spec.dir).filter((n) => !n.startsWith('.') && n !== LOCK_FILE);
  const foreign = names.filter((n) => !ours.has(n));
  const isRun = leftByRun || names.some((n) => RUN_MARKERS.includes(n));
  if (foreign.length === 0 && (isRun || names.length === 0)) return;
  const inWay = (foreign.length > 0 ? foreign : names).sort();
  const shown = inWay.slice(0, 5).join(', ') + (inWay.length > 5 ? `, … (${inWay.length} in all)` : '');
  throw new UsageError(
    `${spec.flag} ${spec.dir}: is not empty and holds no descent run (${shown} would be ${foreign.length > 0 ? 'mixed with' : 'replaced by'} the run's files); choose a new or empty directory`,
  );
}
