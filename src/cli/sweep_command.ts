/**
 * `descent sweep SPEC`: runs every trial of a sweep spec (src/sweep/) as `descent train` child
 * processes, `--workers` at a time, prunes with ASHA on `--prune asha`, and leaves a sweep directory
 * (sweep.json, sweep.jsonl, trials/<id>/). Running the same command again on the same directory
 * resumes it. With --json: one line per finished trial, then a summary line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { FormatError } from '../io/format_error.js';
import { trainCommandLine } from '../sweep/best_command.js';
import { runSweep, type SweepEvent, type SweepSummary } from '../sweep/driver.js';
import { type ExecutorOptions, executorFor } from '../sweep/executor.js';
import { sweepProgress } from '../sweep/progress.js';
import { checkQueueUrl } from '../sweep/queue/connection.js';
import { buildTrials, describeParams } from '../sweep/sampling.js';
import { readSweepSpec } from '../sweep/spec.js';
import { type AshaOptions, EPOCH_METRICS, type SweepSpec } from '../sweep/spec_schema.js';
import { TrialAbortedError } from '../sweep/trial_process.js';
import type { Trial, TrialExecutor } from '../sweep/types.js';
import { UsageError } from './exit_codes.js';
import { checkOptimizerOptions } from './optimizer_flags.js';
import { parseChoice, parseCountIn } from './parse.js';
import { optimizerOptionsOf } from './run_config.js';
import { acquireRunLock } from './run_lock.js';
import { sweepReportCommand } from './sweep_report_command.js';

/** The most local trials at once. */
const MAX_WORKERS = 256;

interface SweepFlags {
  out?: string;
  workers?: number;
  json?: boolean;
  prune?: 'asha' | 'none';
  ashaMinEpochs?: number;
  ashaReductionFactor?: number;
  ashaGrace?: number;
  queue?: string;
  attempts?: number;
}

