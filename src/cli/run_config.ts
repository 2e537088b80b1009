/**
 * The configuration of a training run: every `descent train` flag has a key here (camelCased), a
 * `--config FILE` JSON may set any of them, and flags given on the command line override the file.
 * The defaults are the course's network: 784-100-100-100-10, sigmoid, batch normalization, Adam.
 */
import { MAX_WORKERS } from '../backend/wasm/threads_protocol.js';
import { FormatError } from '../io/format_error.js';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { UsageError } from './exit_codes.js';
import { OPTIMIZER_FLAGS } from './optimizer_flags.js';

export { UsageError } from './exit_codes.js';

export const ARCHS = ['mlp', 'lenet5', 'resnet', 'densenet', 'plain'] as const;
export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'leakyRelu', 'elu', 'gelu'] as const;
export const INITS = [
  'default',
  'little-random',
  'random',
  'xavier',
  'he',
  'kaiming',
  'lecun',
  'orthogonal',
] as const;
export const SCHEDULES = [
  'none',
  'step',
  'multistep',
  'exponential',
  'cosine',
  'onecycle',
  'poly',
  'plateau',
] as const;
export const BUNDLED = ['mnist', 'fashion-mnist'] as const;
export const SYNTHETIC = ['spirals', 'moons', 'circles', 'xor', 'blobs'] as const;
export const BACKENDS = ['reference', 'wasm'] as const;

export interface RunConfig {
  /** mnist, fashion-mnist, a synthetic set, or a path to an IDX images file or a CSV file. */
  data: string;
  /** IDX labels file (with an IDX --data). */
  labels?: string;
  /** Held-out test data (IDX images or CSV); without it, user data is split 80/20. */
  testData?: string;
  testLabels?: string;
  /** CSV label column (name or 0-based index; default the last column). */
  labelColumn?: string;
  /** Standardize each feature with the training set's mean and std (the course's advice). */
  standardize: boolean;
  /** Fraction of the training set held out for validation (0: none). */
  validation: number;
  arch: (typeof ARCHS)[number];
  hidden: number[];
  /** Default: sigmoid for mlp (the course's network), relu otherwise. */
  activation?: (typeof ACTIVATIONS)[number];
  init: (typeof INITS)[number];
  batchNorm: boolean;
  dropout: number;
  inputDropout: number;
  /** resnet/plain depth (6n + 2) and base width. */
  depth: number;
  width: number;
  optimizer: string;
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  lrDecay?: number;
  initialAccumulatorValue?: number;
  alpha?: number;
  centered?: boolean;
  rho?: number;
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
  /** A schedule name, optionally with options: 'step:stepSize=2,gamma=0.5'. */
  schedule: string;
  /** Linear warmup steps in front of the schedule. */
  warmup: number;
  l1: number;
  l2: number;
  clipNorm?: number;
  /** Patience of early stopping on the validation loss (restoring the best weights); 0: off. */
  earlyStopping: number;
  epochs: number;
  batchSize: number;
  seed: number;
  out?: string;
  backend?: (typeof BACKENDS)[number];
  /** Threads of the wasm backend; one per core when absent. */
  threads?: number;
  lang: 'en' | 'zh';
}

/** The most threads the wasm backend takes: the calling one and its helpers. */
const MAX_THREADS = MAX_WORKERS + 1;

export const DEFAULTS: RunConfig = {
  data: 'mnist',
  standardize: false,
  validation: 0.1,
  arch: 'mlp',
  hidden: [100, 100, 100],
  init: 'default',
  batchNorm: true,
  dropout: 0,
  inputDropout: 0,
  depth: 8,
  width: 8,
  optimizer: 'adam',
  schedule: 'none',
  warmup: 0,
  l1: 0,
  l2: 0,
  earlyStopping: 0,
  epochs: 3,
  batchSize: 64,
  seed: 0,
  lang: 'en',
};

export const CONFIG_KEYS = [
  ...Object.keys(DEFAULTS),
  'labels',
  'testData',
  'testLabels',
  'labelColumn',
  'activation',
  'clipNorm',
  'out',
  'backend',
  'threads',
  ...OPTIMIZER_FLAGS.map(([name]) => name),
];

