/**
 * One trial in one child process: `node <cli> train --config <dir>/.trial_config.json --out <dir>
 * --json --threads 1 --overwrite` (or `node <cli> experiment NAME --seed S --json --out <dir> …`), spawned
 * without a shell from an argument array. A child process, and not a call in this process, because
 * then a trial's numbers are those of the same configuration run alone (same seed, same bits), a crash
 * or a kill never takes the sweep down, and ASHA prunes a trial by stopping its process.
 *
 * The child's `--json` lines are read as they come: each epoch record goes to `hooks.onEpoch` (in
 * order, one verdict awaited at a time); a `prune` verdict stops the child with SIGTERM and the trial
 * ends `pruned` with the epochs it reported. How the child exited says how the trial ended (the CLI's
 * exit-code contract, src/cli/exit_codes.ts):
 *
 * | the child | the trial |
 * | --- | --- |
 * | exit 0 | `completed` or `stopped` (early stopping), from the final record |
 * | exit 3 | `diverged`, with the CLI's message |
 * | exit 2 (bad input) or 1 (a bug) | `failed`, with the CLI's message: it would fail again |
 * | stopped by our SIGTERM after `prune` | `pruned` |
 * | killed by a signal we did not send | `TrialKilledError` is thrown: the caller decides whether to retry |
 * | `signal` aborted | the child is stopped and `TrialAbortedError` is thrown: the sweep is closing |
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunConfig, usesWasmThreads } from '../run/config_schema.js';
import type { EpochRecord, FinalRecord } from '../run/records.js';
import type { Trial, TrialHooks, TrialJob, TrialResult, TrialStatus } from './types.js';

export interface TrialProcessSpec {
  trial: Trial;
  /** The trial's run directory (created if missing); the child writes its run there and nowhere else. */
  runDir: string;
  hooks: TrialHooks;
  /** Aborting stops the child (SIGTERM) and rejects with `TrialAbortedError`. */
  signal?: AbortSignal;
  /**
   * The `descent` CLI script that node runs. Default: this package's `bin/descent.js`. The sweep
   * command passes its own script (`process.argv[1]`), so that trials run the very CLI the sweep runs.
   */
  cli?: string;
  /** `runDir` as the result names it: relative to the sweep directory (default `trials/<id>`). */
  resultDir?: string;
  /** Who runs it, for the result (default `local`). */
  worker?: string;
  /** Which start this is, for the result (default 1). */
  attempt?: number;
}

/** The child died of a signal this runner did not send (kill -9, out of memory): maybe worth a retry. */
export class TrialKilledError extends Error {
  override name = 'TrialKilledError';
  constructor(
    readonly trialId: string,
    readonly signal: NodeJS.Signals | null,
    readonly epochs: readonly EpochRecord[],
  ) {
    super(`trial ${trialId}: its process was killed by ${signal ?? 'an unknown signal'}`);
  }
}

/** The caller aborted the trial (the sweep is closing): its process was stopped, nothing to record. */
export class TrialAbortedError extends Error {
  override name = 'TrialAbortedError';
  constructor(readonly trialId: string) {
    super(`trial ${trialId}: aborted`);
  }
}

/** This package's CLI script: `bin/descent.js`, two folders up from src/sweep/ and dist/sweep/. */
export function packageCliScript(): string {
  return fileURLToPath(new URL('../../bin/descent.js', import.meta.url));
}

/** How long a child may take to leave after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 10_000;
/** The most of a child's stderr kept for a failure message (its last characters). */
const STDERR_KEEP = 64 * 1024;

/**
 * The file a train trial's child reads with `--config`: a dot-file, because a run directory refuses
 * any other file that is not a run's (the run then writes its own config.json next to it, with `out`).
 */
export const TRIAL_CONFIG_FILE = '.trial_config.json';

/**
 * The text of TRIAL_CONFIG_FILE: the whole configuration but `out` and `threads`, which the command
 * line sets (the run directory and one thread per trial).
 */
export function trialConfigText(config: RunConfig): string {
  const { out: _out, threads: _threads, ...rest } = config;
  return `${JSON.stringify(rest, null, 2)}\n`;
}

/** The child's arguments after the CLI script, for a job run in `runDir`. */
export function trialArgs(job: TrialJob, runDir: string): string[] {
  if (job.kind === 'train') {
    const configFile = path.join(runDir, TRIAL_CONFIG_FILE);
    // --threads contradicts --backend reference or webgpu (the CLI refuses it); they take no wasm threads.
    const threads = usesWasmThreads(job.config.backend) ? ['--threads', '1'] : [];
    return ['train', '--config', configFile, '--out', runDir, '--json', ...threads, '--overwrite'];
  }
  const args = ['experiment', job.experiment, '--seed', String(job.seed), '--json', '--out', runDir];
  // One thread per trial, as for train: the pool or the worker runs one trial per core.
  if (usesWasmThreads(job.options.backend) && job.options.threads === undefined) args.push('--threads', '1');
  for (const [key, value] of Object.entries(job.options)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (value === true) args.push(flag);
    else if (value === false) args.push(`--no-${flag.slice(2)}`);
    else args.push(flag, Array.isArray(value) ? value.join(',') : String(value));
  }
  return args;
}

/** What the child said and how it left. */
interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one trial in a child process and resolves with its result once the child has exited (see the
 * table above for how it ended). Rejects with `TrialKilledError` or `TrialAbortedError` only.
 */
