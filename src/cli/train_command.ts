/**
 * `descent train`: trains a network, shows progress, and leaves a run directory behind (config,
 * metrics, weights, resumable state and an HTML report). Without flags it runs the main job: the
 * course's 784-100-100-100-10 sigmoid network with batch normalization and Adam on bundled MNIST.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { summary } from '../nn/summary.js';
import { SWITCH_OPTIONS } from '../run/adam_to_sgd_config.js';
import { finalRecord } from '../run/records.js';
import { TrainingSession } from '../run/session.js';
import { tensor } from '../tensor/creation.js';
import type { Callback } from '../train/callbacks/callback.js';
import { layerStats } from '../train/layer_stats.js';
import type { TrainingState } from '../train/training_state.js';
import { backendLine, type SelectedBackend, selectBackend } from './backend_choice.js';
import { DivergedError } from './exit_codes.js';
import { checkModelFits } from './memory_check.js';
import { addModelDataFlags } from './model_data_flags.js';
import { addOptimizerFlags, checkOptimizerOptions } from './optimizer_flags.js';
import { parseChoice, parseCount, parseNonNegative } from './parse.js';
import { type FinalSummary, jsonReporter, plainReporter, type Reporter, ttyReporter } from './progress.js';
import { checkResumedData, readResume, resumeContext } from './resume.js';
import {
  asUsage,
  checkBatchNormBatches,
  optimizerOptionsOf,
  type RunConfig,
  readConfigFile,
  resolveConfig,
  UsageError,
} from './run_config.js';
import { type OpenRunDir, openRunDir, RUN_FILES, type RunDirMode } from './run_dir.js';
import { acquireRunLock, type RunLock } from './run_lock.js';
import { buildRunReport } from './run_report.js';
import { runClassification } from './run_report_metrics.js';
import { loadRunData, type RunData } from './setup.js';
import { checkLoggerFlags, trainLoggers } from './train_loggers.js';

// The model and data flags live in model_data_flags.ts (eval takes only some of them); re-exported
// for the commands that import them from here.
export { addModelDataFlags, parseIntList } from './model_data_flags.js';

const SWITCH_PARSERS = { count: parseCount, positive: parseNonNegative, nonNegative: parseNonNegative };

/** Flags whose parsed name differs from the config key. */
function configFromFlags(flags: Record<string, unknown>): Partial<RunConfig> {
  const c: Record<string, unknown> = { ...flags };
  delete c.config;
  delete c.resume;
  delete c.json;
  delete c.overwrite;
  delete c.csvLog;
  delete c.tensorboard;
  return c as Partial<RunConfig>;
}

function reporterFor(json: boolean): Reporter {
  if (json)
    return jsonReporter(
      (l) => console.log(l),
      (l) => process.stderr.write(`${l}\n`),
    );
  if (process.stderr.isTTY) return ttyReporter(process.stderr);
  return plainReporter((l) => console.log(l));
}

/**
 * `descent train` in four phases: resolve the configuration (and the state of a resumed run), prepare
 * the run directory, train, then evaluate and report (or stop with exit code 3 if training diverged).
 */
export async function runTraining(flags: Record<string, unknown>): Promise<void> {
  // A resume locks the directory before it reads the state: no other run may change it in between.
  const lock = lockResumedRun(flags.resume as string | undefined);
  try {
    await runLocked(flags, lock);
  } finally {
    lock?.release();
  }
}

/** The lock of the --resume directory, or undefined (no resume, or no such directory: readResume says so). */
function lockResumedRun(dir: string | undefined): RunLock | undefined {
  if (dir === undefined || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  return acquireRunLock({ dir, flag: '--resume' });
}

async function runLocked(flags: Record<string, unknown>, lock: RunLock | undefined): Promise<void> {
  const json = flags.json === true;
  const { config, state } = resolveRun(flags);
  const backend = await selectBackend({ name: config.backend, threads: config.threads });
  const reporter = reporterFor(json);
  const started = Date.now();
  checkLoggerFlags(flags);
  const { session, runDir } = prepareRun({ flags, config, state, lock, reporter });
  try {
    if (!json) reporter.info(startLine(config, session.data));
    if (!json && backend.adapterName !== undefined) reporter.info(backendLine(backend));
    // The layers, shapes and parameter counts (stdout in text mode; --json keeps stdout to its lines).
    if (!json) reporter.info(String(summary(session.model, session.data.train.sampleShape)));
    const loggers = trainLoggers(flags, session);
    await train({ session, runDir, state, loggers }, flags.resume as string | undefined);
    const divergence = session.divergence;
    if (divergence !== undefined) {
      throw divergedError({ session, reporter, json, runDir, started, message: divergence.message });
    }
    await finishRun({ config, session, reporter, json, started, runDir, backend });
  } finally {
    reporter.close();
    runDir.close();
  }
}

/**
 * The run's configuration: the flags over --config and the defaults, or, for --resume, the saved
 * configuration and training state (resume.ts checks the flags, config.json and the state).
 */
function resolveRun(flags: Record<string, unknown>): { config: RunConfig; state?: TrainingState } {
  const resumeDir = flags.resume as string | undefined;
  let config: RunConfig;
  let state: TrainingState | undefined;
  if (resumeDir !== undefined) {
    const configFile = typeof flags.config === 'string' ? flags.config : undefined;
    ({ config, state } = readResume(resumeDir, configFromFlags(flags), configFile));
  } else {
    const base = typeof flags.config === 'string' ? readConfigFile(flags.config) : {};
    config = resolveConfig(base, configFromFlags(flags));
  }
  config.out ??= path.join('runs', new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19));
  return state === undefined ? { config } : { config, state };
}

