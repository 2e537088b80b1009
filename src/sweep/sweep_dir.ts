/**
 * The sweep directory:
 *
 * - `sweep.json`: the resolved spec (every default filled in) and the trial list (ids, axis values,
 *   configurations), written once when the sweep starts;
 * - `sweep.jsonl`: one `TrialResult` per finished trial, appended line by line (one write and an
 *   fsync per line), the source of truth of a resume: a trial with a line has ended, in any status;
 * - `trials/<id>/`: each trial's run directory, as `descent train` writes it.
 *
 * Opening a directory that already holds a sweep resumes it if its spec and trials are the same, and
 * refuses otherwise (a different sweep's results would be mixed with this one's). A last line cut by a
 * kill in the middle of its write is dropped (its trial runs again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/checkpoint.js';
import { FormatError } from '../io/format_error.js';
import type { SweepSpec } from './spec_schema.js';
import type { Trial, TrialResult } from './types.js';

export const SWEEP_FILES = { spec: 'sweep.json', results: 'sweep.jsonl', trials: 'trials' } as const;

/** What sweep.json holds. */
export interface SweepRecord {
  version: 1;
  spec: SweepSpec;
  trials: Trial[];
}

export interface OpenSweepDir {
  readonly dir: string;
  /** The results already in sweep.jsonl, by trial id (the first line of each trial). */
  readonly done: ReadonlyMap<string, TrialResult>;
  /** The run directory of a trial. */
  trialDir(trialId: string): string;
  /** Appends a finished trial's line to sweep.jsonl. */
  append(result: TrialResult): void;
}

/**
 * Opens (creating it if needed) the sweep directory `dir` for this spec and these trials. `flag`
 * names the directory in messages (`--out`).
 */
export function openSweepDir(spec: { dir: string; record: Omit<SweepRecord, 'version'>; flag?: string }) {
  const { dir } = spec;
  const flag = spec.flag ?? '--out';
  const record: SweepRecord = { version: 1, ...spec.record };
  fs.mkdirSync(dir, { recursive: true });
  const specFile = path.join(dir, SWEEP_FILES.spec);
  if (fs.existsSync(specFile)) checkSameSweep(specFile, record, `${flag} ${dir}`);
  else {
    refuseForeign(dir, `${flag} ${dir}`);
    // The project's atomic write: fsync before the rename, and a dot-named temporary file, so that a
    // kill mid-write leaves nothing that refuseForeign would take for a foreign file on the rerun.
    writeFileAtomic(specFile, new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));
  }
  const ids = new Set(record.trials.map((t) => t.id));
  const resultsFile = path.join(dir, SWEEP_FILES.results);
  const done = readResults(resultsFile, ids);
  const opened: OpenSweepDir = {
    dir,
    done,
    trialDir: (id) => path.join(dir, SWEEP_FILES.trials, id),
    append(result) {
      appendLine(resultsFile, JSON.stringify(result));
      done.set(result.trialId, result);
    },
  };
  return opened;
}

/** A directory that holds no sweep must be empty (dot-files aside): a sweep does not mix with other files. */
function refuseForeign(dir: string, name: string): void {
  // The lock the sweep command holds on the directory is the only other file allowed.
  const names = fs.readdirSync(dir).filter((n) => !n.startsWith('.') && n !== 'run.lock');
  if (names.length === 0) return;
  const shown = names.sort().slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  throw new FormatError(
    dir,
    `${name}: is not empty and holds no sweep (no ${SWEEP_FILES.spec}; found ${shown}); choose a new or empty directory`,
  );
}

/** The first top-level difference between two records, in words, or null when they are the same. */
function difference(saved: SweepRecord, wanted: SweepRecord): string | null {
  for (const key of Object.keys(wanted.spec) as (keyof SweepSpec)[]) {
    if (JSON.stringify(saved.spec?.[key]) !== JSON.stringify(wanted.spec[key])) {
      return `its ${key} is ${JSON.stringify(saved.spec?.[key])}, this spec's is ${JSON.stringify(wanted.spec[key])}`;
    }
  }
  if (JSON.stringify(saved.trials) !== JSON.stringify(wanted.trials)) {
    return 'its trials differ from this spec’s (made by another version of descent?)';
  }
  return null;
}

function checkSameSweep(file: string, wanted: SweepRecord, name: string): void {
  let saved: SweepRecord;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SweepRecord;
  } catch (error) {
    throw new FormatError(file, `${file}: not a sweep record (${(error as Error).message})`);
  }
  const diff = difference(saved, wanted);
  if (diff !== null) {
    throw new FormatError(
      file,
      `${name} holds a different sweep: ${diff}; resume it with its own spec, or choose a new --out directory`,
    );
  }
}

/**
 * The results of sweep.jsonl by trial id. A last line without its newline (a write cut short by a
 * kill) is cut off the file; any other line that is not a result of one of `ids` is an error.
 */
function readResults(file: string, ids: ReadonlySet<string>): Map<string, TrialResult> {
  if (!fs.existsSync(file)) return new Map();
  const text = fs.readFileSync(file, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) fs.truncateSync(file, Buffer.byteLength(text.slice(0, complete)));
  return parseResults(file, text.slice(0, complete), ids);
}

/**
 * The results in `text` (whole lines of sweep.jsonl) by trial id, the first of each trial; a line that
 * is not a result of one of `ids` is a `FormatError` naming `file` and the line. The sweep (which
 * resumes from them) and its report (which only reads) both parse through here.
 */
export function parseResults(file: string, text: string, ids: ReadonlySet<string>): Map<string, TrialResult> {
  const done = new Map<string, TrialResult>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let result: TrialResult;
    try {
      result = JSON.parse(line) as TrialResult;
    } catch {
      throw new FormatError(file, `${file}:${i + 1}: not a trial result (not JSON)`);
    }
    if (typeof result?.trialId !== 'string' || !ids.has(result.trialId) || !Array.isArray(result.epochs)) {
      throw new FormatError(file, `${file}:${i + 1}: not a result of one of this sweep's trials`);
    }
    if (!done.has(result.trialId)) done.set(result.trialId, result);
  });
  return done;
}

/** One line in one write, flushed to disk before the trial counts as done. */
function appendLine(file: string, line: string): void {
  const fd = fs.openSync(file, 'a');
  try {
    const bytes = Buffer.from(`${line}\n`);
    // writeSync may write less than asked (a full disk, a signal): loop until the line is whole.
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