export async function runTrialProcess(spec: TrialProcessSpec): Promise<TrialResult> {
  const { trial, runDir } = spec;
  const started = Date.now();
  fs.mkdirSync(runDir, { recursive: true });
  if (trial.job.kind === 'train') {
    fs.writeFileSync(path.join(runDir, TRIAL_CONFIG_FILE), trialConfigText(trial.job.config));
  }
  const watch = epochWatcher(trial.id, spec.hooks);
  const outcome = await runChild(spec, watch);
  await watch.settled();
  if (watch.aborted) throw new TrialAbortedError(trial.id);
  const status = statusOf(outcome, watch.pruned);
  if (status === null) throw new TrialKilledError(trial.id, outcome.signal, watch.epochs);
  const final = status === 'pruned' ? undefined : watch.final;
  const message = status === 'failed' || status === 'diverged' ? errorMessage(outcome) : undefined;
  return {
    trialId: trial.id,
    status,
    params: trial.params,
    epochs: watch.epochs,
    ...(final ? { final } : {}),
    ...(trial.job.kind === 'experiment' && status !== 'failed'
      ? { experiment: parseExperiment(outcome.stdout) }
      : {}),
    ...(message !== undefined ? { error: message } : {}),
    runDir: spec.resultDir ?? path.posix.join('trials', trial.id),
    worker: spec.worker ?? 'local',
    attempts: spec.attempt ?? 1,
    wallSeconds: (Date.now() - started) / 1000,
  };
}

/** The trial's status from how its child ended, or null when a signal we did not send killed it. */
function statusOf(outcome: ChildOutcome, pruned: boolean): TrialStatus | null {
  if (pruned) return 'pruned';
  if (outcome.signal !== null) return null;
  if (outcome.code === 3) return 'diverged';
  if (outcome.code !== 0) return 'failed';
  const final = lastFinal(outcome.stdout);
  if (final === undefined) return outcome.stdout.trim() === '' ? 'failed' : 'completed';
  return final.status === 'stopped' ? 'stopped' : final.status === 'diverged' ? 'diverged' : 'completed';
}

function lastFinal(stdout: string): FinalRecord | undefined {
  let final: FinalRecord | undefined;
  for (const line of stdout.split('\n')) {
    const record = parseLine(line);
    if (record !== undefined && 'final' in record) final = record;
  }
  return final;
}

/** The CLI's message without its prefix ("error: …", "descent: …"), or the end of a bug report. */
function errorMessage(outcome: ChildOutcome): string {
  const text = outcome.stderr.trim();
  if (text === '') {
    return outcome.code === 0
      ? 'the trial printed no final record'
      : `the trial exited with code ${outcome.code} and printed nothing`;
  }
  const lines = text.split('\n').filter((l) => !l.startsWith('warning: '));
  const message = lines.find((l) => /^(error|descent): /.test(l)) ?? lines[0] ?? text;
  return message.replace(/^(error|descent): /, '');
}

function parseExperiment(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return stdout.split('\n').flatMap((l) => {
      const r = parseLine(l);
      return r === undefined ? [] : [r];
    });
  }
}

/** A `--json` line as a record, or undefined for anything else. */
function parseLine(line: string): EpochRecord | FinalRecord | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value.final === true) return value as unknown as FinalRecord;
    if (typeof value.epoch === 'number') return value as unknown as EpochRecord;
  } catch {
    // Not a record: the CLI prints only JSON on stdout with --json, so this is not ours to read.
  }
  return undefined;
}

interface EpochWatcher {
  epochs: EpochRecord[];
  final: FinalRecord | undefined;
  pruned: boolean;
  aborted: boolean;
  /** Reads one stdout line; `stop` ends the child (called at most once, on prune). */
  line(text: string, stop: () => void): void;
  /** Resolves when every verdict asked for has come back. */
  settled(): Promise<void>;
}

/**
 * Hands the epoch records to `hooks.onEpoch` one at a time, in order, and stops the child on the
 * first `prune`: records after it (the child may finish another epoch meanwhile) are not the trial's.
 */
function epochWatcher(trialId: string, hooks: TrialHooks): EpochWatcher {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  const watcher: EpochWatcher = {
    epochs: [],
    final: undefined,
    pruned: false,
    aborted: false,
    line(text, stop) {
      const record = parseLine(text);
      if (record === undefined || watcher.pruned) return;
      if ('final' in record) {
        watcher.final = record;
        return;
      }
      chain = chain.then(async () => {
        if (watcher.pruned || watcher.aborted) return;
        watcher.epochs.push(record);
        try {
          const verdict = await hooks.onEpoch({ trialId, record });
          if (verdict === 'prune' && !watcher.pruned) {
            watcher.pruned = true;
            stop();
          }
        } catch (error) {
          failure ??= error;
        }
      });
    },
    async settled() {
      await chain;
      if (failure !== undefined) throw failure;
    },
  };
  return watcher;
}

/** Spawns the child, feeds its stdout lines to `watch`, and resolves once it has exited. */
function runChild(spec: TrialProcessSpec, watch: EpochWatcher): Promise<ChildOutcome> {
  const args = [spec.cli ?? packageCliScript(), ...trialArgs(spec.trial.job, spec.runDir)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => {
      watch.aborted = true;
      stop();
    };
    if (spec.signal?.aborted) onAbort();
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        watch.line(pending.slice(0, nl), stop);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (pending !== '') watch.line(pending, stop);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
