/**
 * The trials of a sweep spec: every point of the grid (the axes in the spec's order, the last one
 * fastest), and at each point `trials` draws of the random axes (or `trials` draws in all without a
 * grid), from descent's own seeded generator (xoshiro128**, tensor/random.ts) seeded with the spec's
 * `seed`: the same spec gives the same trials, with the same ids (`t0000`, `t0001`, … in this order),
 * on every run, which is what lets a re-run resume. Each trial's configuration (base, then its axis
 * values) is checked with the run configuration's schema here, before any trial starts.
 */
import { FormatError } from '../io/format_error.js';
import { parseRunConfig } from '../run/run_config.js';
import { deterministicLog, Generator } from '../tensor/random.js';
import { type Distribution, EPOCH_METRICS, type SweepSpec } from './spec_schema.js';
import type { Trial } from './types.js';

/** At most this many trials in one sweep: a typo (`trials: 1e9`) fails before anything is written. */
export const MAX_TRIALS = 100_000;

/** The trial id of the i-th trial: `t0000`, … (wider past 9999, still in sampling order as text). */
export function trialId(i: number): string {
  return `t${String(i).padStart(4, '0')}`;
}

/** Every combination of the grid's values, the last axis fastest; one empty point without a grid. */
export function gridPoints(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [axis, values] of Object.entries(grid)) {
    points = points.flatMap((point) => values.map((value) => ({ ...point, [axis]: value })));
  }
  return points;
}

/**
 * One value drawn from a distribution. Log-uniform draws uniformly in log space with descent's
 * engine-independent logarithm; `Math.exp` brings it back (Node's is the same everywhere we run).
 */
export function draw(d: Distribution, rng: Generator): unknown {
  if ('choice' in d) return d.choice[rng.below(d.choice.length)];
  if ('intUniform' in d) return d.intUniform[0] + rng.below(d.intUniform[1] - d.intUniform[0] + 1);
  if ('uniform' in d) return d.uniform[0] + rng.uniform53() * (d.uniform[1] - d.uniform[0]);
  const [lo, hi] = d.logUniform.map(deterministicLog) as [number, number];
  return Math.exp(lo + rng.uniform53() * (hi - lo));
}

/** The axis values of every trial, in sampling order. */
export function sampleParams(spec: SweepSpec): Record<string, unknown>[] {
  const randomAxes = Object.entries(spec.random);
  const perPoint = randomAxes.length === 0 ? 1 : spec.trials;
  // Counted before the grid is built: a huge grid is refused without being made.
  const gridSize = Object.values(spec.grid).reduce((n, values) => n * values.length, 1);
  const total = gridSize * perPoint;
  if (total > MAX_TRIALS) {
    const count = (n: number) => n.toLocaleString('en-US');
    throw new FormatError(
      'sweep spec',
      `the spec makes ${count(total)} trials (${count(gridSize)} grid points × ${perPoint}); a sweep runs at most ${count(MAX_TRIALS)}`,
    );
  }
  const points = gridPoints(spec.grid);
  const rng = new Generator(spec.seed);
  return points.flatMap((point) =>
    Array.from({ length: perPoint }, () => {
      const params: Record<string, unknown> = { ...point };
      for (const [axis, d] of randomAxes) params[axis] = draw(d, rng);
      return params;
    }),
  );
}

/** Axis values as a message shows them: `lr=0.1, seed=1`. */
export function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

/**
 * The sweep's trials, each configuration checked with the run schema (unknown values, relations
 * between keys) and against the metric: a validation metric needs a validation split. Throws one
 * `FormatError` naming the first bad trial by its id and axis values.
 */
export function buildTrials(spec: SweepSpec, source = 'sweep spec'): Trial[] {
  return sampleParams(spec).map((params, i) => {
    const id = trialId(i);
    const where = `${source}: trial ${id} (${describeParams(params) || 'the base'})`;
    let config: ReturnType<typeof parseRunConfig>;
    try {
      config = parseRunConfig({ ...spec.base, ...params }, { source: where });
    } catch (error) {
      if (error instanceof FormatError) throw new FormatError(source, error.message);
      throw error;
    }
    if (spec.metric.startsWith('val') && config.validation === 0) {
      throw new FormatError(
        source,
        `${where}: metric ${spec.metric} is measured on the validation split, and validation is 0; set validation > 0 or rank by ${EPOCH_METRICS.filter((m) => !m.startsWith('val')).join(', ')} or a test metric`,
      );
    }
    return { id, params, job: { kind: 'train', config } };
  });
}
