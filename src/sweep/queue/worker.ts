/**
 * The queue's worker (`descent worker`): takes trial jobs from the BullMQ queue, checks each one
 * (job_check.ts), runs it as a child process with runTrialProcess (the same as the sweep's local pool:
 * same command line, same bits), reports each epoch as the job's progress, reads the sweep's verdict
 * after each epoch (a prune stops the trial), and returns the result with the run directory's files.
 *
 * Faults: a job is started at most `attempts` times (the sweep's `--attempts`, the job's option); a
 * worker that dies mid-trial stops renewing the job's lock, another worker's stalled check puts the
 * job back on the queue, and the next start runs it again from scratch. A trial that fails by itself
 * (a refused job, exit code 2, divergence) is not retried: the job completes with that status, or
 * fails with an UnrecoverableError when it never ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Job } from 'bullmq';
import { FormatError } from '../../io/format_error.js';
import { runTrialProcess, TrialKilledError } from '../trial_process.js';
import type { EpochReport, EpochVerdict, Trial, TrialResult } from '../types.js';
import {
  type BullModule,
  checkReachable,
  connectRedis,
  loadBullmq,
  onceIn,
  type RedisClient,
} from './connection.js';
import { checkJobData } from './job_check.js';
import {
  parseVerdict,
  QUEUE_NAME,
  type TrialJobData,
  type TrialJobResult,
  type TrialProgress,
  verdictKey,
} from './protocol.js';
import { packRunDir, TransferTooLargeError } from './transfer.js';

export interface QueueWorkerSpec {
  url: string;
  /** Trials run at once (one child process, one thread each). */
  concurrency: number;
  /** Where trials' run directories are made (each removed once sent back). */
  workDir: string;
  maxResultBytes: number;
  /** How long a job stays this worker's without a renewal of its lock; a dead worker's jobs wait that long. */
  lockMs: number;
  /** The worker's name in results (host:pid). */
  name: string;
  /** The `descent` script trials run (default: this package's bin/descent.js). */
  cli?: string;
  log: (line: string) => void;
}

/** A running worker: `close` stops taking jobs and waits for the running ones (or not, with `force`). */
export interface QueueWorker {
  close(force?: boolean): Promise<void>;
}

/** How long a worker waits after an epoch for the sweep's verdict before it goes on without one. */
const VERDICT_WAIT_MS = 2000;
const VERDICT_POLL_MS = 25;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts taking jobs from the queue at `spec.url`. */
export async function startQueueWorker(spec: QueueWorkerSpec): Promise<QueueWorker> {
  const bull = await loadBullmq();
  await checkReachable(spec.url);
  const logError = onceIn(10_000, (message: string) => spec.log(`redis: ${message}`));
  const redis = await connectRedis(spec.url, logError);
  // BullMQ leaves a client it was handed open: close() disconnects it.
  const workerClient = await connectRedis(spec.url, logError);
  fs.mkdirSync(spec.workDir, { recursive: true });
  const worker = new bull.Worker<TrialJobData, TrialJobResult>(
    QUEUE_NAME,
    (job) => processJob({ bull, redis, spec }, job),
    {
      connection: workerClient,
      concurrency: spec.concurrency,
      lockDuration: spec.lockMs,
      stalledInterval: spec.lockMs,
      // The bound on starts is the job's own `attempts` (processJob checks it); BullMQ's own limit on
      // stalls would fail a trial after one dead worker.
      maxStalledCount: 1000,
    },
  );
  worker.on('error', logError);
  await worker.waitUntilReady();
  return {
    async close(force = false) {
      await worker.close(force);
      workerClient.disconnect();
      redis.disconnect();
    },
  };
}

interface WorkerContext {
  bull: BullModule;
  redis: RedisClient;
  spec: QueueWorkerSpec;
}

