/**
 * The shapes a sweep passes between its parts: the sweep process (sampling, ASHA, the sweep
 * directory), the executors that run trials (a local pool of processes, or BullMQ workers on Redis)
 * and the report. Every trial is one `descent train` (or `descent experiment`) run in a child process,
 * so that a trial's numbers are exactly those of the same configuration run alone: same seed, same bits.
 * Node-only (src/sweep/ is reached from src/node.ts and the CLI, never from the browser bundle).
 */

import type { RunConfig } from '../run/config_schema.js';
import type { EpochRecord, FinalRecord } from '../run/records.js';

/** A `descent train` trial: a complete configuration (the spec's base, then the trial's axis values). */
export interface TrainTrialJob {
  kind: 'train';
  config: RunConfig;
}

/** A `descent experiment NAME --seed S` trial: one setting of an experiment over one seed. */
export interface ExperimentTrialJob {
  kind: 'experiment';
  experiment: string;
  /** The experiment's own options, by the CLI flag's camelCased name (validated as the CLI does). */
  options: Record<string, unknown>;
  seed: number;
}

export type TrialJob = TrainTrialJob | ExperimentTrialJob;

/** One point of the sweep: its stable id (the same on every re-run of the same spec), its axis values and its job. */
export interface Trial {
  /** Stable across re-runs of the same spec: `t0000`, `t0001`, … in sampling order. */
  id: string;
  /** The values of the sweep's axes for this trial, by axis name (`lr`, `seed`, `optimizer`, …). */
  params: Record<string, unknown>;
  job: TrialJob;
}

/** How a trial ended. `pruned`: stopped by ASHA; `failed`: it could not run (the message says why). */
export type TrialStatus = 'completed' | 'stopped' | 'diverged' | 'pruned' | 'failed';

/** What a trial reported at the end of one epoch (the line `descent train --json` printed). */
export interface EpochReport {
  trialId: string;
  record: EpochRecord;
}

/** The sweep's verdict after an epoch report: go on, or stop the trial now (ASHA pruned it). */
export type EpochVerdict = 'continue' | 'prune';

export interface TrialHooks {
  /** Called once per finished epoch, in order; `prune` stops the trial, which then ends as `pruned`. */
  onEpoch(report: EpochReport): EpochVerdict | Promise<EpochVerdict>;
}

/** The outcome of one trial, as one line of `sweep.jsonl` and of `descent sweep --json`. */
export interface TrialResult {
  trialId: string;
  status: TrialStatus;
  params: Record<string, unknown>;
  /** Every epoch record, in order (empty for an experiment trial or a trial that failed early). */
  epochs: EpochRecord[];
  /** The final line of `descent train --json` (absent when the trial failed or was pruned). */
  final?: FinalRecord;
  /** An experiment trial's `--json` output. */
  experiment?: unknown;
  /** For `failed` (and `diverged`): the error message, as the CLI printed it. */
  error?: string;
  /** The trial's run directory, relative to the sweep directory (`trials/t0003`). */
  runDir: string;
  /** Who ran it: `local` or the worker's name on the queue. */
  worker: string;
  /** How many times it was started (more than 1 after a worker died mid-trial). */
  attempts: number;
  wallSeconds: number;
}

/**
 * Runs trials: the embedded pool of local processes or the Redis queue. `run` resolves when the trial
 * has ended in any status (it rejects only when the executor itself is broken) with its run directory
 * in place under the sweep directory.
 */
export interface TrialExecutor {
  /** How many trials it runs at once (the sweep keeps that many in flight). */
  readonly slots: number;
  run(trial: Trial, hooks: TrialHooks): Promise<TrialResult>;
  close(): Promise<void>;
}
