/**
 * The schema of a sweep spec (zod), the file `descent sweep SPEC` reads (YAML or JSON):
 *
 * ```yaml
 * base: { data: spirals, epochs: 2 }      # any `descent train` setting, by its --config key
 * grid: { lr: [0.01, 0.1], seed: [0, 1] }  # every combination (last axis fastest)
 * random:                                  # drawn `trials` times (per grid point, with a grid)
 *   weightDecay: { logUniform: [1.0e-5, 1.0e-2] }
 *   dropout: { uniform: [0, 0.5] }
 *   optimizer: { choice: [sgd, adam] }
 *   batchSize: { intUniform: [16, 128] }   # both ends included
 * trials: 8
 * metric: valAccuracy                      # an epoch or final record field
 * mode: max                                # default: min for a loss, max otherwise
 * seed: 0                                  # the sampler's seed
 * prune: { method: asha, minEpochs: 1, reductionFactor: 3, grace: 0 }
 * ```
 *
 * Every unknown key is refused with its path (`random.lr.logUniformm`). The axis names and the values
 * are checked against the run configuration's schema later (sampling.ts), when each trial's
 * configuration is built, before any trial starts.
 */
import { z } from 'zod';

/** Per-epoch fields of `descent train --json` a sweep may rank by (and ASHA can read). */
export const EPOCH_METRICS = ['valAccuracy', 'valLoss', 'trainAccuracy', 'trainLoss', 'lr'] as const;
/** Fields of the final record a sweep may rank by (known only when a trial ends). */
export const FINAL_METRICS = [
  'testAccuracy',
  'testLoss',
  'bestEpoch',
  'wallSeconds',
  'samplesPerSec',
] as const;
export const METRICS = [...EPOCH_METRICS, ...FINAL_METRICS] as const;
export type SweepMetric = (typeof METRICS)[number];

const finite = z.number().finite();
const range = (what: string) =>
  z
    .tuple([finite, finite])
    .refine(([lo, hi]) => lo <= hi, { message: `${what}: the low end must not exceed the high end` });

/** One random axis: a distribution to draw its value from. */
export const distributionSchema = z.union([
  z.strictObject({
    logUniform: z
      .tuple([finite.positive(), finite.positive()])
      .refine(([lo, hi]) => lo <= hi, { message: 'logUniform: the low end must not exceed the high end' }),
  }),
  z.strictObject({ uniform: range('uniform') }),
  z.strictObject({ choice: z.array(z.unknown()).min(1) }),
  z.strictObject({
    intUniform: z
      .tuple([z.int(), z.int()])
      .refine(([lo, hi]) => lo <= hi, { message: 'intUniform: the low end must not exceed the high end' }),
  }),
]);
export type Distribution = z.infer<typeof distributionSchema>;

/** ASHA's options (asha.ts says what each one does). */
export const ashaSchema = z.strictObject({
  method: z.literal('asha'),
  /** The first rung: the epoch of the first decision (r in the paper). */
  minEpochs: z.int().min(1).default(1),
  /** η: each rung keeps the top 1/η of the results recorded there. */
  reductionFactor: z.int().min(2).default(3),
  /** A rung prunes nothing until it holds this many results (0: decide from the first, as the paper). */
  grace: z.int().min(0).default(0),
});
export type AshaOptions = z.infer<typeof ashaSchema>;

export const sweepSpecSchema = z.strictObject({
  /** A partial run configuration (checked against the run schema with each trial). */
  base: z.record(z.string(), z.unknown()).default({}),
  grid: z.record(z.string(), z.array(z.unknown()).min(1)).default({}),
  random: z.record(z.string(), distributionSchema).default({}),
  /** Random samples: in all without a grid, per grid point with one. */
  trials: z.int().min(1).max(100_000).optional(),
  metric: z.enum(METRICS).default('valAccuracy'),
  mode: z.enum(['max', 'min']).optional(),
  seed: z.int().default(0),
  prune: ashaSchema.optional(),
});
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;

/** A checked spec with every default filled in: what sweep.json records and a resume compares. */
export interface SweepSpec {
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  random: Record<string, Distribution>;
  trials: number;
  metric: SweepMetric;
  mode: 'max' | 'min';
  seed: number;
  prune: AshaOptions | null;
}

/** A loss is minimized; accuracies, the learning rate, throughput and the rest are maximized. */
export function defaultMode(metric: SweepMetric): 'max' | 'min' {
  return /Loss$|^wallSeconds$/.test(metric) ? 'min' : 'max';
}

/** One problem of a spec as a message names it: its key path (`random.lr`) and what was wrong. */
export function formatSpecIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k));
        return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}${acceptedAt(issue.path)}`;
      }
      if (issue.code === 'invalid_union' && issue.path.length === 2 && issue.path[0] === 'random') {
        return `${where} must be one of { logUniform: [lo, hi] }, { uniform: [lo, hi] }, { choice: [...] }, { intUniform: [lo, hi] }`;
      }
      return `${where || 'the spec'}: ${issue.message}`;
    })
    .join('; ');
}

/** The keys accepted where an unknown key was found, for the message. */
function acceptedAt(at: readonly PropertyKey[]): string {
  if (at.length === 0) return `; accepted: ${Object.keys(sweepSpecSchema.shape).join(', ')}`;
  if (at.length === 1 && at[0] === 'prune') return `; accepted: ${Object.keys(ashaSchema.shape).join(', ')}`;
  return '';
}
