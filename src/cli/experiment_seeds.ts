/**
 * `descent experiment NAME --seeds N [--workers W] [--queue URL]`: the experiment over N seeds, each
 * seed one trial of the sweep runner (the embedded pool of processes by default, the queue with
 * `--queue`), into `<out>/seeds/` (a sweep directory: re-running the command resumes). Prints and
 * writes the seed summary (per setting the mean and its 95% interval; which differences are
 * significant, in words); the report shows the first seed's figures and the summary.
 */
import path from 'node:path';
import { EXPERIMENTS } from '../experiments/registry.js';
import type { Lang } from '../experiments/types.js';
import { executorFor } from '../sweep/executor.js';
import { EXPERIMENT_METRICS } from '../sweep/experiment_metrics.js';
import { runExperimentSeeds } from '../sweep/experiment_seeds.js';
import { presentSeeds } from '../sweep/seed_present.js';
import { type SeedSummary, summarizeSeeds } from '../sweep/seed_summary.js';
import { DivergedError } from './exit_codes.js';
import type { RenderedExperiment } from './experiment_report.js';
import { UsageError } from './run_config.js';

/** Where the seeds' sweep directory goes inside the experiment's `--out`. */
export const SEEDS_DIR = 'seeds';

/** The most seeds one command runs (each is a full run of the experiment). */
export const MAX_SEEDS = 100;

/**
 * Refuses what `--seeds` cannot do, and `--workers`/`--queue` without it: `all` (one experiment at a
 * time), an experiment with no seed summary, and `experiment init`'s single configuration.
 */
export function checkSeedsFlags(name: string, flags: Record<string, unknown>, singleInit: boolean): void {
  if (flags.seeds === undefined) {
    const only = ['workers', 'queue'].find((k) => flags[k] !== undefined);
    if (only) throw new UsageError(`--${only} applies to --seeds only (the seeds run as a sweep)`);
    return;
  }
  const accepted = Object.keys(EXPERIMENT_METRICS).join(', ');
  if (name === 'all') {
    throw new UsageError(`--seeds runs one experiment over seeds, not all; accepted: ${accepted}`);
  }
  if (!(name in EXPERIMENT_METRICS)) {
    throw new UsageError(`--seeds: experiment ${name} has no seed summary; accepted: ${accepted}`);
  }
  if (flags.threads !== undefined) {
    throw new UsageError(
      '--threads: with --seeds each seed runs on one thread in the local pool (--workers sets how many at once)',
    );
  }
  if (singleInit) {
    throw new UsageError(
      '--seeds summarizes the grid of experiment init; drop --activation, --init, --batch-norm, --layers, --width and --batch',
    );
  }
}

/**
 * The options every seed's child gets: no report (the summary's report is written here) and the
 * backend. The thread count is the runner's (trial_process.ts gives every trial one thread, in the
 * local pool and on a queue worker alike, which refuses `threads` in a job).
 */
function childOptions(flags: Record<string, unknown>): Record<string, unknown> {
  const backend = flags.backend as string | undefined;
  return { report: false, ...(backend !== undefined ? { backend } : {}) };
}

type WriteOutputs = (spec: {
  out: string;
  results: Record<string, unknown>;
  rendered: RenderedExperiment[] | null;
  lang: Lang;
}) => Promise<void>;

/** Runs the seeds, then prints and writes the summary with `write` (the command's own writer). */
export async function runSeeds(spec: {
  name: string;
  flags: Record<string, unknown>;
  out: string;
  lang: Lang;
  write: WriteOutputs;
}): Promise<void> {
  const { name, flags, out, lang } = spec;
  const first = (flags.seed as number | undefined) ?? 0;
  const seeds = Array.from({ length: flags.seeds as number }, (_, i) => first + i);
  const dir = path.join(out, SEEDS_DIR);
  const started = Date.now();
  const executor = await executorFor({
    dir,
    ...(flags.workers !== undefined ? { workers: flags.workers as number } : {}),
    ...(flags.queue !== undefined ? { queue: flags.queue as string } : {}),
    ...(process.argv[1] ? { cli: process.argv[1] } : {}),
  });
  let run: Awaited<ReturnType<typeof runExperimentSeeds>>;
  try {
    run = await runExperimentSeeds({
      dir,
      seeds: { experiment: name, options: childOptions(flags), seeds },
      executor,
      flag: '--out',
      onResult: (r) => {
        if (!flags.json)
          console.error(`seed ${r.params.seed as number}: ${r.status} (${r.wallSeconds.toFixed(1)} s)`);
      },
    });
  } finally {
    await executor.close();
  }
  if (run.failed.length > 0) {
    const why = run.failed.map((f) => `seed ${f.seed} ${f.status}: ${f.error}`).join('; ');
    const message = `experiment ${name} --seeds: ${why} (its results are in ${dir}; rerun to retry)`;
    // Seeds that diverged are training's verdict (exit 3, as descent train's), not a bug of descent.
    if (run.failed.every((f) => f.status === 'diverged')) throw new DivergedError(message);
    throw new Error(message);
  }
  const summary = summarizeSeeds({ experiment: name, runs: run.results, metrics: EXPERIMENT_METRICS[name]! });
  const seconds = (Date.now() - started) / 1000;
  const rendered =
    flags.report === false ? null : renderedSeeds(name, run.results[0]!.result, summary, seconds);
  await spec.write({ out, results: summary as unknown as Record<string, unknown>, rendered, lang });
  if (flags.json) console.log(JSON.stringify(summary));
  else printSummary(summary, lang, out);
}

/** The report's sections: the experiment as the first seed ran it, then the seed summary. */
function renderedSeeds(
  name: string,
  firstResult: unknown,
  summary: SeedSummary,
  seconds: number,
): RenderedExperiment[] {
  const e = EXPERIMENTS.find((x) => x.name === name)!;
  return [
    { name, seconds, presentations: { en: e.present(firstResult, 'en'), zh: e.present(firstResult, 'zh') } },
    {
      name: `${name}-seeds`,
      seconds,
      presentations: { en: presentSeeds(summary, 'en'), zh: presentSeeds(summary, 'zh') },
    },
  ];
}

function printSummary(summary: SeedSummary, lang: Lang, out: string): void {
  const p = presentSeeds(summary, lang);
  console.log(p.title);
  console.log(`  ${p.shows}`);
  for (const row of p.table!.rows) console.log(`  ${row[0]} (${row[1]}): ${row[2]} ${row[3]}`);
  for (const f of p.findings) console.log(`  - ${f}`);
  console.log(`report: ${path.join(out, 'report.html')}`);
}
