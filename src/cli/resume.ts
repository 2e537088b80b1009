/**
 * `descent train --resume DIR`: what a resumed run continues, and everything checked before its first
 * step (README, "--resume"). The rule: **a resumed run continues the saved configuration.** Flags may
 * change only what does not change the training:
 *
 * | may change | why |
 * | --- | --- |
 * | `--epochs` | to extend the run (not below the epochs already trained) |
 * | `--json`, `--lang` | output only |
 * | `--backend`, `--threads` | where the same arithmetic runs (threads are bit-identical; the backends agree to rounding) |
 *
 * Any other flag (or `--config` key) whose value differs from the saved one is refused with exit 2,
 * naming the flag, the saved value and the given one; giving the saved value again is accepted.
 *
 * The state file (`state.safetensors`, a version-2 `TrainingState`) carries a checksum, the
 * configuration it was trained with and a fingerprint of the data (`dataFingerprint`: sample counts,
 * shapes, classes and a CRC-32 of the loaded features and labels of each split), so a resume also
 * refuses a corrupted state, a `config.json` edited since, and data that differ from the run's (another
 * `--data`, or the same file changed). A version-1 state (descent 0.1.0) carries neither: it is resumed
 * with a note on stderr that they could not be checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TensorDataset } from '../data/dataset.js';
import { crc32, crc32Hex } from '../io/crc32.js';
import { FormatError } from '../io/format_error.js';
import { createOptimizer } from '../optim/registry.js';
import { ADAM_TO_SGD } from '../run/adam_to_sgd_config.js';
import { zeros } from '../tensor/creation.js';
import type { TrainingState } from '../train/training_state.js';
import { loadTrainingState } from '../train/training_state_file.js';
import { UsageError } from './exit_codes.js';
import { kebab, OPTIMIZER_FLAGS } from './optimizer_flags.js';
import { optimizerOptionsOf, type RunConfig, readConfigFile, resolveConfig } from './run_config.js';
import type { RunData } from './run_data.js';
import { RUN_FILES } from './run_dir.js';

/** The configuration keys a resumed run may change (see the module comment). */
const RESUME_MUTABLE_KEYS = ['epochs', 'lang', 'backend', 'threads'] as const;
const MUTABLE: ReadonlySet<string> = new Set(RESUME_MUTABLE_KEYS);

/** One split of the data, as a resume compares it. */
type SplitFingerprint = {
  samples: number;
  sampleShape: number[];
  classes: number;
  /** CRC-32 of the features' then the labels' bytes, as loaded (after splitting and standardizing). */
  crc32: string;
};

type DataFingerprint = {
  /** `--data` as given: a bundled or synthetic name, or a file path. */
  data: string;
  train: SplitFingerprint;
  validation: SplitFingerprint | null;
  test: SplitFingerprint;
};

/** What a training state records about its run, for the next resume to check. */
type ResumeContext = {
  config: RunConfig;
  data: DataFingerprint;
};

interface ResumedRun {
  config: RunConfig;
  state: TrainingState;
}

/**
 * Reads and checks the run directory of `--resume DIR`, then applies the flags that may change.
 * `flags` are the configuration keys given on the command line, `configFile` a `--config` file.
 */
export function readResume(dir: string, flags: Partial<RunConfig>, configFile?: string): ResumedRun {
  const configPath = path.join(dir, RUN_FILES.config);
  const statePath = path.join(dir, RUN_FILES.state);
  if (!fs.existsSync(configPath) || !fs.existsSync(statePath)) {
    throw new UsageError(
      `--resume ${dir}: not a run directory (it needs ${RUN_FILES.config} and ${RUN_FILES.state}; a run writes them after its first epoch)`,
    );
  }
  const saved = readConfigFile(configPath, `--resume ${dir}: ${configPath}`);
  let state: TrainingState;
  try {
    state = loadTrainingState(statePath);
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(`--resume ${dir}: ${error.message}`);
    throw error;
  }
  const savedConfig = resolveConfig(saved, {});
  const context = contextOf(state);
  if (context !== null) checkConfigFile(dir, savedConfig, resolveConfig(withoutOut(context.config), {}));
  const given: Record<string, unknown> = {
    ...(configFile === undefined ? {} : readConfigFile(configFile)),
    ...definedOnly(flags),
  };
  const changes = checkGivenFlags(dir, savedConfig, given);
  if (changes.epochs !== undefined && (changes.epochs as number) < state.epoch) {
    throw new UsageError(
      `--resume ${dir}: --epochs ${changes.epochs} is fewer than the ${state.epoch} epochs the run has trained; give at least ${state.epoch} (more to continue it)`,
    );
  }
  const config = resolveConfig(withoutOut(savedConfig), changes);
  config.out = dir;
  return { config, state };
}

/**
 * After the data are loaded: refuses data that differ from the run's (a version-2 state only), and
 * says on stderr when a version-1 state leaves them unchecked.
 */
