/**
 * `descent experiment NAME --seeds N` through the sweep runner: one trial per seed (seed, seed + 1,
 * …), each the child process `descent experiment NAME --seed S --json --no-report` (trial_process.ts),
 * run by whichever executor the sweep uses (the embedded pool, or the queue), into a sweep directory
 * (sweep.json, sweep.jsonl, trials/<id>/) so that re-running the same command resumes: seeds already
 * in sweep.jsonl are not run again.
 */

import { trialId } from './sampling.js';
import type { SweepSpec } from './spec_schema.js';
import { openSweepDir } from './sweep_dir.js';
import type { Trial, TrialExecutor, TrialResult } from './types.js';

export interface ExperimentSeedsSpec {
  experiment: string;
  /** The experiment's options for every seed, by the CLI flag's camelCased name (`report: false`, `threads: 1`). */
  options: Record<string, unknown>;
  seeds: readonly number[];
}

/** One trial per seed: `t0000` for the first, in order; the axis is `seed`. */
export function seedTrials(spec: ExperimentSeedsSpec): Trial[] {
  return spec.seeds.map((seed, i) => ({
    id: trialId(i),
    params: { seed },
    job: { kind: 'experiment', experiment: spec.experiment, options: spec.options, seed },
  }));
}

/** A seed whose trial did not end with the experiment's result, and why. */
export interface FailedSeed {
  seed: number;
  status: TrialResult['status'];
  error: string;
}

export interface ExperimentSeedsRun {
  /** Each seed's `--json` result, in seed order. */
  results: { seed: number; result: unknown }[];
  failed: FailedSeed[];
}

/**
 * Runs (or resumes) the seeds of one experiment in the sweep directory `dir` with `executor`, at most
 * `executor.slots` at a time. `onResult` hears each trial as it ends (for a progress line).
 */
export async function runExperimentSeeds(spec: {
  dir: string;
  seeds: ExperimentSeedsSpec;
  executor: TrialExecutor;
  flag?: string;
  onResult?: (result: TrialResult) => void;
}): Promise<ExperimentSeedsRun> {
  const trials = seedTrials(spec.seeds);
  // sweep.json records what the sweep is, so that a resume with other settings is refused; an
  // experiment sweep's spec is its name, options and seeds rather than a train spec's axes.
  const record = {
    spec: { experiment: spec.seeds.experiment, options: spec.seeds.options, seeds: spec.seeds.seeds },
    trials,
  } as unknown as { spec: SweepSpec; trials: Trial[] };
  const dir = openSweepDir({ dir: spec.dir, record, ...(spec.flag ? { flag: spec.flag } : {}) });
  const pending = trials.filter((t) => !dir.done.has(t.id));
  let next = 0;
  const lane = async () => {
    for (let t = pending[next++]; t !== undefined; t = pending[next++]) {
      const result = await spec.executor.run(t, { onEpoch: () => 'continue' });
      dir.append(result);
      spec.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.executor.slots, pending.length) }, lane));
  return collect(trials, dir.done);
}

function collect(trials: readonly Trial[], done: ReadonlyMap<string, TrialResult>): ExperimentSeedsRun {
  const out: ExperimentSeedsRun = { results: [], failed: [] };
  for (const t of trials) {
    const r = done.get(t.id);
    const seed = t.params.seed as number;
    if (r !== undefined && r.status === 'completed' && r.experiment !== undefined) {
      out.results.push({ seed, result: r.experiment });
    } else {
      out.failed.push({ seed, status: r?.status ?? 'failed', error: r?.error ?? 'no result' });
    }
  }
  return out;
}
