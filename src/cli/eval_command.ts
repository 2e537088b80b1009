/**
 * `descent eval`: loss, accuracy, top-k accuracy, per-class precision / recall / F1 and the confusion
 * matrix of saved weights, in evaluation mode (BatchNorm's running statistics, no dropout). Weights
 * come from a run directory (`--run DIR`) or a .safetensors file with the same architecture flags as
 * `train` — including state dicts saved by PyTorch from the equivalent nn.Sequential (`0.weight`,
 * `1.running_mean`, `1.num_batches_tracked`, …).
 *
 * Splits are the run's: `train` is what it trained on, `validation` what it validated on (the same
 * fraction of the training samples, drawn with the same seed, as `descent train` draws it), `test` its
 * test split, `all` the three together.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { TensorDataset } from '../data/dataset.js';
import { loadModel } from '../io/checkpoint.js';
import { FormatError } from '../io/format_error.js';
import { checkRegularFile, READ_LIMITS } from '../io/safe_path.js';
import { classificationMetrics } from '../metrics/classification.js';
import type { Module } from '../nn/module.js';
import { evaluate } from '../train/trainer.js';
import { selectBackend } from './backend_choice.js';
import { classNamesOf, evalRecord } from './eval_record.js';
import { evalLines } from './eval_table.js';
import { addArchitectureFlags, addDataFlags, addEnvironmentFlags } from './model_data_flags.js';
import { parseChoice, parseCount, parseNonNegative } from './parse.js';
import { DEFAULTS, evaluationConfig, type RunConfig, readConfigFile, UsageError } from './run_config.js';
import { RUN_FILES } from './run_dir.js';
import { allOf, buildModel, loadRunData, type RunData } from './setup.js';

export const EVAL_SPLITS = ['train', 'validation', 'test', 'all'] as const;
type EvalSplit = (typeof EVAL_SPLITS)[number];

interface EvalFlags {
  weights?: string;
  run?: string;
  split: EvalSplit;
  validation?: number;
  topK?: number;
  json: boolean;
  /** The data, architecture and environment flags, as configuration keys. */
  settings: Partial<RunConfig>;
}

function evalFlags(flags: Record<string, unknown>): EvalFlags {
  const { weights, run, split = 'test', validation, topK, json, ...settings } = flags;
  if ((weights === undefined) === (run === undefined))
    throw new UsageError('give exactly one of --weights FILE and --run DIR');
  if (typeof validation === 'number' && validation >= 1)
    throw new UsageError(`--validation ${validation}: accepted: a fraction in [0, 1)`);
  return {
    ...(weights === undefined ? {} : { weights: weights as string }),
    ...(run === undefined ? {} : { run: run as string }),
    split: split as EvalSplit,
    ...(validation === undefined ? {} : { validation: validation as number }),
    ...(topK === undefined ? {} : { topK: topK as number }),
    json: json === true,
    settings: settings as Partial<RunConfig>,
  };
}

