/**
 * Reading a finished (or half-finished) sweep directory for its report: sweep.json (the spec and the
 * trials) and sweep.jsonl (one result per finished trial). Read-only: a report never repairs or
 * resumes a sweep. Every problem is a `FormatError` naming the file and, for a result, its line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FormatError } from '../../io/format_error.js';
import type { SweepSpec } from '../spec_schema.js';
import { parseResults, SWEEP_FILES, type SweepRecord } from '../sweep_dir.js';
import type { Trial, TrialResult } from '../types.js';

export interface SweepData {
  dir: string;
  spec: SweepSpec;
  trials: Trial[];
  /** The first result of each trial that has one, in trial order. */
  results: TrialResult[];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FormatError(file, `${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** sweep.json, checked for the fields the report reads. */
function readRecord(dir: string): SweepRecord {
  const file = path.join(dir, SWEEP_FILES.spec);
  if (!fs.existsSync(dir)) throw new FormatError(dir, `${dir}: no such directory`);
  if (!fs.statSync(dir).isDirectory()) throw new FormatError(dir, `${dir}: not a directory`);
  if (!fs.existsSync(file)) {
    throw new FormatError(
      dir,
      `${dir}: not a sweep directory (no ${SWEEP_FILES.spec}); give the --out directory of descent sweep`,
    );
  }
  const record = readJson(file) as Partial<SweepRecord> | null;
  const spec = record?.spec as Partial<SweepSpec> | undefined;
  if (
    !Array.isArray(record?.trials) ||
    typeof spec?.metric !== 'string' ||
    (spec.mode !== 'max' && spec.mode !== 'min')
  ) {
    throw new FormatError(
      file,
      `${file}: not a sweep record of descent sweep (expected spec.metric, spec.mode and trials; an experiment's --seeds directory has its own report)`,
    );
  }
  return record as SweepRecord;
}

/** sweep.jsonl's results of known trials; a last line cut short by a kill is left out (not repaired). */
function readResults(dir: string, ids: ReadonlySet<string>): Map<string, TrialResult> {
  const file = path.join(dir, SWEEP_FILES.results);
  if (!fs.existsSync(file)) return new Map();
  const text = fs.readFileSync(file, 'utf8');
  return parseResults(file, text.slice(0, text.lastIndexOf('\n') + 1), ids);
}

/** Reads the sweep directory `dir`. */
export function readSweepData(dir: string): SweepData {
  const record = readRecord(dir);
  const done = readResults(dir, new Set(record.trials.map((t) => t.id)));
  const results = record.trials.flatMap((t) => {
    const r = done.get(t.id);
    return r === undefined ? [] : [r];
  });
  return { dir, spec: record.spec, trials: record.trials, results };
}
