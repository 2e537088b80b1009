/**
 * `descent worker --queue redis://host:port`: runs sweep trials from a Redis queue until stopped, on
 * any machine that reaches Redis (README, "Scaling out"). Thin: the worker is src/sweep/queue/worker.ts.
 * Ctrl-C (or SIGTERM) stops taking trials and finishes the running ones; a second one stops at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { checkQueueUrl, queueAddress, redact } from '../sweep/queue/connection.js';
import { DEFAULT_MAX_RESULT_MB, MAX_RESULT_MB, QUEUE_NAME } from '../sweep/queue/protocol.js';
import { startQueueWorker } from '../sweep/queue/worker.js';
import { parseCountIn } from './parse.js';

const MB = 1024 * 1024;

interface WorkerFlags {
  queue: string;
  concurrency?: number;
  workDir?: string;
  maxResultMb?: number;
  lockMs?: number;
}

async function runWorker(flags: WorkerFlags): Promise<void> {
  checkQueueUrl(flags.queue);
  const address = await queueAddress(flags.queue);
  const name = `${os.hostname()}:${process.pid}`;
  const concurrency = flags.concurrency ?? 1;
  const log = (line: string) => process.stderr.write(`worker ${name}: ${line}\n`);
  const workDir = path.resolve(flags.workDir ?? path.join(os.tmpdir(), `descent-worker-${process.pid}`));
  const worker = await startQueueWorker({
    url: flags.queue,
    concurrency,
    workDir,
    maxResultBytes: (flags.maxResultMb ?? DEFAULT_MAX_RESULT_MB) * MB,
    lockMs: flags.lockMs ?? 30_000,
    name,
    // Trials run the very CLI this worker runs.
    ...(process.argv[1] ? { cli: process.argv[1] } : {}),
    log,
  });
  log(
    `taking trials from ${redact(flags.queue)} (queue ${QUEUE_NAME}${address.tls ? ', TLS' : ''}), ${concurrency} at once`,
  );
  await untilStopped(async () => {
    log('finishing the running trials (Ctrl-C again to stop now)');
    await worker.close();
    // The default folder was this worker's own (each trial's directory is gone already).
    if (flags.workDir === undefined) fs.rmSync(workDir, { recursive: true, force: true });
  });
}

/**
 * Resolves once `close` has finished after SIGINT or SIGTERM. A second signal exits at once (code 130,
 * as a shell reports Ctrl-C): the running trials' jobs go back to the queue when their locks run out.
 */
function untilStopped(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const onSignal = () => {
      if (closing) process.exit(130);
      closing = true;
      close().then(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      }, reject);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('run sweep trials from a Redis queue (descent sweep --queue) until stopped')
    .requiredOption('--queue <url>', 'redis://host:port, or rediss://user:password@host:port for TLS')
    .option('--concurrency <n>', 'trials run at once, one thread each (default 1)', parseCountIn(1, 256))
    .option('--work-dir <dir>', "where trials' run directories are made (default: a folder in the temp dir)")
    .option(
      '--max-result-mb <n>',
      `the most run directory sent back per trial, in MB (default ${DEFAULT_MAX_RESULT_MB})`,
      parseCountIn(1, MAX_RESULT_MB),
    )
    .option(
      '--lock-ms <ms>',
      "how long a trial stays this worker's without a sign of life; a dead worker's trials are retried after it (default 30000)",
      parseCountIn(200, 3_600_000),
    )
    .action(async (flags: WorkerFlags) => runWorker(flags));
}
