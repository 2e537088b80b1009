/**
 * Property-based fuzzing of the configuration parser (readConfigFile → parseConfigText → resolveConfig):
 * valid configurations and mutations of them (values of the wrong type, huge numbers, NaN-like
 * strings, nested objects, unknown and prototype-named keys, truncated text). Each input either
 * resolves to a configuration that satisfies the schema's invariants, or throws a one-line UsageError
 * that names a key of the input (or says the text is not a JSON object); nothing else escapes, and no
 * input takes long. fast-check prints the seed and the shrunk counterexample of a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/cli/limits.js';
import {
  parseConfigText,
  type RunConfig,
  readConfigFile,
  resolveConfig,
  UsageError,
} from '../../src/cli/run_config.js';
import { OPTIMIZER_NAMES } from '../../src/optim/registry.js';
import {
  ACTIVATIONS,
  ARCHS,
  CONFIG_KEYS,
  INITS,
  runConfigSchema,
  SCHEDULES,
} from '../../src/run/config_schema.js';
import { cpuMark, cpuMsSince } from '../helpers/cpu_time.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-fuzz-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** No single input may take longer than this (the whole parse and resolve takes well under 1 ms). */
const PER_INPUT_MS = 250;

/** Valid values for a selection of keys, covering every kind of field. */
const validValues: Record<string, fc.Arbitrary<unknown>> = {
  data: fc.constantFrom('mnist', 'spirals', 'data/train.csv'),
  standardize: fc.boolean(),
  validation: fc.double({ min: 0, max: 0.99, noNaN: true }),
  arch: fc.constantFrom(...ARCHS),
  hidden: fc.array(fc.integer({ min: 1, max: LIMITS.hiddenWidth }), { minLength: 1, maxLength: 4 }),
  activation: fc.constantFrom(...ACTIVATIONS),
  init: fc.constantFrom(...INITS),
  batchNorm: fc.boolean(),
  dropout: fc.double({ min: 0, max: 0.99, noNaN: true }),
  depth: fc.integer({ min: 1, max: 50 }).map((n) => 6 * n + 2),
  optimizer: fc.constantFrom(...OPTIMIZER_NAMES),
  lr: fc.double({ min: 0, max: 10, noNaN: true }),
  betas: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
  nesterov: fc.boolean(),
  schedule: fc.constantFrom(...SCHEDULES, 'step:stepSize=2,gamma=0.5'),
  warmup: fc.integer({ min: 0, max: LIMITS.warmup }),
  epochs: fc.integer({ min: 1, max: LIMITS.epochs }),
  batchSize: fc.integer({ min: 1, max: LIMITS.batchSize }),
  seed: fc.integer(),
  out: fc.constantFrom('runs/x', 'out dir'),
  labelColumn: fc.oneof(fc.constantFrom('label', '3'), fc.nat(20)),
  lang: fc.constantFrom('en', 'zh'),
};

const validConfig = fc.record(validValues, { requiredKeys: [] });

/** Values that no key accepts as they are, or only at some keys. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    'false',
    'true',
    '0x10',
    '',
    ' ',
    'null',
    1e308,
    -1e308,
    2 ** 53 + 2,
    -0,
    5e-324,
    null,
    [],
    {},
    [[[[[]]]]],
    { nested: { deeper: [1, { x: 'y' }] } },
  ),
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
);

/** Keys that are no configuration key: typos, prototype names, odd characters. */
const strangeKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'epoch', 'Epochs', 'batch_size'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(CONFIG_KEYS as string[]).includes(k)),
);

/** A valid configuration with some of its values replaced by hostile ones and unknown keys added. */
const mutatedConfig = fc
  .tuple(
    validConfig,
    fc.array(fc.tuple(fc.constantFrom(...CONFIG_KEYS), hostileValue), { maxLength: 4 }),
    fc.array(fc.tuple(strangeKey, hostileValue), { maxLength: 2 }),
  )
  .map(([base, replaced, unknown]) => {
    const o: Record<string, unknown> = { ...base };
    for (const [k, v] of replaced) o[k] = v;
    for (const [k, v] of unknown)
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });

/** The text of a file: JSON of a valid or mutated configuration, maybe truncated, or any JSON at all. */
const configText = fc.oneof(
  { weight: 2, arbitrary: validConfig.map((o) => JSON.stringify(o)) },
  { weight: 4, arbitrary: mutatedConfig.map((o) => JSON.stringify(o)) },
  {
    weight: 2,
    arbitrary: fc.tuple(mutatedConfig, fc.nat()).map(([o, cut]) => {
      const text = JSON.stringify(o);
      return text.slice(0, cut % (text.length + 1));
    }),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** What every resolved configuration satisfies. */
function checkInvariants(c: RunConfig): void {
  expect(runConfigSchema.safeParse(c).success).toBe(true);
  for (const key of Object.keys(c)) expect(CONFIG_KEYS).toContain(key);
  expect(Number.isInteger(c.epochs) && c.epochs >= 1 && c.epochs <= LIMITS.epochs).toBe(true);
  expect(Number.isInteger(c.batchSize) && c.batchSize >= 1 && c.batchSize <= LIMITS.batchSize).toBe(true);
  expect(c.hidden.every((h) => Number.isInteger(h) && h >= 1 && h <= LIMITS.hiddenWidth)).toBe(true);
  expect(typeof c.batchNorm).toBe('boolean');
  expect(c.validation >= 0 && c.validation < 1).toBe(true);
  expect(SCHEDULES).toContain(c.schedule.split(':')[0]);
  if (c.earlyStopping > 0) expect(c.validation).toBeGreaterThan(0);
  // What train writes as config.json reads back as the same configuration (as --resume needs).
  const text = JSON.stringify(c);
  expect(JSON.stringify(resolveConfig(parseConfigText(text, 'round trip'), {}))).toBe(text);
}

/** A refusal is a one-line UsageError that names the source and a key of the input (or the JSON problem). */
function checkRefusal(error: unknown, source: string, input: unknown): void {
  expect(error).toBeInstanceOf(UsageError);
  const message = (error as Error).message;
  expect(message.includes('\n')).toBe(false);
  if (!message.startsWith(source)) {
    // Refused while resolving: the relations between keys (early stopping without a validation
    // split; the Adam→SGD switch keys with another optimizer; residual outside the mlp…). The
    // message names a key the input set, or the validation split such a relation needs.
    const keys = input !== null && typeof input === 'object' ? Object.keys(input) : [];
    const literal = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const namesAKey = keys.some((k) => new RegExp(`\\b${literal(k)}\\b`).test(message));
    expect(namesAKey || /needs a validation split|watches the validation loss/.test(message), message).toBe(
      true,
    );
    return;
  }
  const rest = message.slice(source.length);
  if (/^: (not valid JSON|expected a JSON object)/.test(rest)) return;
  const keys = input !== null && typeof input === 'object' ? Object.keys(input) : [];
  const named = [...rest.matchAll(/(?:^: |; )(\w+) must be /g)].map((m) => m[1]!);
  if (named.length === 0) expect(rest).toMatch(/unknown keys? '/);
  for (const key of named) expect(keys).toContain(key);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses and resolves one text, then checks the outcome and the time it took. */
function parseAndResolve(text: string, read: (text: string) => Partial<RunConfig>, source: string) {
  const started = cpuMark(); // CPU time: see test/helpers/cpu_time.ts
  let outcome: { config: RunConfig } | { error: unknown };
  try {
    outcome = { config: resolveConfig(read(text), {}) };
  } catch (error) {
    outcome = { error };
  }
  expect(cpuMsSince(started)).toBeLessThan(PER_INPUT_MS);
  if ('config' in outcome) checkInvariants(outcome.config);
  else checkRefusal(outcome.error, source, tryParse(text));
  return 'config' in outcome ? 'resolved' : 'refused';
}

/** How many inputs ended each way: both must be common, or the generators are testing only one path. */
function tally() {
  const counts = { resolved: 0, refused: 0 };
  return { counts, add: (outcome: 'resolved' | 'refused') => void counts[outcome]++ };
}

describe('configuration parser fuzzing', () => {
  it('resolves or refuses thousands of generated and mutated configuration texts with a UsageError naming the key', () => {
    const source = '--config fuzz.json';
    const { counts, add } = tally();
    fc.assert(
      fc.property(configText, (text) =>
        add(parseAndResolve(text, (t) => parseConfigText(t, source), source)),
      ),
      { numRuns: 2000 },
    );
    expect(counts.resolved).toBeGreaterThan(200);
    expect(counts.refused).toBeGreaterThan(200);
  });

  it('does the same through configuration files on disk', () => {
    const file = path.join(tmp, 'config.json');
    fc.assert(
      fc.property(configText, (text) => {
        fs.writeFileSync(file, text);
        parseAndResolve(text, () => readConfigFile(file), `--config ${file}`);
      }),
      { numRuns: 200 },
    );
  });

  it('names bad flags by their flag, every one of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('epochs', 'batchSize', 'warmup', 'lr', 'hidden'), hostileValue), {
          minLength: 1,
          maxLength: 5,
        }),
        (pairs) => {
          const flags = Object.fromEntries(pairs) as Partial<RunConfig>;
          let config: RunConfig | undefined;
          try {
            config = resolveConfig({}, flags);
          } catch (error) {
            expect(error).toBeInstanceOf(UsageError);
            const message = (error as Error).message;
            const bad = Object.keys(flags).filter(
              (k) =>
                !runConfigSchema.shape[k as keyof RunConfig].safeParse(flags[k as keyof RunConfig]).success,
            );
            const flagOf = (k: string) => `--${k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
            for (const k of bad) expect(message).toContain(`${flagOf(k)} must be`);
            return;
          }
          checkInvariants(config);
        },
      ),
      { numRuns: 500 },
    );
  });
});