/** A library check of the spec (a FormatError) as the CLI's bad input. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** The spec's pruning with the --prune and --asha-* flags over it. */
function pruneFrom(spec: SweepSpec, flags: SweepFlags): AshaOptions | null {
  const given = (['ashaMinEpochs', 'ashaReductionFactor', 'ashaGrace'] as const).filter(
    (k) => flags[k] !== undefined,
  );
  if (flags.prune === 'none') {
    if (given.length > 0) throw new UsageError(`--${kebab(given[0]!)} tunes ASHA; --prune none turns it off`);
    return null;
  }
  const base =
    flags.prune === 'asha' ? { method: 'asha' as const, minEpochs: 1, reductionFactor: 3, grace: 0 } : null;
  const prune = spec.prune ?? base;
  if (prune === null) {
    if (given.length > 0) throw new UsageError(`--${kebab(given[0]!)} tunes ASHA: add --prune asha`);
    return null;
  }
  return {
    ...prune,
    ...(flags.ashaMinEpochs !== undefined ? { minEpochs: flags.ashaMinEpochs } : {}),
    ...(flags.ashaReductionFactor !== undefined ? { reductionFactor: flags.ashaReductionFactor } : {}),
    ...(flags.ashaGrace !== undefined ? { grace: flags.ashaGrace } : {}),
  };
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The spec file, its flags applied and its trials built and checked: everything before a trial runs. */
function resolveSweep(file: string, flags: SweepFlags): { spec: SweepSpec; trials: Trial[]; dir: string } {
  const read = asUsage(() => readSweepSpec(file));
  const spec: SweepSpec = { ...read, prune: pruneFrom(read, flags) };
  if (spec.prune !== null && !(EPOCH_METRICS as readonly string[]).includes(spec.metric)) {
    throw new UsageError(
      `--prune asha compares trials at each epoch, and metric ${spec.metric} is known only when a trial ends; rank by valAccuracy, valLoss, trainAccuracy or trainLoss`,
    );
  }
  const trials = asUsage(() => buildTrials(spec, file));
  checkTrialOptimizers(trials, file);
  const dir = flags.out ?? path.join('sweeps', path.basename(file).replace(/\.(ya?ml|json)$/i, ''));
  return { spec, trials, dir };
}

/**
 * The optimizer options each trial sets, checked as `descent train` will (an option its optimizer
 * does not take, such as momentum for adam): refused now, not as failed trials later.
 */
function checkTrialOptimizers(trials: readonly Trial[], file: string): void {
  for (const { id, params, job } of trials) {
    if (job.kind !== 'train') continue;
    try {
      checkOptimizerOptions(job.config.optimizer, optimizerOptionsOf(job.config));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(
        `${file}: trial ${id} (${describeParams(params) || 'the base'}): ${error.message}`,
      );
    }
  }
}

/** Stops the trials on Ctrl-C or SIGTERM (their processes get SIGTERM); the sweep can be resumed. */
function closeOnSignals(executor: TrialExecutor): { signal: () => NodeJS.Signals | null; remove(): void } {
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    received = signal;
    void executor.close();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    signal: () => received,
    remove() {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}

/** The human summary: counts, the best trial and the command line that reruns it. */
function printSummary(summary: SweepSummary, spec: SweepSpec, trials: readonly Trial[], dir: string): void {
  const counts = Object.entries(summary.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  console.log(`sweep ${dir}: ${summary.results.length} trials (${counts})`);
  if (summary.best === null) {
    console.log(`no trial has a ${spec.metric}`);
    return;
  }
  const { result, value } = summary.best;
  console.log(`best: ${result.trialId} with ${spec.metric} ${value} (${result.runDir})`);
  const trial = trials.find((t) => t.id === result.trialId);
  if (trial?.job.kind === 'train') console.log(trainCommandLine(trial.job.config));
}

/** The --json summary line. */
function summaryRecord(summary: SweepSummary, spec: SweepSpec, trials: readonly Trial[], dir: string) {
  const best = summary.best;
  const trial = best && trials.find((t) => t.id === best.result.trialId);
  return {
    final: true,
    dir,
    trials: summary.results.length,
    ran: summary.ran,
    counts: summary.counts,
    metric: spec.metric,
    mode: spec.mode,
    best:
      best === null
        ? null
        : {
            trialId: best.result.trialId,
            params: best.result.params,
            value: best.value,
            runDir: best.result.runDir,
            ...(trial?.job.kind === 'train' ? { command: trainCommandLine(trial.job.config) } : {}),
          },
  };
}

async function runSweepCommand(file: string, flags: SweepFlags): Promise<void> {
  const { spec, trials, dir } = resolveSweep(file, flags);
  // Where the trials run, checked before the sweep directory is made and locked.
  const where = queueOptions(flags);
  if (where.queue !== undefined) checkQueueUrl(where.queue);
  fs.mkdirSync(dir, { recursive: true });
  const lock = acquireRunLock({ dir, flag: '--out' });
  let executor: TrialExecutor;
  try {
    // The children run the CLI this process runs (the script node was started with).
    executor = await executorFor({
      dir,
      ...where,
      ...(process.argv[1] !== undefined ? { cli: process.argv[1] } : {}),
    });
  } catch (error) {
    lock.release(); // --queue without bullmq installed, for one
    throw error;
  }
  const signals = closeOnSignals(executor);
  const progress = sweepProgress({ total: trials.length, metric: spec.metric });
  const onEvent = (event: SweepEvent) => {
    if (flags.json) {
      if (event.type === 'end') console.log(JSON.stringify(event.result));
      return;
    }
    const line = progress.line(event);
    if (line !== null) process.stderr.write(`${line}\n`);
  };
  try {
    const summary = await asyncUsage(() => runSweep({ dir, spec, trials, executor, onEvent }));
    if (flags.json) console.log(JSON.stringify(summaryRecord(summary, spec, trials, dir)));
    else printSummary(summary, spec, trials, dir);
  } catch (error) {
    const signal = signals.signal();
    if (!(error instanceof TrialAbortedError) || signal === null) throw error;
    process.stderr.write(
      `descent: sweep stopped by ${signal}; finished trials are in ${path.join(dir, 'sweep.jsonl')}; run the same command to continue\n`,
    );
    process.exitCode = signal === 'SIGINT' ? 130 : 143;
  } finally {
    signals.remove();
    await executor.close();
    lock.release();
  }
}

/**
 * Where trials run: local processes (`--workers`, one per core by default), or the queue at `--queue`
 * (`--workers` then caps the trials on the queue at once; default 16, as many as workers may come).
 */
function queueOptions(flags: SweepFlags): Pick<ExecutorOptions, 'workers' | 'queue' | 'attempts' | 'log'> {
  if (flags.queue === undefined) {
    if (flags.attempts !== undefined) throw new UsageError('--attempts applies to --queue only');
    return { workers: flags.workers ?? os.availableParallelism() };
  }
  return {
    queue: flags.queue,
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
    ...(flags.attempts !== undefined ? { attempts: flags.attempts } : {}),
    log: (line) => process.stderr.write(`descent sweep: ${line}\n`),
  };
}

async function asyncUsage<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

export function sweepCommand(): Command {
  const cmd = new Command('sweep')
    .description('run a hyperparameter sweep (a YAML or JSON spec) as descent train trials; resumable')
    .argument('<spec>', 'the sweep spec: base settings, grid and random axes, metric, mode (see README)')
    .option('--out <dir>', 'the sweep directory (default sweeps/<spec name>); rerun to resume it')
    .option(
      '--workers <n>',
      'trials at once, each on one thread (default: one per core)',
      parseCountIn(1, MAX_WORKERS),
    )
    .option('--json', 'print JSON lines: one per finished trial, then a summary')
    .addOption(
      new Option(
        '--prune <method>',
        'stop hopeless trials early: asha or none (default: the spec’s, else none)',
      ).argParser(parseChoice(['asha', 'none'])),
    )
    .option('--asha-min-epochs <n>', 'ASHA: the first rung, in epochs (default 1)', parseCountIn(1, 100_000))
    .option(
      '--asha-reduction-factor <n>',
      'ASHA: η, each rung keeps the top 1/η of its results (default 3)',
      parseCountIn(2, 1000),
    )
    .option(
      '--asha-grace <n>',
      'ASHA: a rung prunes nothing until it holds n results (default 0)',
      parseCountIn(0, 100_000),
    )
    .option(
      '--queue <url>',
      'run the trials on descent worker processes through Redis (redis:// or rediss://)',
    )
    .option(
      '--attempts <n>',
      'with --queue: starts of a trial whose worker died, before it counts as failed (default 3)',
      parseCountIn(1, 100),
    )
    .action(async (file: string, flags: SweepFlags) => runSweepCommand(file, flags));
  // Subcommands of `descent sweep` (such as `sweep report DIR`) are added here.
  cmd.addCommand(sweepReportCommand());
  return cmd;
}
