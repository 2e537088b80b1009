/**
 * The schema of a training run's configuration (zod): the one place that says which keys a `--config`
 * file, the flags and a run's `config.json` may set, their types, bounds and defaults. `RunConfig` is
 * inferred from it and `DEFAULTS` is what it gives for `{}`. Every key carries a description of what it
 * accepts, which error messages quote; `formatIssues` turns all of a value's problems into one line.
 */
import { z } from 'zod';
import { MAX_WORKERS } from '../backend/wasm/threads_protocol.js';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { ADAM_TO_SGD } from './adam_to_sgd_config.js';
import { RUN_LIMITS as LIMITS } from './limits.js';
import {
  OPTIMIZER_OPTIONS,
  type OptimizerOptionKind,
  type OptimizerOptionName,
} from './optimizer_options.js';

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
/** A run's backend; webgpu and auto (WebGPU, else wasm) as in registry.ts's BACKEND_NAMES. */
export const BACKENDS = ['reference', 'wasm', 'webgpu', 'auto'] as const;
/**
 * Whether a run on `backend` (absent: the default, wasm) takes `--threads`: reference and webgpu have
 * no wasm threads and the CLI refuses the flag with them; auto may fall back to wasm, so it takes it.
 */
export function usesWasmThreads(backend: unknown): boolean {
  return backend !== 'reference' && backend !== 'webgpu';
}
/** The optimizers a run may name: the registry's, and `adam-to-sgd` (run/adam_to_sgd_config.ts). */
export const RUN_OPTIMIZERS = [...OPTIMIZER_NAMES, ADAM_TO_SGD] as const;
const LANGS = ['en', 'zh'] as const;

/** The most threads the wasm backend takes: the calling one and its helpers. */
const MAX_THREADS = MAX_WORKERS + 1;

const grouped = (n: number) => n.toLocaleString('en-US');

/** An integer in [min, max], described with its bounds. */
function integer(min: number, max: number, what?: string) {
  return z
    .int()
    .min(min)
    .max(max)
    .describe(what ?? `an integer from ${min} to ${grouped(max)}`);
}

function choice<const T extends string>(choices: readonly T[]) {
  return z.enum(choices as [T, ...T[]]).describe(`one of ${choices.join(', ')}`);
}

const path = (what: string) => z.string().min(1).describe(what);
const fraction = (what: string) => z.number().min(0).lt(1).describe(what);
const nonNegative = z.number().min(0).describe('a non-negative number');
const flag = z.boolean().describe('true or false');

const OPTION_SCHEMAS = {
  nonNegative,
  pair: z.tuple([z.number(), z.number()]).describe('a pair of numbers such as [0.9, 0.999]'),
  switch: flag,
} as const satisfies Record<OptimizerOptionKind, z.ZodType>;

type OptionSchema<N extends OptimizerOptionName> = (typeof OPTION_SCHEMAS)[Extract<
  (typeof OPTIMIZER_OPTIONS)[number],
  { name: N }
>['kind']];

/** The optimizer options, from the table of optimizer_options.ts; none has a default here. */
const optimizerShape = Object.fromEntries(
  OPTIMIZER_OPTIONS.map(({ name, kind }) => [name, OPTION_SCHEMAS[kind].optional()]),
) as { [N in OptimizerOptionName]: z.ZodOptional<OptionSchema<N>> };

const scheduleSpec = z
  .string()
  .refine((s) => (SCHEDULES as readonly string[]).includes(s.split(':')[0]!))
  .describe(`one of ${SCHEDULES.join(', ')}, with options as 'step:stepSize=2,gamma=0.5'`);

const depth = integer(8, LIMITS.depth)
  .refine((n) => (n - 2) % 6 === 0)
  .describe(`of the form 6n + 2 (8, 14, 20, …) up to ${grouped(LIMITS.depth)}`);

const hidden = z
  .array(integer(1, LIMITS.hiddenWidth))
  .min(1)
  .max(LIMITS.hiddenLayers)
  .describe(
    `a list of 1 to ${grouped(LIMITS.hiddenLayers)} layer widths from 1 to ${grouped(LIMITS.hiddenWidth)} such as 100,100,100`,
  );

/** A CSV label column: a name, or an index (a JSON number is taken as its decimal string). */
const labelColumn = z
  .union([z.string().min(1), z.int()])
  .transform(String)
  .describe('a column name or index such as "label" or "3"');

/** A CSV delimiter: one character other than a quote or a line end, 'tab', or 'auto' (detected). */
const delimiter = z
  .string()
  .transform((d) => (d === 'tab' ? '\t' : d))
  .refine((d) => d === 'auto' || (d.length === 1 && !'"\n\r'.includes(d)))
  .describe("one character other than a quote or a line end, 'tab', or 'auto'");

/**
 * Every key of a run configuration. The defaults are the course's network: 784-100-100-100-10, sigmoid,
 * batch normalization, Adam, on bundled MNIST.
 */