export function checkResumedData(dir: string, state: TrainingState, data: RunData): void {
  const context = contextOf(state);
  if (context === null) {
    process.stderr.write(
      `note: --resume ${dir}: the state was written by descent 0.1.0 (training state version 1), which recorded neither the data nor the configuration; they are not checked\n`,
    );
    return;
  }
  const now = dataFingerprint(context.data.data, data);
  for (const split of ['train', 'validation', 'test'] as const) {
    const then = context.data[split];
    const current = now[split];
    if (JSON.stringify(then) !== JSON.stringify(current)) {
      throw new UsageError(
        `--resume ${dir}: the ${split} data differ from the run's (${describeSplit(then)} then, ${describeSplit(current)} now); did ${context.data.data} change since the run started?`,
      );
    }
  }
}

/** The context a run's training states carry (see `ResumeContext`). */
export function resumeContext(config: RunConfig, data: RunData): ResumeContext {
  return { config, data: dataFingerprint(config.data, data) };
}

/** A fingerprint of the loaded data: sizes, shapes, classes and a CRC-32 of each split's arrays. */
function dataFingerprint(name: string, data: RunData): DataFingerprint {
  return {
    data: name,
    train: splitFingerprint(data.train),
    validation: data.validation === null ? null : splitFingerprint(data.validation),
    test: splitFingerprint(data.test),
  };
}

function splitFingerprint(d: TensorDataset): SplitFingerprint {
  const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return {
    samples: d.length,
    sampleShape: [...d.sampleShape],
    classes: d.numClasses,
    crc32: crc32Hex(crc32(bytes(d.labels), crc32(bytes(d.features)))),
  };
}

function describeSplit(s: SplitFingerprint | null): string {
  if (s === null) return 'none';
  return `${s.samples} samples of shape [${s.sampleShape.join(', ')}], ${s.classes} classes, crc32 ${s.crc32}`;
}

/** The state's context, or null for a version-1 state (which has none). */
function contextOf(state: TrainingState): ResumeContext | null {
  const c = state.context as Partial<ResumeContext> | null | undefined;
  if (c === null || c === undefined) return null;
  if (typeof c.config !== 'object' || c.config === null || typeof c.data !== 'object' || c.data === null) {
    throw new UsageError(
      'the training state has a context without its configuration and data fingerprint (not written by descent train?)',
    );
  }
  return c as ResumeContext;
}

/** config.json must still say what the state was trained with (it is not checksummed; the state is). */
function checkConfigFile(dir: string, fromFile: RunConfig, fromState: RunConfig): void {
  for (const key of new Set([...Object.keys(fromFile), ...Object.keys(fromState)])) {
    if (MUTABLE.has(key) || key === 'out') continue;
    const a = (fromFile as unknown as Record<string, unknown>)[key];
    const b = (fromState as unknown as Record<string, unknown>)[key];
    if (!sameValue(a, b)) {
      throw new UsageError(
        `--resume ${dir}: ${RUN_FILES.config} says ${key} ${show(a)} but the training state was trained with ${show(b)}; ${RUN_FILES.config} was edited since (restore ${show(b)} to resume)`,
      );
    }
  }
}

/** The given keys that may change; any other key must repeat the saved value. */
function checkGivenFlags(dir: string, saved: RunConfig, given: Record<string, unknown>): Partial<RunConfig> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (MUTABLE.has(key)) {
      changes[key] = value;
      continue;
    }
    if (key === 'out') {
      if (path.resolve(String(value)) === path.resolve(dir)) continue;
      throw new UsageError(
        `--out ${show(value)} cannot be combined with --resume ${dir}: a resumed run writes into its own directory`,
      );
    }
    const before = effectiveValue(saved, key);
    if (!sameValue(before, value)) {
      const unset = (saved as unknown as Record<string, unknown>)[key] === undefined;
      const shown = unset && before !== undefined ? `${show(before)} (unset: the default)` : show(before);
      throw new UsageError(
        `--resume ${dir}: --${kebab(key)} ${show(value)} differs from the run's ${shown}; a resumed run continues its saved configuration (only ${RESUME_MUTABLE_KEYS.map((k) => `--${kebab(k)}`).join(', ')} and --json may change): start a new run with --out to change it`,
      );
    }
  }
  return changes as Partial<RunConfig>;
}

/**
 * What the run trained with for `key`: its saved value, or, for an optimizer option the run left unset,
 * the optimizer's default (what the registry built it with), so that repeating that value (`--lr 0.001`
 * on an Adam run that never set lr) is accepted as the same setting.
 */
function effectiveValue(saved: RunConfig, key: string): unknown {
  const value = (saved as unknown as Record<string, unknown>)[key];
  if (value !== undefined || !OPTIMIZER_KEYS.has(key)) return value;
  const probe = createOptimizer(
    saved.optimizer === ADAM_TO_SGD ? 'adam' : saved.optimizer, // the table's options are Adam's
    [zeros([1], { requiresGrad: true })],
    optimizerOptionsOf(saved),
  );
  return (probe.paramGroups[0] as unknown as Record<string, unknown>)[key];
}

const OPTIMIZER_KEYS: ReadonlySet<string> = new Set(OPTIMIZER_FLAGS.map(({ name }) => name));

function definedOnly(flags: Partial<RunConfig>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}

function withoutOut(config: RunConfig): Partial<RunConfig> {
  const { out: _out, ...rest } = config;
  return rest;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return v === undefined ? '(unset: the default)' : JSON.stringify(v);
}