/**
 * The training session (data, model, optimizer, schedule), checked against a resumed state, and then
 * the run directory opened: a configuration refused while building leaves no directory behind.
 */
function prepareRun(spec: {
  flags: Record<string, unknown>;
  config: RunConfig;
  state: TrainingState | undefined;
  lock: RunLock | undefined;
  reporter: Reporter;
}): { session: TrainingSession; runDir: OpenRunDir } {
  const { flags, config, state, lock } = spec;
  const out = config.out as string;
  const mode = runDirMode(flags);
  const session = setUpTraining(config, spec.reporter, state);
  const data = session.data as RunData;
  if (state !== undefined) checkResumedData(out, state, data);
  const runDir = openRunDir({
    dir: out,
    flag: mode === 'resume' ? '--resume' : '--out',
    mode,
    config,
    stateContext: resumeContext(config, data),
    ...(lock ? { lock } : {}),
  });
  return { session, runDir };
}

function startLine(config: RunConfig, data: TrainingSession['data']): string {
  return `training ${config.arch} on ${config.data} (${data.train.length} train, ${data.validation?.length ?? 0} validation, ${data.test.length} test) with ${config.optimizer}; run directory ${config.out}`;
}

/**
 * The session's epochs (through async reads: the progress bar redraws while an epoch runs), the run
 * directory's writer checkpointing each, with a checkpoint that cannot be loaded into this
 * configuration reported as bad input: an error of a resume before training began, that is, before
 * the writer saw `onTrainBegin`, which comes right after the state is restored. An error once training
 * runs (out of memory, say) is not the checkpoint's fault and passes unchanged.
 */
async function train(
  run: {
    session: TrainingSession;
    runDir: OpenRunDir;
    state: TrainingState | undefined;
    /** --csv-log and --tensorboard, after the writer. */
    loggers: Callback[];
  },
  resumeDir: string | undefined,
): Promise<void> {
  const { session, runDir } = run;
  try {
    session.begin({ callbacks: [runDir.writer, ...run.loggers] });
    while (!session.done) await session.runEpochAsync();
    session.end();
  } catch (error) {
    if (run.state && !runDir.writer.began) {
      throw new UsageError(
        `--resume ${resumeDir}: the checkpoint does not fit this configuration: ${(error as Error).message}`,
      );
    }
    throw error;
  }
}

/** --resume continues the run in a directory, --overwrite replaces it; a plain run refuses to. */
function runDirMode(flags: Record<string, unknown>): RunDirMode {
  if (flags.resume !== undefined && flags.overwrite === true) {
    throw new UsageError(
      '--overwrite and --resume contradict each other: --resume continues the run in the directory, --overwrite replaces it; give one',
    );
  }
  if (flags.resume !== undefined) return 'resume';
  return flags.overwrite === true ? 'overwrite' : 'new';
}

/**
 * The library's training session for the configuration (src/run/session.ts, which the lab runs too),
 * after the CLI's own checks: the data, a model that fits in memory, the optimizer's options by flag.
 */
function setUpTraining(
  config: RunConfig,
  reporter: Reporter,
  state: TrainingState | undefined,
): TrainingSession {
  const data = loadRunData(config);
  checkBatchNormBatches(config, data.train.length);
  checkModelFits(config, data.train.sampleShape, data.train.numClasses);
  checkOptimizerOptions(config.optimizer, optimizerOptionsOf(config));
  return asUsage(
    () =>
      new TrainingSession({
        config,
        data,
        onProgress: (e) => reporter.onProgress(e),
        ...(state ? { resume: state } : {}),
      }),
  );
}

/**
 * A diverged run: no test evaluation and no report (the weights are garbage); the directory keeps
 * the last good checkpoint, and the CLI exits with code 3. With --json the final line says so.
 */
function divergedError(run: {
  session: TrainingSession;
  reporter: Reporter;
  json: boolean;
  runDir: OpenRunDir;
  started: number;
  message: string;
}): DivergedError {
  const { runDir } = run;
  const kept = runDir.writer.lastCheckpoint;
  if (run.json) {
    const wallSeconds = (Date.now() - run.started) / 1000;
    run.reporter.final({ ...run.session.summary({ wallSeconds }), checkpointEpoch: kept });
  }
  const where =
    kept !== null
      ? `${runDir.dir} keeps the checkpoint of epoch ${kept}, the last before the divergence`
      : runDir.writer.replacing
        ? `no checkpoint was written (it diverged in its first epoch); ${runDir.dir} still holds the run it was to replace`
        : `no checkpoint was written (it diverged in its first epoch)`;
  return new DivergedError(`training diverged: ${run.message}; ${where}`);
}

