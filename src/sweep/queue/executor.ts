/**
 * The queue's TrialExecutor (`descent sweep SPEC --queue redis://…`): each trial becomes a BullMQ job
 * that some `descent worker` runs; this side follows the job until it ends and writes the trial's run
 * directory into the sweep directory from what the worker sent back.
 *
 * It follows a job by polling the job's own record (every `pollMs`) rather than by listening to the
 * queue's event stream: the job's progress holds every epoch so far, so nothing is missed across a
 * restart of Redis or of the sweep, and a job that vanished (Redis restarted without persistence) is
 * seen as missing and enqueued again under the same id. The latency this costs (a poll interval per
 * verdict) is small against an epoch.
 *
 * Resuming: the job id is `<sweepId>.<trialId>` with the sweepId derived from the host and the sweep
 * directory, so a restarted sweep that runs the same trial again finds its job (running, or finished
 * with its result waiting) instead of starting it anew. Jobs are removed when the executor closes,
 * after the sweep has recorded their results.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job, Queue } from 'bullmq';
import { FormatError } from '../../io/format_error.js';
import type { EpochRecord } from '../../run/records.js';
import { TrialAbortedError } from '../trial_process.js';
import type { Trial, TrialExecutor, TrialHooks, TrialResult } from '../types.js';
import {
  type BullModule,
  checkReachable,
  connectRedis,
  loadBullmq,
  onceIn,
  type RedisClient,
  redact,
} from './connection.js';
import { jobDataOf } from './job_check.js';
import {
  jobIdOf,
  QUEUE_NAME,
  type TrialJobData,
  type TrialJobResult,
  VERDICT_TTL_SECONDS,
  verdictKey,
} from './protocol.js';
import { unpackRunDir } from './transfer.js';

export interface QueueExecutorSpec {
  /** `redis://host:port` or `rediss://user:password@host:port`. */
  url: string;
  /** The sweep directory: trials' run directories go to `<sweepDir>/trials/<id>/`. */
  sweepDir: string;
  /** Trials kept on the queue at once (default 16): enough for every worker that may come. */
  slots?: number;
  /** How many times a trial may be started (a worker died mid-trial); default 3. */
  attempts?: number;
  /** How often a running job is looked at, in milliseconds (default 250). */
  pollMs?: number;
  /** Overrides the sweep's id on the queue (default: from this host and the sweep directory). */
  sweepId?: string;
  /** Where notes go (a job enqueued again after a Redis restart); default: nowhere. */
  log?: (line: string) => void;
}

/** The sweep's id on the queue: the same for the same directory on the same host, whatever else changes. */
export function sweepIdOf(sweepDir: string): string {
  const dir = fs.realpathSync(sweepDir);
  return createHash('sha256').update(`${os.hostname()}\0${dir}`).digest('hex').slice(0, 16);
}

/** Connects to the queue and returns the executor (the sweep directory must exist). */
export async function createQueueExecutor(spec: QueueExecutorSpec): Promise<TrialExecutor> {
  const bull = await loadBullmq();
  await checkReachable(spec.url);
  const log = spec.log ?? (() => {});
  const logError = onceIn(10_000, (message) => log(`redis ${redact(spec.url)}: ${message}`));
  // BullMQ leaves a client it was handed open: close() disconnects both clients itself.
  const queueClient = await connectRedis(spec.url, logError);
  const queue = new bull.Queue<TrialJobData, TrialJobResult>(QUEUE_NAME, { connection: queueClient });
  queue.on('error', logError);
  const redis = await connectRedis(spec.url, logError);
  await queue.waitUntilReady();
  return new QueueExecutor({
    bull,
    queue,
    clients: [queueClient, redis],
    redis,
    sweepDir: spec.sweepDir,
    sweepId: spec.sweepId ?? sweepIdOf(spec.sweepDir),
    slots: spec.slots ?? 16,
    attempts: spec.attempts ?? 3,
    pollMs: spec.pollMs ?? 250,
    log,
  });
}

interface ExecutorParts {
  bull: BullModule;
  queue: Queue<TrialJobData, TrialJobResult>;
  /** Every Redis client it opened, disconnected on close. */
  clients: RedisClient[];
  redis: RedisClient;
  sweepDir: string;
  sweepId: string;
  slots: number;
  attempts: number;
  pollMs: number;
  log: (line: string) => void;
}

const JOB_KEEP_SECONDS = 7 * 24 * 3600;

/** What the sweep has seen of one job so far. */
interface Following {
  trial: Trial;
  jobId: string;
  hooks: TrialHooks;
  delivered: number;
  /** The epoch number of the last epoch delivered. */
  lastEpoch: number;
  pruned: boolean;
}

class QueueExecutor implements TrialExecutor {
  readonly slots: number;
  private closed = false;
  private readonly finished = new Set<string>();
  private readonly stop = new AbortController();
  private readonly inFlight = new Set<Promise<TrialResult>>();

  constructor(private readonly p: ExecutorParts) {
    this.slots = p.slots;
  }

  async run(trial: Trial, hooks: TrialHooks): Promise<TrialResult> {
    if (this.closed) throw new Error('the queue executor is closed');
    const following = this.follow({
      trial,
      jobId: jobIdOf(this.p.sweepId, trial.id),
      hooks,
      delivered: 0,
      lastEpoch: 0,
      pruned: false,
    });
    this.inFlight.add(following);
    try {
      return await following;
    } catch (error) {
      // Whatever broke while closing (a command on a closed connection) is the close, not the trial.
      if (this.stop.signal.aborted) throw new TrialAbortedError(trial.id);
      throw error;
    } finally {
      this.inFlight.delete(following);
    }
  }