/** Only a regular file within the limit: /dev/zero, /dev/urandom or a FIFO would be read forever. */
function checkWeightsFile(file: string, run: string | undefined): void {
  try {
    checkRegularFile(file, {
      what: '--weights',
      maxBytes: READ_LIMITS.safetensors,
      ...(run === undefined ? {} : { name: `--run ${run}: ${file}` }),
    });
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** The run's saved configuration and weights file, or no configuration and the --weights file. */
function weightsSource(f: EvalFlags): { base: Partial<RunConfig>; file: string } {
  if (f.run === undefined) return { base: {}, file: f.weights! };
  const configFile = path.join(f.run, RUN_FILES.config);
  if (!fs.existsSync(configFile))
    throw new UsageError(
      `--run ${f.run}: no ${RUN_FILES.config} there; accepted: a directory written by descent train`,
    );
  return {
    base: readConfigFile(configFile, `--run ${f.run}: ${configFile}`),
    file: path.join(f.run, RUN_FILES.model),
  };
}

/**
 * The configuration to evaluate: without the training-only keys, and with the run's validation fraction
 * (--validation, else the run's, else train's default), for every split: it says which samples are the
 * training part, and so also what `--standardize` was fitted on, which the test split is scaled by.
 */
function evalConfig(f: EvalFlags, base: Partial<RunConfig>): RunConfig {
  const config = evaluationConfig(base, f.settings);
  const validation = f.validation ?? base.validation ?? DEFAULTS.validation;
  if (f.split === 'validation' && validation === 0) {
    throw new UsageError(
      `--split validation: ${f.validation !== undefined || f.run === undefined ? '--validation is 0' : `the run in ${f.run} has no validation split (validation 0)`}; accepted: --split train, test or all`,
    );
  }
  return { ...config, validation };
}

function splitOf(data: RunData, split: EvalSplit): TensorDataset {
  if (split === 'train') return data.train;
  if (split === 'validation') return data.validation!;
  return split === 'all' ? allOf(data) : data.test;
}

function loadWeights(file: string, model: Module, arch: string): void {
  try {
    loadModel(file, model, { strict: true });
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw new UsageError(
      `${file} does not fit the ${arch} model these flags describe: ${(error as Error).message.split('\n').slice(0, 4).join('; ')}`,
    );
  }
}

/** --top-k, else 5 when there are more than 5 classes; refused above the number of classes. */
function topKFor(f: EvalFlags, numClasses: number): number | undefined {
  if (f.topK === undefined) return numClasses > 5 ? 5 : undefined;
  if (f.topK < 1 || f.topK > numClasses)
    throw new UsageError(
      `--top-k ${f.topK}: the model has ${numClasses} classes; accepted: 1 to ${numClasses}`,
    );
  return f.topK;
}

async function runEval(flags: Record<string, unknown>): Promise<void> {
  const f = evalFlags(flags);
  const { base, file } = weightsSource(f);
  checkWeightsFile(file, f.run);
  const config = evalConfig(f, base);
  await selectBackend({ name: config.backend, threads: config.threads });
  const data = loadRunData(config, { test: f.split === 'test' || f.split === 'all' });
  const numClasses = data.train.numClasses;
  const model = buildModel(config, data.train.sampleShape, numClasses);
  loadWeights(file, model, config.arch);
  const topK = topKFor(f, numClasses);
  const metrics = classificationMetrics({ numClasses, ...(topK === undefined ? {} : { topK }) });
  const dataset = splitOf(data, f.split);
  const r = evaluate(model, dataset, { loss: 'crossEntropy', batchSize: 256, metrics: [metrics] });
  const record = evalRecord({
    split: f.split,
    loss: r.loss,
    report: metrics.report(),
    classes: classNamesOf(data.train.classNames, numClasses),
  });
  if (f.json) console.log(JSON.stringify(record));
  else for (const line of evalLines(record)) console.log(line);
}

/** A flag of train's that evaluation would ignore: refused by name, and left out of `--help`. */
function trainingOnly(flag: string): Option {
  return new Option(`${flag} <value>`).hideHelp().argParser(() => {
    throw new InvalidArgumentError(
      `${flag} only matters in training; eval loads the weights and runs in evaluation mode`,
    );
  });
}

export function evalCommand(): Command {
  const cmd = new Command('eval').description(
    'evaluate saved weights in evaluation mode: loss, accuracy, top-k accuracy, per-class precision/recall/F1 and the confusion matrix',
  );
  addEnvironmentFlags(addArchitectureFlags(addDataFlags(cmd)));
  for (const flag of ['--init', '--dropout', '--input-dropout']) cmd.addOption(trainingOnly(flag));
  return cmd
    .option('--weights <file>', 'a .safetensors state dict (descent or PyTorch names)')
    .option('--run <dir>', 'a run directory: its config.json and model.safetensors')
    .addOption(
      new Option(
        '--split <split>',
        `${EVAL_SPLITS.join('|')} (default test); the run's own splits`,
      ).argParser(parseChoice(EVAL_SPLITS)),
    )
    .option(
      '--validation <fraction>',
      "the validation fraction the weights were trained with: which samples are train and validation (default: the run's, else 0.1)",
      parseNonNegative,
    )
    .option('--top-k <k>', 'also measure the top-k accuracy (default 5 with more than 5 classes)', parseCount)
    .option(
      '--json',
      'print one JSON object: loss, accuracy, top{k}Accuracy, per-class metrics, confusionMatrix',
    )
    .action(async (flags: Record<string, unknown>) => runEval(flags));
}
