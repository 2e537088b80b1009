/**
 * Checking a run configuration (browser-safe): `parseRunConfig` turns a plain object — a lab form, a
 * `--config` file's JSON, a run's `config.json` — into a `RunConfig`, with the schema's defaults for
 * the keys it lacks, and refuses every bad key at once in one `FormatError`. The relations between keys
 * that the per-key schema cannot express are checked here too, for every caller alike; the CLI adds its
 * own flag rules on top (cli/run_config.ts).
 */
import { FormatError } from '../io/format_error.js';
import { checkOptions } from '../util/options.js';
import { switchProblem } from './adam_to_sgd_config.js';
import { formatIssues, type RunConfig, runConfigSchema } from './config_schema.js';

/** How a message names a key: `epochs` by default; the CLI names the ones given as flags `--epochs`. */
export type KeyNamer = (key: string) => string;

const byKey: KeyNamer = (key) => key;

export interface ParseRunConfigOptions {
  /** Where the value came from, which every message starts with (default 'run config'). */
  source?: string;
  /** How messages name keys (default: by key). */
  nameOf?: KeyNamer;
}

/**
 * The `RunConfig` a plain object describes: its keys checked against the schema (unknown keys refused,
 * every problem reported at once), the defaults filled in, and the relations between keys checked.
 * Throws a `FormatError` naming the source and each bad key with what it accepts.
 *
 * @example
 * const config = parseRunConfig({ data: 'spirals', hidden: [16, 16], epochs: 5 });
 * config.optimizer; // 'adam' (the default)
 */
export function parseRunConfig(value: unknown, options: ParseRunConfigOptions = {}): RunConfig {
  checkOptions('parseRunConfig', options, { source: true, nameOf: true });
  const source = options.source ?? 'run config';
  const nameOf = options.nameOf ?? byKey;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FormatError(
      source,
      `${source}: expected an object of settings such as {"epochs": 5, "optimizer": "sgd"}`,
    );
  }
  const result = runConfigSchema.safeParse(value);
  if (!result.success) {
    const clauses = formatIssues(result.error.issues, value as Record<string, unknown>, nameOf);
    throw new FormatError(source, `${source}: ${clauses}`);
  }
  const problem = relationProblem(result.data, nameOf);
  if (problem !== null) throw new FormatError(source, `${source}: ${problem}`);
  return result.data;
}

/**
 * What is wrong between the keys of a schema-checked configuration, or null: a setting that another
 * one makes meaningless (threads on the reference backend) or impossible (early stopping or a plateau
 * schedule without a validation split).
 */
export function relationProblem(c: RunConfig, nameOf: KeyNamer = byKey): string | null {
  if (c.threads !== undefined && (c.backend === 'reference' || c.backend === 'webgpu')) {
    return `${nameOf('threads')} sets the WebAssembly backend's threads; ${nameOf('backend')} ${c.backend} would ignore it`;
  }
  if (c.residual && c.arch !== 'mlp') {
    return `${nameOf('residual')} adds skip connections to the mlp only; arch ${c.arch} has its own (resnet) or none`;
  }
  const switching = switchProblem(c, nameOf);
  if (switching !== null) return switching;
  if (c.earlyStopping > 0 && c.validation === 0) {
    return 'earlyStopping needs a validation split (validation > 0) to monitor';
  }
  if (c.schedule.split(':')[0] === 'plateau' && c.validation === 0) {
    return "schedule 'plateau' watches the validation loss: set validation > 0";
  }
  return null;
}

/** A batch size near `batchSize` whose last batch of `samples` does not hold exactly one sample. */
function batchSizeWithoutSingleton(samples: number, batchSize: number): number {
  let b = batchSize + 1;
  while (b < samples && samples % b === 1) b++;
  return b;
}

/**
 * Batch normalization cannot train on one sample per batch (the batch variance is undefined; PyTorch
 * refuses it too). A batch size of 1, or a last, partial batch of one sample, would stop the run in
 * the middle of an epoch with a library error: refused before training (a `FormatError`), with the
 * numbers and the ways out. `trainSamples` is the training set's size after the validation split.
 */
export function checkBatchNormBatches(c: RunConfig, trainSamples: number): void {
  if (c.arch !== 'mlp' || !c.batchNorm) return;
  const source = 'run config';
  if (c.batchSize === 1 || trainSamples === 1) {
    throw new FormatError(
      source,
      `--batch-size ${c.batchSize}: batch normalization needs at least 2 samples per batch, and the training set has ${trainSamples}; use a larger batch and training set, or --no-batch-norm`,
    );
  }
  if (trainSamples % c.batchSize === 1) {
    throw new FormatError(
      source,
      `--batch-size ${c.batchSize}: the ${trainSamples} training samples leave a last batch of 1 sample, which batch normalization cannot train on; use --batch-size ${batchSizeWithoutSingleton(trainSamples, c.batchSize)}, or --no-batch-norm`,
    );
  }
}