/** One job: check it, bound its starts, run it, send back the result and the run directory. */
async function processJob(ctx: WorkerContext, job: Job<TrialJobData>): Promise<TrialJobResult> {
  const { bull, spec } = ctx;
  const jobId = job.id ?? '?';
  let trial: Trial;
  try {
    trial = checkJobData(job.data, jobId);
  } catch (error) {
    if (error instanceof FormatError) throw new bull.UnrecoverableError(error.message);
    throw error;
  }
  const attempt = job.attemptsStarted;
  const allowed = job.opts.attempts ?? 1;
  if (attempt > allowed) {
    throw new bull.UnrecoverableError(
      `trial ${trial.id} was started ${attempt - 1} times without finishing (its workers died or were cut off); --attempts ${allowed} allows no more`,
    );
  }
  spec.log(`trial ${trial.id} of sweep ${job.data.sweepId}: started (attempt ${attempt} of ${allowed})`);
  const runDir = path.join(spec.workDir, `${jobId.replace(/[^A-Za-z0-9_.-]/g, '_')}-a${attempt}`);
  try {
    const result = await runTrial(ctx, { job, trial, runDir, attempt });
    spec.log(`trial ${trial.id}: ${result.status} in ${result.wallSeconds.toFixed(1)} s`);
    return withFiles(result, runDir, spec.maxResultBytes);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

/** Runs the trial's child process; a child killed by a signal we did not send is retried (a plain error). */
async function runTrial(
  ctx: WorkerContext,
  run: { job: Job<TrialJobData>; trial: Trial; runDir: string; attempt: number },
): Promise<TrialResult> {
  const { spec } = ctx;
  try {
    return await runTrialProcess({
      trial: run.trial,
      runDir: run.runDir,
      hooks: { onEpoch: epochReporter(ctx, run.job) },
      ...(spec.cli ? { cli: spec.cli } : {}),
      worker: spec.name,
      attempt: run.attempt,
    });
  } catch (error) {
    if (error instanceof TrialKilledError) throw new Error(`${error.message} on worker ${spec.name}`);
    throw error;
  }
}

/**
 * The trial's onEpoch on the worker: the job's progress rewritten with every epoch so far, then the
 * sweep's verdict on that epoch. The sweep may be gone (restarting): after one verdict that did not
 * come in time the worker stops waiting, and only looks, until verdicts come again.
 */
function epochReporter(ctx: WorkerContext, job: Job<TrialJobData>) {
  const { redis, spec } = ctx;
  const progress: TrialProgress & { worker: string } = { epochs: [], worker: spec.name };
  const key = verdictKey(job.id ?? '');
  let answering = true;
  return async (report: EpochReport): Promise<EpochVerdict> => {
    progress.epochs.push(report.record);
    try {
      await job.updateProgress(progress);
      const deadline = Date.now() + (answering ? VERDICT_WAIT_MS : 0);
      for (;;) {
        const verdict = parseVerdict(await redis.get(key));
        if (verdict?.verdict === 'prune') return 'prune';
        if (verdict !== undefined && verdict.epoch >= report.record.epoch) {
          answering = true;
          return 'continue';
        }
        if (Date.now() >= deadline) break;
        await sleep(VERDICT_POLL_MS);
      }
      answering = false;
    } catch (error) {
      // Redis away or the job gone (Redis restarted empty): the trial goes on; the sweep re-enqueues it.
      spec.log(
        `trial ${report.trialId}: epoch ${report.record.epoch} not reported (${(error as Error).message})`,
      );
    }
    return 'continue';
  };
}

/** The job's return value; a run directory over the limit is refused with its sizes, metrics kept. */
function withFiles(result: TrialResult, runDir: string, maxBytes: number): TrialJobResult {
  try {
    return { result, files: packRunDir(runDir, maxBytes) };
  } catch (error) {
    if (!(error instanceof TransferTooLargeError)) throw error;
    const { final: _final, ...rest } = result;
    return { result: { ...rest, status: 'failed', error: error.message }, files: [] };
  }
}