function choice<T extends string>(key: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new UsageError(`${key} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function number(key: string, value: unknown, check: (n: number) => boolean, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`${key} must be ${what}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Reads a --config JSON file: an object whose keys are RunConfig keys. */
export function readConfigFile(file: string): Partial<RunConfig> {
  let text: string;
  try {
    // A regular file of at most 1 MiB: never a device, FIFO or pseudo file system that reads forever.
    text = readRegularFile(file, {
      maxBytes: READ_LIMITS.config,
      what: 'readConfigFile',
      name: `--config ${file}`,
    }).toString('utf8');
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      `--config ${file}: expected a JSON object of settings such as {"epochs": 5, "optimizer": "sgd"}`,
    );
  }
  for (const k of Object.keys(parsed)) {
    if (!CONFIG_KEYS.includes(k)) {
      throw new UsageError(`--config ${file}: unknown key '${k}'; accepted: ${CONFIG_KEYS.join(', ')}`);
    }
  }
  return parsed as Partial<RunConfig>;
}

/** Defaults ← config file ← flags, then every value checked. */
export function resolveConfig(fromFile: Partial<RunConfig>, flags: Partial<RunConfig>): RunConfig {
  const c = { ...DEFAULTS, ...fromFile } as RunConfig;
  for (const [k, v] of Object.entries(flags))
    if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  choice('arch', c.arch, ARCHS);
  if (c.activation !== undefined) choice('activation', c.activation, ACTIVATIONS);
  choice('init', c.init, INITS);
  choice('optimizer', c.optimizer, OPTIMIZER_NAMES);
  choice('lang', c.lang, ['en', 'zh']);
  if (c.backend !== undefined) choice('backend', c.backend, BACKENDS);
  if (c.threads !== undefined)
    number(
      'threads',
      c.threads,
      (n) => Number.isInteger(n) && n >= 1 && n <= MAX_THREADS,
      `an integer from 1 to ${MAX_THREADS}`,
    );
  const scheduleName = c.schedule.split(':')[0]!;
  choice('schedule', scheduleName, SCHEDULES);
  number('epochs', c.epochs, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  number('batchSize', c.batchSize, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  number('seed', c.seed, Number.isSafeInteger, 'an integer');
  number('validation', c.validation, (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  number('dropout', c.dropout, (n) => n >= 0 && n < 1, 'a probability in [0, 1)');
  number('inputDropout', c.inputDropout, (n) => n >= 0 && n < 1, 'a probability in [0, 1)');
  number('l1', c.l1, (n) => n >= 0, 'non-negative');
  number('l2', c.l2, (n) => n >= 0, 'non-negative');
  number('warmup', c.warmup, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  number('earlyStopping', c.earlyStopping, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  number(
    'depth',
    c.depth,
    (n) => Number.isInteger(n) && n >= 8 && (n - 2) % 6 === 0,
    'of the form 6n + 2 (8, 14, 20, …)',
  );
  number('width', c.width, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  if (c.clipNorm !== undefined) number('clipNorm', c.clipNorm, (n) => n > 0, 'positive');
  if (!Array.isArray(c.hidden) || !c.hidden.every((h) => Number.isInteger(h) && h > 0)) {
    throw new UsageError(
      `hidden must be a list of positive integers such as 100,100,100, got ${JSON.stringify(c.hidden)}`,
    );
  }
  if (c.earlyStopping > 0 && c.validation === 0) {
    throw new UsageError('earlyStopping needs a validation split (validation > 0) to monitor');
  }
  if (scheduleName === 'plateau' && c.validation === 0) {
    throw new UsageError("schedule 'plateau' watches the validation loss: set validation > 0");
  }
  return c;
}

/** The optimizer options a config sets (only those given). */
export function optimizerOptionsOf(c: RunConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name] of OPTIMIZER_FLAGS) if (c[name] !== undefined) out[name] = c[name];
  return out;
}
