/**
 * What the sweep process and `descent worker` say to each other through Redis, in one place:
 *
 * - the queue: one BullMQ queue, `descent-trials`, whatever the sweep (a worker is started with
 *   nothing but the URL); a job per trial, its id `<sweepId>.<trialId>`, so that enqueueing a trial
 *   again (a restarted sweep, a job lost with Redis) finds the job already there instead of adding one;
 * - epochs: the job's progress, `{ epochs: [...] }`, every epoch so far, rewritten after each one. The
 *   sweep polls it, so it never misses an epoch, however late it looks (after a restart of its own, or
 *   of Redis);
 * - the verdict: a plain key, `descent:verdict:<jobId>`, that the sweep sets to `<epoch>:<verdict>`
 *   after each epoch and the worker reads after each epoch it reported;
 * - the result: the job's return value, the TrialResult and the run directory's files (base64).
 */
import type { EpochRecord } from '../../run/records.js';
import type { Trial, TrialResult } from '../types.js';

export const QUEUE_NAME = 'descent-trials';

/** The payload of a trial's job. `trial.job` names no path: the worker chooses every path itself. */
export interface TrialJobData {
  /** Which sweep enqueued it (a hash of the sweep directory's host and path). */
  sweepId: string;
  trial: Trial;
}

/** The job's progress while it runs. */
export interface TrialProgress {
  epochs: EpochRecord[];
}

/** One file of a trial's run directory, by its path inside it (`/`-separated). */
export interface TransferredFile {
  path: string;
  base64: string;
}

/** The job's return value: the trial's result as the worker saw it, and its run directory. */
export interface TrialJobResult {
  result: TrialResult;
  files: TransferredFile[];
}

/** The job id of a trial: BullMQ refuses `:` in custom ids, hence the dot. */
export function jobIdOf(sweepId: string, trialId: string): string {
  return `${sweepId}.${trialId}`;
}

export function verdictKey(jobId: string): string {
  return `descent:verdict:${jobId}`;
}

/** A verdict key outlives a sweep that died without cleaning up by a day, not forever. */
export const VERDICT_TTL_SECONDS = 24 * 3600;

/** `<epoch>:<verdict>` as the key holds it, or undefined for a missing or foreign value. */
export function parseVerdict(
  value: string | null,
): { epoch: number; verdict: 'continue' | 'prune' } | undefined {
  const match = /^(\d+):(continue|prune)$/.exec(value ?? '');
  if (!match) return undefined;
  return { epoch: Number(match[1]), verdict: match[2] as 'continue' | 'prune' };
}

/**
 * The most bytes of run directory a worker sends back per trial (before base64, which adds a third).
 * A job's return value lives in one Redis string (at most 512 MiB) and in the memory of Redis, the
 * worker and the sweep at once; 64 MiB holds the weights of a model of about 16 million float32
 * parameters. A larger run directory is refused with a message, not truncated.
 */
export const DEFAULT_MAX_RESULT_MB = 64;
export const MAX_RESULT_MB = 256;
