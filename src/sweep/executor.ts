/**
 * Which executor runs a sweep's trials: the embedded pool of local processes by default. The one
 * place that chooses, so that another executor (the Redis queue, `--queue URL`) plugs in here.
 */
import { LocalPool } from './local_pool.js';
import type { TrialExecutor } from './types.js';

export interface ExecutorOptions {
  /** The sweep directory (each trial's run directory goes under `trials/`). */
  dir: string;
  /** Local trials at once (default: one per core). */
  workers?: number;
  /** The descent CLI script trial processes run (default: this package's bin/descent.js). */
  cli?: string;
  /** A queue URL (`redis://host:port`): trials go to workers on the queue instead. */
  queue?: string;
  /** Queue only: how many times a trial may be started (its worker died mid-trial); default 3. */
  attempts?: number;
  /** Queue only: where its notes go (a job enqueued again after Redis restarted). */
  log?: (line: string) => void;
}

export async function executorFor(options: ExecutorOptions): Promise<TrialExecutor> {
  if (options.queue !== undefined) {
    // Loaded only for --queue: it loads BullMQ and ioredis, optional packages (README, "Scaling out").
    const { createQueueExecutor } = await import('./queue/executor.js');
    return createQueueExecutor({
      url: options.queue,
      sweepDir: options.dir,
      ...(options.workers !== undefined ? { slots: options.workers } : {}),
      ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
      ...(options.log !== undefined ? { log: options.log } : {}),
    });
  }
  return new LocalPool({
    dir: options.dir,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.cli !== undefined ? { cli: options.cli } : {}),
  });
}