/** Test evaluation, per-layer statistics, the report and the final summary of a run that ended well. */
async function finishRun(run: {
  config: RunConfig;
  session: TrainingSession;
  reporter: Reporter;
  json: boolean;
  started: number;
  runDir: OpenRunDir;
  /** Recorded in summary.json: where the run's arithmetic ran (auto resolved, the GPU's name). */
  backend: SelectedBackend;
}): Promise<void> {
  const { config, session, reporter } = run;
  const { model, data, history } = session;
  const final: FinalSummary = await session.summaryAsync({ wallSeconds: (Date.now() - run.started) / 1000 });
  const sample = data.test.slice(0, Math.min(256, data.test.length));
  const stats = layerStats(
    model,
    tensor(sample.features, { shape: [sample.length, ...sample.sampleShape] }),
    {
      y: tensor(sample.labels, { dtype: 'int32' }),
      loss: 'crossEntropy',
    },
  );
  // Per-class metrics and the confusion matrix of the test split (one more evaluation pass).
  const classification = data.test.numClasses >= 2 ? runClassification(model, data.test) : undefined;
  const report = await buildRunReport({
    config,
    history,
    final,
    layers: stats,
    lang: config.lang,
    ...(classification ? { classification } : {}),
  });
  run.runDir.writeReport(report);
  run.runDir.writeSummary({ ...finalRecord(final), ...backendRecord(run.backend) });
  reporter.final(final);
  if (!run.json) reporter.info(`report: ${path.join(run.runDir.dir, RUN_FILES.report)}`);
}

/** summary.json's backend keys: `backend`, and `adapter` on WebGPU. */
function backendRecord(backend: SelectedBackend): { backend: string; adapter?: string } {
  return backend.adapterName === undefined
    ? { backend: backend.name }
    : { backend: backend.name, adapter: backend.adapterName };
}

export function trainCommand(): Command {
  const cmd = new Command('train').description('train a network and write a run directory with a report');
  addModelDataFlags(cmd);
  addOptimizerFlags(
    cmd.addOption(
      new Option(
        '--optimizer <name>',
        'sgd|adagrad|rmsprop|adadelta|adam|adamw|adamax|nadam|radam|lion|lamb|qhm|qhadam|aggmo|demon|adam-to-sgd (default adam)',
      ),
    ),
  );
  for (const { flag, description, kind } of SWITCH_OPTIONS)
    cmd.option(flag, description, SWITCH_PARSERS[kind]);
  return cmd
    .option(
      '--schedule <spec>',
      "none|step|multistep|exponential|cosine|onecycle|poly|plateau, with options as 'step:stepSize=2,gamma=0.5'",
    )
    .option('--warmup <steps>', 'linear warmup steps in front of the schedule', parseCount)
    .option('--l1 <lambda>', 'L1 penalty λ·Σ|w| on the weights (biases excluded)', parseNonNegative)
    .option('--l2 <lambda>', 'L2 penalty λ·Σw² on the weights (biases excluded)', parseNonNegative)
    .option('--clip-norm <v>', 'clip the gradients to this global L2 norm', parseNonNegative)
    .option(
      '--early-stopping <patience>',
      'stop when the validation loss has not improved for this many epochs',
      parseCount,
    )
    .option(
      '--validation <fraction>',
      'fraction of the training set held out for validation (default 0.1)',
      parseNonNegative,
    )
    .option(
      '--train-size <n>',
      'train on a seeded random subset of this many samples of the training split (default: all)',
      parseCount,
    )
    .option('--epochs <n>', 'epochs (default 3)', parseCount)
    .option('--batch-size <n>', 'batch size (default 64)', parseCount)
    .option('--out <dir>', 'run directory (default runs/<date-time>)')
    .option('--config <file>', 'a JSON file with any of these settings (camelCase keys); flags override it')
    .option('--resume <dir>', 'continue the run in this directory from its last checkpoint')
    .option(
      '--overwrite',
      'replace the run already in --out (kept until the new run has its first checkpoint)',
    )
    .addOption(new Option('--lang <lang>', 'report language: en|zh').argParser(parseChoice(['en', 'zh'])))
    .option('--json', 'print JSON lines: one per epoch, then a final summary')
    .option('--csv-log <file>', 'write each epoch’s logs as a CSV row (a resumed run appends)')
    .option(
      '--tensorboard <dir>',
      'write TensorBoard event files: loss and lr per step, epoch logs, weight and activation histograms per epoch',
    )
    .action(async (flags: Record<string, unknown>) => runTraining(flags));
}
