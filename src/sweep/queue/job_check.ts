/**
 * What a worker accepts from the queue. Anyone who can write to Redis can add a job, so a worker
 * treats a job as outside input: it runs only a `descent train` configuration that the CLI's own
 * schema accepts (parseRunConfig: every key known, typed and bounded) and that names no file (the data
 * is a bundled or synthetic set; the worker chooses the run directory), or a `descent experiment` by a
 * known name with plain option values. The trial then runs as `node descent.js train --config …` from
 * an argument array, never through a shell. A refused job fails at once with the message, not retried.
 */
import { EXPERIMENTS } from '../../experiments/registry.js';
import { FormatError } from '../../io/format_error.js';
import { BUNDLED, type RunConfig, SYNTHETIC } from '../../run/config_schema.js';
import { parseRunConfig } from '../../run/run_config.js';
import type { Trial, TrialJob } from '../types.js';
import type { TrialJobData } from './protocol.js';

const DATA_SETS: readonly string[] = [...BUNDLED, ...SYNTHETIC];
/** Keys that name files or the run directory: a worker on another machine has none of the sweep's files. */
const PATH_KEYS = ['labels', 'testData', 'testLabels', 'out'] as const;
/** Flags the trial's command line sets itself, or that name paths: never taken from a job. */
const EXPERIMENT_RESERVED = new Set(['out', 'json', 'seed', 'seeds', 'config', 'resume', 'threads']);
const TRIAL_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PLAIN_VALUE = /^[A-Za-z0-9_.,+][A-Za-z0-9_.,:+-]{0,63}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A train job's configuration, checked by the CLI's schema and refused if it names a file. */
function checkTrainConfig(value: unknown, source: string): RunConfig {
  const config = parseRunConfig(value, { source });
  if (!DATA_SETS.includes(config.data)) {
    throw new FormatError(
      source,
      `${source}: data ${JSON.stringify(config.data)} is a file path; a queue worker trains only on ${DATA_SETS.join(', ')} (machines share nothing but Redis)`,
    );
  }
  const pathKey = PATH_KEYS.find((k) => config[k] !== undefined);
  if (pathKey !== undefined) {
    throw new FormatError(
      source,
      `${source}: ${pathKey} names a path; a queue job names none (the worker chooses the run directory)`,
    );
  }
  return config;
}

/** An experiment job: a known experiment, an integer seed, and options of plain values only. */
function checkExperiment(job: Record<string, unknown>, source: string): TrialJob {
  const names = EXPERIMENTS.map((e) => e.name as string);
  if (typeof job.experiment !== 'string' || !names.includes(job.experiment)) {
    throw new FormatError(
      source,
      `${source}: experiment ${JSON.stringify(job.experiment)} is not one of ${names.join(', ')}`,
    );
  }
  if (!Number.isSafeInteger(job.seed) || (job.seed as number) < 0) {
    throw new FormatError(source, `${source}: seed must be a non-negative integer`);
  }
  if (!isObject(job.options)) throw new FormatError(source, `${source}: options must be an object`);
  for (const [key, value] of Object.entries(job.options)) {
    const plain =
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && PLAIN_VALUE.test(value));
    if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(key) || EXPERIMENT_RESERVED.has(key) || !plain) {
      throw new FormatError(
        source,
        `${source}: option ${JSON.stringify(key)} = ${JSON.stringify(value)} is not accepted (plain values only; out, seed, json and paths are the worker's)`,
      );
    }
  }
  return { kind: 'experiment', experiment: job.experiment, options: job.options, seed: job.seed as number };
}

/**
 * The trial a job describes, checked; a FormatError naming the job otherwise. The trial returned is
 * rebuilt from the checked values (a train job's configuration with the schema's defaults filled in).
 */
export function checkJobData(data: unknown, jobId: string): Trial {
  const source = `queue job ${jobId}`;
  if (!isObject(data) || !isObject(data.trial)) {
    throw new FormatError(source, `${source}: expected { sweepId, trial: { id, params, job } }`);
  }
  const { id, params, job } = data.trial as Partial<Trial> & Record<string, unknown>;
  if (typeof id !== 'string' || !TRIAL_ID.test(id)) {
    throw new FormatError(source, `${source}: trial id ${JSON.stringify(id)} is not a plain name`);
  }
  if (!isObject(params)) throw new FormatError(source, `${source}: params must be an object`);
  if (!isObject(job) || (job.kind !== 'train' && job.kind !== 'experiment')) {
    throw new FormatError(source, `${source}: job.kind must be train or experiment`);
  }
  const checked: TrialJob =
    job.kind === 'train'
      ? { kind: 'train', config: checkTrainConfig(job.config, `${source} (trial ${id})`) }
      : checkExperiment(job, `${source} (trial ${id})`);
  return { id, params, job: checked };
}

/** The payload the sweep puts on the queue: the job's configuration without `out` and `threads`. */
export function jobDataOf(sweepId: string, trial: Trial): TrialJobData {
  if (trial.job.kind !== 'train') return { sweepId, trial };
  const { out: _out, threads: _threads, ...config } = trial.job.config;
  return { sweepId, trial: { ...trial, job: { kind: 'train', config: config as RunConfig } } };
}
