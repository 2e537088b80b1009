/**
 * `descent experiment <name>|all`: reruns the course's experiments. Each experiment is a pure library
 * function; this command supplies the bundled data, prints JSON or the findings, and writes the
 * bilingual HTML report with PNG copies of its figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { BackendName } from '../backend/registry.js';
import { loadMnist } from '../data/mnist.js';
import { INIT_ACTIVATIONS, INIT_CHOICES, init as initExperiment } from '../experiments/init.js';
import { EXPERIMENTS, NEEDS_MNIST } from '../experiments/registry.js';
import type { Experiment, Lang } from '../experiments/types.js';
import { selectBackend } from './backend_choice.js';
import { type RenderedExperiment, writeExperimentReport } from './experiment_report.js';
import { checkSeedsFlags, MAX_SEEDS, runSeeds } from './experiment_seeds.js';
import { LIMITS } from './limits.js';
import { kebab } from './optimizer_flags.js';
import { ensureRunDirectory } from './out_dir.js';
import { parseChoice, parseCount, parseCountIn } from './parse.js';
import { BACKENDS, UsageError } from './run_config.js';
import { RUN_FILES, writeText } from './run_dir.js';
import { guardedFileWrite, writeFailure } from './run_dir_writer.js';
import { acquireRunLock } from './run_lock.js';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds experiments with different option types
type AnyExperiment = Experiment<any, any>;

/**
 * Options that supply the bundled MNIST to the experiments that train on images (loaded once, when
 * the first of them runs); the experiments themselves stay browser-safe.
 */
let mnist: ReturnType<typeof loadMnist> | null = null;
function dataFor(name: string): Record<string, unknown> {
  if (!NEEDS_MNIST.has(name)) return {};
  return { data: () => (mnist ??= loadMnist()) };
}

/** `descent experiment init --activation … --init …`: one configuration, in the JSON contract. */
function isSingleInit(name: string, flags: Record<string, unknown>): boolean {
  return name === 'init' && INIT_FLAGS.some((k) => flags[k] !== undefined);
}

/** The flags of `experiment init`'s single configuration, as option names. */
const INIT_FLAGS = ['activation', 'init', 'batchNorm', 'layers', 'width', 'batch'] as const;

/**
 * Refuses flags the chosen experiment would ignore: the init flags outside `experiment init`,
 * `--seed` for an experiment that has no randomness, `--threads` with the reference or webgpu backend.
 */
function checkFlagsApply(name: string, flags: Record<string, unknown>): void {
  const initFlag = INIT_FLAGS.find((k) => flags[k] !== undefined);
  if (name !== 'init' && initFlag !== undefined) {
    throw new UsageError(
      `--${kebab(initFlag)} applies to \`experiment init\` only; experiment ${name} would ignore it`,
    );
  }
  if (flags.threads !== undefined && (flags.backend === 'reference' || flags.backend === 'webgpu')) {
    throw new UsageError(
      `--threads sets the WebAssembly backend's threads; --backend ${flags.backend} would ignore it`,
    );
  }
  if (name === 'init') checkInitSize(flags);
  const experiment = EXPERIMENTS.find((e) => e.name === name);
  if (flags.seed !== undefined && experiment && !('seed' in (experiment.defaults as object))) {
    throw new UsageError(`--seed: experiment ${name} is deterministic and takes no seed`);
  }
}

/** `experiment init`'s activations (layers × width × batch) stay within LIMITS.experimentActivations. */
function checkInitSize(flags: Record<string, unknown>): void {
  const size = (key: 'layers' | 'width' | 'batch') =>
    (flags[key] as number | undefined) ?? initExperiment.defaults[key];
  const [layers, width, batch] = [size('layers'), size('width'), size('batch')];
  if (layers * width * batch > LIMITS.experimentActivations) {
    throw new UsageError(
      `--layers ${layers} × --width ${width} × --batch ${batch} = ${(layers * width * batch).toLocaleString('en-US')} activations; experiment init takes at most ${LIMITS.experimentActivations.toLocaleString('en-US')}`,
    );
  }
}

/** The options the CLI's own flags set for an experiment (only those given). */
function flagOptions(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...INIT_FLAGS, 'seed']) {
    if (flags[k] !== undefined) out[k] = flags[k];
  }
  return out;
}

async function runExperiments(name: string, flags: Record<string, unknown>): Promise<void> {
  const names = EXPERIMENTS.map((e) => e.name);
  if (name !== 'all' && !names.includes(name)) {
    throw new UsageError(`unknown experiment '${name}'; accepted: ${[...names, 'all'].join(', ')}`);
  }
  checkFlagsApply(name, flags);
  checkSeedsFlags(name, flags, isSingleInit(name, flags));
  await selectBackend({
    name: flags.backend as BackendName | undefined,
    threads: flags.threads as number | undefined,
  });
  const lang = (flags.lang as Lang | undefined) ?? 'en';
  const chosen = EXPERIMENTS.filter((e) => name === 'all' || e.name === name);
  const out =
    (flags.out as string | undefined) ??
    path.join('runs', name === 'all' ? 'experiments' : `experiment-${name}`);
  ensureRunDirectory(out, '--out'); // before the experiments run: a bad --out is found at once
  const lock = acquireRunLock({ dir: out, flag: '--out' });
  try {
    refuseTrainingRun(out);
    if (flags.seeds !== undefined) await runSeeds({ name, flags, out, lang, write: writeOutputs });
    else await runLocked({ name, flags, out, lang, chosen });
  } finally {
    lock.release();
  }
}

/**
 * A training run's directory is never an experiment's output: report.html would replace the run's
 * report (and results.json and figures/ would mix with its files).
 */
