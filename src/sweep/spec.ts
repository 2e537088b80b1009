/**
 * Reading a sweep spec: the file's text as YAML or JSON (by its extension; YAML otherwise, which
 * reads JSON too), checked against the spec schema (spec_schema.ts) and against the run
 * configuration's keys, with every default filled in. Every problem is a `FormatError` that names the
 * file and the key path; the values themselves are checked when the trials are built (sampling.ts).
 */
import { parse as parseYaml } from 'yaml';
import { FormatError } from '../io/format_error.js';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import { CONFIG_KEYS, formatIssues, partialConfigSchema } from '../run/config_schema.js';
import {
  defaultMode,
  EPOCH_METRICS,
  formatSpecIssues,
  type SweepSpec,
  sweepSpecSchema,
} from './spec_schema.js';

/**
 * Keys the sweep itself sets for every trial: the run directory (`trials/<id>`) and one thread per
 * trial (trials run side by side, one per core). A spec may not set them.
 */
const SWEEP_OWNED = ['out', 'threads'] as const;

/** Reads and checks the spec file `file` (at most 1 MiB). */
export function readSweepSpec(file: string): SweepSpec {
  const text = readRegularFile(file, {
    maxBytes: READ_LIMITS.config,
    what: 'readSweepSpec',
    name: file,
  }).toString('utf8');
  return parseSweepSpecText(text, { source: file, json: file.toLowerCase().endsWith('.json') });
}

/** Parses the text of a spec (YAML, or JSON when `json`); `source` starts every message. */
export function parseSweepSpecText(text: string, options: { source: string; json?: boolean }): SweepSpec {
  const { source } = options;
  let value: unknown;
  try {
    value = options.json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const kind = options.json ? 'JSON' : 'YAML';
    throw new FormatError(
      source,
      `${source}: not valid ${kind} (${(error as Error).message.split('\n')[0]})`,
    );
  }
  return checkSweepSpec(value, source);
}

/** Checks a parsed spec (any value) and fills in its defaults. */
export function checkSweepSpec(value: unknown, source = 'sweep spec'): SweepSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FormatError(
      source,
      `${source}: expected a mapping such as { base: { data: spirals }, grid: { lr: [0.01, 0.1] } }`,
    );
  }
  const result = sweepSpecSchema.safeParse(value);
  if (!result.success) throw new FormatError(source, `${source}: ${formatSpecIssues(result.error.issues)}`);
  const spec = result.data;
  const problem = baseProblem(spec.base) ?? axisProblem(spec.grid, spec.random) ?? shapeProblem(spec);
  if (problem !== null) throw new FormatError(source, `${source}: ${problem}`);
  return {
    base: spec.base,
    grid: spec.grid,
    random: spec.random,
    trials: spec.trials ?? 1,
    metric: spec.metric,
    mode: spec.mode ?? defaultMode(spec.metric),
    seed: spec.seed,
    prune: spec.prune ?? null,
  };
}

/** The base's keys against the run configuration's (each value's type too), or null. */
function baseProblem(base: Record<string, unknown>): string | null {
  const owned = SWEEP_OWNED.find((k) => k in base);
  if (owned !== undefined) return sweepOwned(`base.${owned}`);
  const result = partialConfigSchema.safeParse(base);
  if (result.success) return null;
  return formatIssues(result.error.issues, base, (key) => `base.${key}`).replace(
    /^unknown key/,
    'base: unknown key',
  );
}

function sweepOwned(where: string): string {
  return `${where}: the sweep sets each trial's ${where.endsWith('out') ? 'run directory (trials/<id> in the sweep directory)' : 'threads (one per trial; --workers sets how many run at once)'}`;
}

/** Axis names: run configuration keys, each on one kind of axis only. */
function axisProblem(grid: Record<string, unknown>, random: Record<string, unknown>): string | null {
  for (const [kind, axes] of [
    ['grid', grid],
    ['random', random],
  ] as const) {
    for (const axis of Object.keys(axes)) {
      if ((SWEEP_OWNED as readonly string[]).includes(axis)) return sweepOwned(`${kind}.${axis}`);
      if (!(CONFIG_KEYS as string[]).includes(axis)) {
        return `${kind}.${axis}: not a run configuration key; an axis is one of ${CONFIG_KEYS.filter((k) => !(SWEEP_OWNED as readonly string[]).includes(k)).join(', ')}`;
      }
    }
  }
  const both = Object.keys(grid).find((axis) => axis in random);
  return both === undefined ? null : `${both} is both a grid and a random axis; give it once`;
}

/** Relations between the spec's own keys, or null. */
function shapeProblem(spec: {
  random: object;
  trials?: number | undefined;
  metric: string;
  prune?: unknown;
}) {
  if (spec.trials !== undefined && spec.trials > 1 && Object.keys(spec.random).length === 0) {
    return `trials: ${spec.trials} counts random samples, and the spec has no random axes (repeat settings with a seed axis: grid: { seed: [0, 1, 2] })`;
  }
  if (spec.prune !== undefined && !(EPOCH_METRICS as readonly string[]).includes(spec.metric)) {
    return `prune: ASHA compares trials at each epoch, and metric ${spec.metric} is known only when a trial ends; rank by one of ${EPOCH_METRICS.join(', ')}`;
  }
  return null;
}
