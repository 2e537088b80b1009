/**
 * The embedded executor: trials run as child processes of this one (trial_process.ts), `workers` at
 * a time, each on one thread. A trial whose process dies of a signal it was not sent (kill -9, out of
 * memory) is started again from scratch, up to `maxAttempts` starts, then recorded as failed; a trial
 * that fails by itself (bad configuration, divergence) is not retried: it would fail the same way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../io/temp_files.js';
import { SWEEP_FILES } from './sweep_dir.js';
import { runTrialProcess, TrialKilledError } from './trial_process.js';
import type { Trial, TrialExecutor, TrialHooks, TrialResult } from './types.js';

export interface LocalPoolOptions {
  /** The sweep directory: trial `id` runs in `<dir>/trials/<id>`. */
  dir: string;
  /** Trials at once (default: one per core). */
  workers?: number;
  /** The descent CLI script the children run (see TrialProcessSpec.cli). */
  cli?: string;
  /** Starts of a trial whose process was killed, before it is recorded as failed (default 2). */
  maxAttempts?: number;
}

/** The lock file `descent train` keeps in a run directory while it runs (cli/run_lock.ts). */
const RUN_LOCK = 'run.lock';
const ORPHAN_WAIT_MS = 15_000;

export class LocalPool implements TrialExecutor {
  readonly slots: number;
  private readonly abort = new AbortController();

  constructor(private readonly options: LocalPoolOptions) {
    this.slots = options.workers ?? os.availableParallelism();
    if (!Number.isInteger(this.slots) || this.slots < 1) {
      throw new Error(`LocalPool: workers must be a positive integer, got ${options.workers}`);
    }
  }

  async run(trial: Trial, hooks: TrialHooks): Promise<TrialResult> {
    const runDir = path.join(this.options.dir, SWEEP_FILES.trials, trial.id);
    await stopOrphan(runDir);
    const maxAttempts = this.options.maxAttempts ?? 2;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await runTrialProcess({
          trial,
          runDir,
          hooks,
          signal: this.abort.signal,
          attempt,
          ...(this.options.cli !== undefined ? { cli: this.options.cli } : {}),
        });
        // An orphan that locked the directory after the check above: stop it and start again.
        if (!lockedByOrphan(result) || attempt >= maxAttempts) return result;
        await stopOrphan(runDir);
      } catch (error) {
        if (!(error instanceof TrialKilledError)) throw error;
        if (attempt >= maxAttempts) return killedResult(trial, error, attempt);
      }
    }
  }

  /** Stops every trial still running (their processes get SIGTERM; `run` rejects with TrialAbortedError). */
  async close(): Promise<void> {
    this.abort.abort();
  }
}

function killedResult(trial: Trial, error: TrialKilledError, attempts: number): TrialResult {
  return {
    trialId: trial.id,
    status: 'failed',
    params: trial.params,
    epochs: [...error.epochs],
    error: `${error.message}, ${attempts} times`,
    runDir: path.posix.join(SWEEP_FILES.trials, trial.id),
    worker: 'local',
    attempts,
    wallSeconds: 0,
  };
}

/** The trial failed because another process held its run directory's lock (cli/run_lock.ts's messages). */
function lockedByOrphan(result: TrialResult): boolean {
  return (
    result.status === 'failed' &&
    /another training is writing this run directory|locked by a run that is starting/.test(result.error ?? '')
  );
}

/**
 * A sweep process killed with kill -9 leaves its trials' processes running (nothing told them); the
 * next run of the sweep finds one by the live lock in the trial's run directory, and stops it before
 * starting the trial again. Only a lock of this host whose process is alive and started before the
 * lock was taken counts (a reused pid does not).
 */
async function stopOrphan(runDir: string): Promise<void> {
  let owner: { pid?: unknown; host?: unknown; started?: unknown };
  try {
    owner = JSON.parse(fs.readFileSync(path.join(runDir, RUN_LOCK), 'utf8'));
  } catch {
    return;
  }
  const pid = owner.pid;
  const since = typeof owner.started === 'string' ? Date.parse(owner.started) : Number.NaN;
  if (typeof pid !== 'number' || owner.host !== os.hostname() || !Number.isFinite(since)) return;
  if (pid === process.pid || !processAlive(pid, since)) return;
  process.kill(pid, 'SIGTERM');
  const until = Date.now() + ORPHAN_WAIT_MS;
  while (processAlive(pid, since) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (processAlive(pid, since)) process.kill(pid, 'SIGKILL');
}
