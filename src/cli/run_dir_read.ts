/**
 * Reading a finished (or running) run directory for `descent compare`: its config.json and its
 * metrics.jsonl, the two files every run writes before its first epoch ends. A path that is not a
 * run directory is refused naming the path and what a run directory holds; a damaged file is a
 * `FormatError` naming the file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FormatError } from '../io/format_error.js';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import type { EpochRecord } from '../run/records.js';
import { UsageError } from './exit_codes.js';
import { RUN_FILES } from './run_dir_writer.js';

/** One line of metrics.jsonl: the --json epoch record, with the epoch's seconds (older runs may lack both). */
export interface EpochMetrics extends Omit<EpochRecord, 'samplesPerSec'> {
  samplesPerSec?: number;
  seconds?: number;
}

export interface RunRecord {
  /** The path as given. */
  dir: string;
  config: Record<string, unknown>;
  epochs: EpochMetrics[];
}

const WHAT_A_RUN_HOLDS = `a run directory, written by descent train, holds ${RUN_FILES.config} and ${RUN_FILES.metrics} (and ${RUN_FILES.model}, ${RUN_FILES.state}, ${RUN_FILES.report})`;

/** A regular file within `maxBytes` (never a device or FIFO that reads forever). */
function readText(file: string, maxBytes: number): string {
  return readRegularFile(file, { maxBytes, what: 'compare', name: file }).toString('utf8');
}

function parseJson(file: string, text: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FormatError(
      file,
      `${file}: ${line === undefined ? '' : `line ${line}: `}not valid JSON (${(error as Error).message})`,
    );
  }
}

function parseEpoch(file: string, text: string, line: number): EpochMetrics {
  const v = parseJson(file, text, line) as Record<string, unknown> | null;
  const ok =
    v !== null &&
    typeof v === 'object' &&
    typeof v.epoch === 'number' &&
    typeof v.trainLoss === 'number' &&
    typeof v.lr === 'number';
  if (!ok)
    throw new FormatError(
      file,
      `${file}: line ${line}: expected an epoch record { epoch, trainLoss, lr, … }`,
    );
  return v as unknown as EpochMetrics;
}

/** Reads a run directory (see the module comment). */
export function readRunDir(dir: string): RunRecord {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat === undefined) throw new UsageError(`${dir}: no such directory; ${WHAT_A_RUN_HOLDS}`);
  if (!stat.isDirectory()) throw new UsageError(`${dir}: not a directory; ${WHAT_A_RUN_HOLDS}`);
  const missing = [RUN_FILES.config, RUN_FILES.metrics].filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0)
    throw new UsageError(`${dir}: not a run directory (no ${missing.join(' or ')}); ${WHAT_A_RUN_HOLDS}`);
  const configFile = path.join(dir, RUN_FILES.config);
  const config = parseJson(configFile, readText(configFile, READ_LIMITS.config));
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new FormatError(configFile, `${configFile}: expected a JSON object of settings`);
  const metricsFile = path.join(dir, RUN_FILES.metrics);
  const epochs = readText(metricsFile, READ_LIMITS.csv) // one short line per epoch
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ text, line }) => parseEpoch(metricsFile, text, line));
  return { dir, config: config as Record<string, unknown>, epochs };
}