export const runConfigSchema = z.strictObject({
  /** mnist, fashion-mnist, a synthetic set, or a path to an IDX images file or a CSV file. */
  data: path('a data set name (mnist, fashion-mnist, spirals, …) or a file path').default('mnist'),
  /** IDX labels file (with an IDX --data). */
  labels: path('a file path').optional(),
  /** Held-out test data (IDX images or CSV); without it, user data is split 80/20. */
  testData: path('a file path').optional(),
  testLabels: path('a file path').optional(),
  /** CSV label column (name or 0-based index; default the last column). */
  labelColumn: labelColumn.optional(),
  /** CSV field delimiter; absent: 'auto' (tab, semicolon or comma, whichever splits the lines evenly). */
  delimiter: delimiter.optional(),
  /** Standardize each feature with the training set's mean and std (the course's advice). */
  standardize: flag.default(false),
  /** Fraction of the training set held out for validation (0: none). */
  validation: fraction('a fraction in [0, 1)').default(0.1),
  /**
   * Training samples kept after the validation split: a seeded random subset of that many (learning
   * curves over the training-set size, as in the course's regularization comparisons); absent: all.
   */
  trainSize: integer(1, LIMITS.trainSize).optional(),
  arch: choice(ARCHS).default('mlp'),
  hidden: hidden.default([100, 100, 100]),
  /** Default: sigmoid for mlp (the course's network), relu otherwise. */
  activation: choice(ACTIVATIONS).optional(),
  init: choice(INITS).default('default'),
  batchNorm: flag.default(true),
  dropout: fraction('a probability in [0, 1)').default(0),
  inputDropout: fraction('a probability in [0, 1)').default(0),
  /** Identity skips around the mlp's equal-width hidden blocks (x + block(x)); mlp only. */
  residual: flag.default(false),
  /** resnet/plain depth (6n + 2) and base width. */
  depth: depth.default(8),
  width: integer(1, LIMITS.width).default(8),
  optimizer: choice(RUN_OPTIMIZERS).default('adam'),
  ...optimizerShape,
  /** adam-to-sgd: Adam for this many epochs, then SGD; absent: SWATS decides. */
  switchEpoch: integer(1, LIMITS.epochs).optional(),
  /** adam-to-sgd: SGD's lr and momentum after the switch; absent: SWATS's estimate and Adam's β₁. */
  sgdLr: z.number().positive().describe('a positive number').optional(),
  sgdMomentum: nonNegative.optional(),
  /** A schedule name, optionally with options: 'step:stepSize=2,gamma=0.5'. */
  schedule: scheduleSpec.default('none'),
  /** Linear warmup steps in front of the schedule. */
  warmup: integer(0, LIMITS.warmup).default(0),
  l1: nonNegative.default(0),
  l2: nonNegative.default(0),
  clipNorm: z.number().positive().describe('a positive number').optional(),
  /** Patience of early stopping on the validation loss (restoring the best weights); 0: off. */
  earlyStopping: integer(0, LIMITS.epochs).default(0),
  epochs: integer(1, LIMITS.epochs).default(3),
  batchSize: integer(1, LIMITS.batchSize).default(64),
  seed: z.int().describe('an integer below 2^53 in magnitude').default(0),
  out: path('a directory path').optional(),
  backend: choice(BACKENDS).optional(),
  /** Threads of the wasm backend; one per core when absent. */
  threads: integer(1, MAX_THREADS).optional(),
  lang: choice(LANGS).default('en'),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type ConfigKey = keyof RunConfig;

export const CONFIG_KEYS = Object.keys(runConfigSchema.shape) as ConfigKey[];

/** What a key accepts, in words: the description of its schema. */
function expectedOf(key: string): string {
  let field: z.ZodType | undefined = (runConfigSchema.shape as Record<string, z.ZodType>)[key];
  while (field && field.description === undefined) {
    field =
      field instanceof z.ZodDefault || field instanceof z.ZodOptional
        ? (field.unwrap() as z.ZodType)
        : undefined;
  }
  return field?.description ?? 'a valid value';
}

/**
 * The same keys, each optional and without its default: what a configuration file may hold (a file
 * sets only the keys it names; the defaults come in when the file and the flags are resolved).
 */
export const partialConfigSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(runConfigSchema.shape).map(([key, field]) => {
      const inner: z.ZodType = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
      return [key, inner.optional()];
    }),
  ),
);

/** A value as a message shows it: JSON, but NaN and ±Infinity as such, and long values cut. */
function showValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** A key as a message shows it: control characters escaped, long keys cut. */
function showKey(key: string): string {
  const text = JSON.stringify(key).slice(1, -1);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * All of a failed validation's problems on one line, one clause per key:
 * "epochs must be an integer from 1 to 100,000, got 0; unknown key 'epoch'; accepted: …".
 * `nameOf` says how to name a key (`--epochs` for a flag, `epochs` in a file).
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  input: Record<string, unknown>,
  nameOf: (key: string) => string = (key) => key,
): string {
  const clauses: string[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      unknown.push(...issue.keys.map((k) => `'${showKey(k)}'`));
      continue;
    }
    const key = String(issue.path[0] ?? '');
    if (seen.has(key)) continue;
    seen.add(key);
    clauses.push(`${nameOf(key)} must be ${expectedOf(key)}, got ${showValue(input[key])}`);
  }
  // The accepted list is long: it goes last, once.
  if (unknown.length > 0) {
    clauses.push(
      `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; accepted: ${CONFIG_KEYS.join(', ')}`,
    );
  }
  return clauses.join('; ');
}

/** What `{}` resolves to: the course's network on bundled MNIST. */
export const DEFAULTS: RunConfig = runConfigSchema.parse({});