  /** Enqueues the trial's job and follows it until it ends (or the executor closes). */
  private async follow(f: Following): Promise<TrialResult> {
    await this.enqueue(f);
    for (;;) {
      if (this.stop.signal.aborted) throw new TrialAbortedError(f.trial.id);
      const job = await this.p.bull.Job.fromId<TrialJobData, TrialJobResult>(this.p.queue, f.jobId);
      if (job === undefined) {
        this.p.log(`trial ${f.trial.id}: its job is gone from the queue (Redis restarted?): enqueued again`);
        await this.enqueue(f);
        await this.repostVerdict(f);
      } else {
        await this.deliverEpochs(f, job);
        const ended = await this.endOf(f, job);
        if (ended !== undefined) {
          this.finished.add(f.jobId);
          return ended;
        }
      }
      await sleep(this.p.pollMs, this.stop.signal);
    }
  }

  /** Adds the trial's job; if a job with its id is there already (a restarted sweep), that one is kept. */
  private async enqueue(f: Following): Promise<void> {
    await this.p.queue.add('trial', jobDataOf(this.p.sweepId, f.trial), {
      jobId: f.jobId,
      attempts: this.p.attempts,
      // Kept until this executor closes (after the sweep recorded the result); a week at most.
      removeOnComplete: { age: JOB_KEEP_SECONDS },
      removeOnFail: { age: JOB_KEEP_SECONDS },
    });
  }

  /**
   * The verdict on the last epoch delivered, posted again for a job enqueued anew (the key went with
   * Redis): its worker then does not wait on epochs the sweep has judged already.
   */
  private async repostVerdict(f: Following): Promise<void> {
    if (f.delivered === 0) return;
    const verdict = `${f.lastEpoch}:${f.pruned ? 'prune' : 'continue'}`;
    await this.p.redis.set(verdictKey(f.jobId), verdict, 'EX', VERDICT_TTL_SECONDS);
  }

  /** Hands the epochs the job reported since the last look to the sweep, and posts each verdict. */
  private async deliverEpochs(f: Following, job: Job<TrialJobData, TrialJobResult>): Promise<void> {
    const epochs = progressEpochs(job.progress);
    // A retried job reports its epochs again from the first: the same numbers (same seed), seen already.
    while (!f.pruned && f.delivered < epochs.length) {
      const record = epochs[f.delivered]!;
      const verdict = await f.hooks.onEpoch({ trialId: f.trial.id, record });
      f.delivered += 1;
      f.lastEpoch = record.epoch;
      f.pruned = verdict === 'prune';
      await this.p.redis.set(verdictKey(f.jobId), `${record.epoch}:${verdict}`, 'EX', VERDICT_TTL_SECONDS);
    }
  }

  /** The trial's result once its job has ended, or undefined while it runs. */
  private async endOf(
    f: Following,
    job: Job<TrialJobData, TrialJobResult>,
  ): Promise<TrialResult | undefined> {
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return undefined;
    // Read again: the job may have ended between the first read and getState.
    const ended = (await this.p.bull.Job.fromId<TrialJobData, TrialJobResult>(this.p.queue, f.jobId)) ?? job;
    await this.deliverEpochs(f, ended);
    return state === 'completed' ? this.completed(f, ended) : this.failed(f, ended);
  }

  /** A completed job: its run directory written into the sweep directory, its result checked. */
  private completed(f: Following, job: Job<TrialJobData, TrialJobResult>): TrialResult {
    const source = `queue job ${f.jobId}`;
    const value = job.returnvalue as TrialJobResult | null;
    const runDir = path.posix.join('trials', f.trial.id);
    try {
      if (value?.result?.trialId !== f.trial.id) {
        throw new FormatError(source, `${source}: its result is not trial ${f.trial.id}'s`);
      }
      unpackRunDir(value.files, path.join(this.p.sweepDir, 'trials', f.trial.id), source);
      return { ...value.result, params: f.trial.params, runDir };
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      return this.failed(f, job, error.message);
    }
  }

  /** A failed job (refused by the worker, or started `attempts` times): recorded as failed. */
  private failed(f: Following, job: Job<TrialJobData, TrialJobResult>, message?: string): TrialResult {
    const progress = job.progress as { worker?: unknown } | undefined;
    const seconds = job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0;
    fs.mkdirSync(path.join(this.p.sweepDir, 'trials', f.trial.id), { recursive: true });
    return {
      trialId: f.trial.id,
      status: 'failed',
      params: f.trial.params,
      epochs: progressEpochs(job.progress),
      error: message ?? job.failedReason ?? 'the job failed without a reason',
      runDir: path.posix.join('trials', f.trial.id),
      worker: typeof progress?.worker === 'string' ? progress.worker : 'queue',
      attempts: job.attemptsStarted,
      wallSeconds: Math.max(0, seconds),
    };
  }

  /** Stops following jobs and removes the finished ones (their results are in the sweep directory). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    // The trials followed end (aborted) before their connections close under them.
    await Promise.allSettled([...this.inFlight]);
    for (const jobId of this.finished) {
      await this.p.queue.remove(jobId).catch(() => 0);
      await this.p.redis.del(verdictKey(jobId)).catch(() => 0);
    }
    await this.p.queue.close();
    for (const client of this.p.clients) client.disconnect();
  }
}

/** The epochs a job's progress holds (anything else: none). */
function progressEpochs(progress: unknown): EpochRecord[] {
  const epochs = (progress as { epochs?: unknown } | null)?.epochs;
  return Array.isArray(epochs) ? (epochs as EpochRecord[]) : [];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