function refuseTrainingRun(out: string): void {
  if (fs.existsSync(path.join(out, RUN_FILES.state))) {
    throw new UsageError(
      `--out ${out}: holds a training run (${RUN_FILES.state}); the experiment's report.html would replace the run's report; choose another directory`,
    );
  }
}

/** Runs the chosen experiments and writes their outputs, with the lock of `out` held. */
async function runLocked(spec: {
  name: string;
  flags: Record<string, unknown>;
  out: string;
  lang: Lang;
  chosen: typeof EXPERIMENTS;
}): Promise<void> {
  const { name, flags, out, lang, chosen } = spec;
  const results: Record<string, unknown> = {};
  const rendered: RenderedExperiment[] = [];
  const single = isSingleInit(name, flags);
  for (const listed of chosen as AnyExperiment[]) {
    const e: AnyExperiment = single ? initExperiment : listed;
    const started = Date.now();
    let result: unknown;
    try {
      result = e.run({
        ...dataFor(e.name),
        ...(single || e.name !== 'init'
          ? flagOptions(flags)
          : flags.seed !== undefined
            ? { seed: flags.seed }
            : {}),
      });
    } catch (error) {
      // The experiment's own check of its options (messages start with its name); anything else
      // thrown while it runs is a bug, not bad input.
      if (error instanceof RangeError && error.message.startsWith(`${e.name}:`))
        throw new UsageError(`experiment ${e.name}: ${error.message}`);
      throw error;
    }
    const seconds = (Date.now() - started) / 1000;
    results[e.name] = result;
    rendered.push({
      name: e.name,
      seconds,
      presentations: { en: e.present(result, 'en'), zh: e.present(result, 'zh') },
    });
    if (!flags.json) {
      const p = rendered[rendered.length - 1]!.presentations[lang];
      console.log(`${p.title} (${seconds.toFixed(1)} s)`);
      for (const f of p.findings) console.log(`  - ${f}`);
    }
  }
  await writeOutputs({ out, results, rendered: flags.report === false ? null : rendered, lang });
  if (flags.json) console.log(JSON.stringify(name === 'all' ? results : results[name]));
  else console.log(`report: ${path.join(out, 'report.html')}`);
}

/**
 * results.json, then the figures and report.html (unless --no-report); a full disk or lost
 * permissions is a `UsageError` naming --out and the file, as in `descent train`.
 */
async function writeOutputs(spec: {
  out: string;
  results: Record<string, unknown>;
  rendered: RenderedExperiment[] | null;
  lang: Lang;
}): Promise<void> {
  const where = { dir: spec.out, flag: '--out' };
  const intact = 'the experiments ran but their outputs are incomplete; free the cause and run again';
  guardedFileWrite(
    where,
    'results.json',
    () => writeText(path.join(spec.out, 'results.json'), `${JSON.stringify(spec.results)}\n`),
    intact,
  );
  if (spec.rendered === null) return;
  let html: string;
  try {
    html = await writeExperimentReport(spec.rendered, spec.out, spec.lang);
  } catch (error) {
    throw writeFailure(where, 'the figures', error, intact) ?? error;
  }
  guardedFileWrite(where, 'report.html', () => writeText(path.join(spec.out, 'report.html'), html), intact);
}

export function experimentCommand(): Command {
  return new Command('experiment')
    .description(
      `rerun one of the course's experiments (${EXPERIMENTS.map((e) => e.name).join(', ')}) or all of them`,
    )
    .argument('<name>', 'the experiment, or all')
    .option('--json', 'print the experiment’s data as JSON')
    .option(
      '--out <dir>',
      'where to write report.html, results.json and figures/ (default runs/experiment-<name>; runs/experiments for all)',
    )
    .option('--seed <n>', 'random seed', parseCount)
    .option(
      '--seeds <n>',
      'run the experiment over N seeds (--seed, --seed + 1, …) as a sweep; report the mean, 95% interval and significance per setting',
      parseCountIn(1, MAX_SEEDS),
    )
    .option(
      '--workers <n>',
      '--seeds: trials at once in the local pool (default: one per core)',
      parseCountIn(1, 256),
    )
    .option('--queue <url>', '--seeds: run the seeds on a BullMQ queue in Redis (redis://host:port)')
    .addOption(
      new Option('--lang <lang>', 'en|zh: the language printed and shown first in the report').argParser(
        parseChoice(['en', 'zh']),
      ),
    )
    .option('--no-report', 'skip the HTML report and figures')
    .addOption(
      new Option('--activation <name>', `init: ${INIT_ACTIVATIONS.join('|')}`).argParser(
        parseChoice(INIT_ACTIVATIONS),
      ),
    )
    .addOption(
      new Option('--init <scheme>', `init: ${INIT_CHOICES.join('|')}`).argParser(parseChoice(INIT_CHOICES)),
    )
    .option('--batch-norm', 'init: with batch normalization')
    .option('--layers <n>', 'init: hidden layers (default 10)', parseCountIn(1, LIMITS.experimentLayers))
    .option('--width <n>', 'init: layer width (default 100)', parseCountIn(1, LIMITS.experimentWidth))
    .option(
      '--batch <n>',
      'init: batch of N(0, 1) inputs (default 1000)',
      parseCountIn(1, LIMITS.experimentBatch),
    )
    .addOption(new Option('--backend <name>', BACKENDS.join('|')).argParser(parseChoice(BACKENDS)))
    .option('--threads <n>', 'wasm backend threads for matrix products (default: one per core)', parseCount)
    .action(async (name: string, flags: Record<string, unknown>) => runExperiments(name, flags));
}
