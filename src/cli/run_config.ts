/**
 * The configuration of a training run: every `descent train` flag has a key here (camelCased), a
 * `--config FILE` JSON may set any of them, and flags given on the command line override the file.
 * Keys, types, bounds and defaults live in one zod schema (run/config_schema.ts); this file reads a
 * configuration file, merges defaults ← file ← flags, and turns every problem into one `UsageError`.
 */
import { FormatError } from '../io/format_error.js';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import {
  CONFIG_KEYS,
  type ConfigKey,
  formatIssues,
  partialConfigSchema,
  type RunConfig,
  runConfigSchema,
} from '../run/config_schema.js';
import { checkBatchNormBatches as checkBatches, relationProblem } from '../run/run_config.js';
import { UsageError } from './exit_codes.js';
import { kebab, optimizerOptionsFrom } from './optimizer_flags.js';

export {
  ACTIVATIONS,
  ARCHS,
  BACKENDS,
  BUNDLED,
  CONFIG_KEYS,
  DEFAULTS,
  INITS,
  type RunConfig,
  SCHEDULES,
  SYNTHETIC,
} from '../run/config_schema.js';
export { UsageError } from './exit_codes.js';

/**
 * Runs `f`, turning the `FormatError` of a library check of the configuration or data (src/run) into
 * the CLI's `UsageError` (exit code 2), message unchanged.
 */
export function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Reads a configuration file: a JSON object whose keys are RunConfig keys, each checked against the
 * schema. Every bad key is reported at once, in one `UsageError` that names the file. `source` is how
 * messages introduce the file: `--config FILE` by default; a resumed run's `config.json` is named by
 * its path.
 */
export function readConfigFile(file: string, source = `--config ${file}`): Partial<RunConfig> {
  let text: string;
  try {
    // A regular file of at most 1 MiB: never a device, FIFO or pseudo file system that reads forever.
    text = readRegularFile(file, {
      maxBytes: READ_LIMITS.config,
      what: 'readConfigFile',
      name: source,
    }).toString('utf8');
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
  return parseConfigText(text, source);
}

/** Parses and checks the text of a configuration file (see readConfigFile). */
export function parseConfigText(text: string, source: string): Partial<RunConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      `${source}: expected a JSON object of settings such as {"epochs": 5, "optimizer": "sgd"}`,
    );
  }
  const result = partialConfigSchema.safeParse(parsed);
  if (!result.success) {
    throw new UsageError(
      `${source}: ${formatIssues(result.error.issues, parsed as Record<string, unknown>)}`,
    );
  }
  return result.data as Partial<RunConfig>;
}

/** Keys that only some architectures use: given as a flag to another, they would be ignored. */
const ARCH_KEYS: Partial<Record<ConfigKey, readonly RunConfig['arch'][]>> = {
  hidden: ['mlp'],
  batchNorm: ['mlp'],
  dropout: ['mlp'],
  inputDropout: ['mlp'],
  residual: ['mlp'],
  activation: ['mlp', 'lenet5'],
  depth: ['resnet', 'plain'],
  width: ['resnet', 'plain'],
};

/** The relations between keys that the per-key schema cannot express; each one refused by name. */
function checkRelations(c: RunConfig, flags: Partial<RunConfig>, nameOf: (key: string) => string): void {
  for (const [key, archs] of Object.entries(ARCH_KEYS)) {
    if (flags[key as ConfigKey] !== undefined && !archs.includes(c.arch)) {
      throw new UsageError(
        `${nameOf(key)} applies to --arch ${archs.join(' and ')} only; --arch ${c.arch} would ignore it`,
      );
    }
  }
  const problem = relationProblem(c, nameOf);
  if (problem !== null) throw new UsageError(problem);
}

/**
 * Defaults ← configuration file ← flags, then the whole checked against the schema: every bad key is
 * reported at once, flags by their flag name (`--batch-size`), other keys by their key.
 */
export function resolveConfig(fromFile: Partial<RunConfig>, flags: Partial<RunConfig>): RunConfig {
  // Commander refuses unknown flags, so a flag key the schema lacks is a command passing on one of its
  // own flags (such as --json): a bug, not bad input.
  const strays = Object.keys(flags).filter((k) => !(CONFIG_KEYS as string[]).includes(k));
  if (strays.length > 0) {
    throw new Error(`resolveConfig: flags ${strays.join(', ')} are not configuration keys`);
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  const nameOf = (key: string) =>
    (flags as Record<string, unknown>)[key] !== undefined ? `--${kebab(key)}` : key;
  const result = runConfigSchema.safeParse(merged);
  if (!result.success) throw new UsageError(formatIssues(result.error.issues, merged, nameOf));
  checkRelations(result.data, flags, nameOf);
  return result.data;
}

/**
 * Keys that only shape a training run (how long, when to stop, how the learning rate moves). A command
 * that reads a run's configuration without training it (`eval --run`, `lr-find --config`) drops them:
 * kept, they would be checked against the validation split those commands turn off, and a valid run
 * such as one with early stopping would be refused.
 */
const TRAINING_RUN_KEYS = ['earlyStopping', 'schedule', 'warmup', 'epochs', 'switchEpoch'] as const;

/**
 * The configuration of a command that evaluates or sweeps rather than trains: `base` (a run's or a
 * `--config` file's settings) without its training-only keys, under `flags`, with no validation split
 * (every training sample counts). Resolved and checked like a training configuration otherwise.
 */
export function evaluationConfig(base: Partial<RunConfig>, flags: Partial<RunConfig>): RunConfig {
  const kept: Record<string, unknown> = { ...base };
  for (const key of TRAINING_RUN_KEYS) delete kept[key];
  return resolveConfig(kept as Partial<RunConfig>, { ...flags, validation: 0 });
}

/**
 * Batch normalization cannot train on one sample per batch: refused before training (see
 * run/run_config.ts). `trainSamples` is the training set's size after the validation split.
 */
export function checkBatchNormBatches(c: RunConfig, trainSamples: number): void {
  asUsage(() => checkBatches(c, trainSamples));
}

/** The optimizer options a config sets (only those given), read through the flag table like the flags. */
export function optimizerOptionsOf(c: RunConfig): Record<string, unknown> {
  return optimizerOptionsFrom(c);
}
