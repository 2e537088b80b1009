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
}

export async function executorFor(options: ExecutorOptions): Promise<TrialExecutor> {
  if (options.queue !== undefined) {
    throw new Error('executorFor: the queue executor is not available in this build');
  }
  return new LocalPool({
    dir: options.dir,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.cli !== undefined ? { cli: options.cli } : {}),
  });
}
