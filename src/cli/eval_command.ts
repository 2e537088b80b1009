/**
 * `descent eval`: accuracy and loss of saved weights, in evaluation mode (BatchNorm's running
 * statistics, no dropout). Weights come from a run directory (`--run DIR`) or a .safetensors file
 * with the same architecture flags as `train` — including state dicts saved by PyTorch from the
 * equivalent nn.Sequential (`0.weight`, `1.running_mean`, `1.num_batches_tracked`, …).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadModel } from '../io/checkpoint.js';
import { FormatError } from '../io/format_error.js';
import { checkRegularFile, READ_LIMITS } from '../io/safe_path.js';
import { evaluate } from '../train/trainer.js';
import { selectBackend } from './backend_choice.js';
import { parseChoice } from './parse.js';
import { evaluationConfig, type RunConfig, readConfigFile, UsageError } from './run_config.js';
import { RUN_FILES } from './run_dir.js';
import { allOf, buildModel, loadRunData } from './setup.js';
import { addModelDataFlags } from './train_command.js';

/**
 * Model flags that only matter while training: evaluation loads the weights (so `--init` changes
 * nothing) and runs in evaluation mode (so dropout is off). Refused rather than silently ignored.
 */
const TRAINING_ONLY = { init: '--init', dropout: '--dropout', inputDropout: '--input-dropout' } as const;

function refuseTrainingOnlyFlags(flags: Record<string, unknown>): void {
  for (const [key, flag] of Object.entries(TRAINING_ONLY)) {
    if (flags[key] !== undefined)
      throw new UsageError(
        `${flag} only matters in training; eval loads the weights and runs in evaluation mode`,
      );
  }
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

export function evalCommand(): Command {
  const cmd = new Command('eval').description(
    'evaluate saved weights (accuracy and loss) in evaluation mode',
  );
  addModelDataFlags(cmd);
  return cmd
    .option('--weights <file>', 'a .safetensors state dict (descent or PyTorch names)')
    .option('--run <dir>', 'a run directory: its config.json and model.safetensors')
    .addOption(
      new Option('--split <split>', 'train|test|all (default test)').argParser(
        parseChoice(['train', 'test', 'all']),
      ),
    )
    .option('--json', 'print { "accuracy", "loss", "samples" }')
    .action((flags: Record<string, unknown>) => {
      const {
        weights,
        run,
        split = 'test',
        json,
        ...rest
      } = flags as { weights?: string; run?: string; split?: string; json?: boolean };
      if ((weights === undefined) === (run === undefined))
        throw new UsageError('give exactly one of --weights FILE and --run DIR');
      let base: Partial<RunConfig> = {};
      let file = weights!;
      if (run !== undefined) {
        const configFile = path.join(run, RUN_FILES.config);
        if (!fs.existsSync(configFile))
          throw new UsageError(
            `--run ${run}: no ${RUN_FILES.config} there; accepted: a directory written by descent train`,
          );
        base = readConfigFile(configFile, `--run ${run}: ${configFile}`);
        file = path.join(run, RUN_FILES.model);
      }
      checkWeightsFile(file, run);
      refuseTrainingOnlyFlags(rest);
      const config = evaluationConfig(base, rest as Partial<RunConfig>);
      selectBackend(config.backend, config.threads);
      const data = loadRunData(config, { test: split !== 'train' });
      const model = buildModel(config, data.train.sampleShape, data.train.numClasses);
      try {
        loadModel(file, model, { strict: true });
      } catch (error) {
        if (error instanceof FormatError) throw new UsageError(error.message);
        throw new UsageError(
          `${file} does not fit the ${config.arch} model these flags describe: ${(error as Error).message.split('\n').slice(0, 4).join('; ')}`,
        );
      }
      const dataset = split === 'train' ? data.train : split === 'all' ? allOf(data) : data.test;
      const r = evaluate(model, dataset, { loss: 'crossEntropy', batchSize: 256 });
      const out = { accuracy: r.accuracy ?? null, loss: r.loss, samples: r.samples };
      if (json) console.log(JSON.stringify(out));
      else
        console.log(
          `${split}: accuracy ${(out.accuracy ?? Number.NaN).toFixed(4)}  loss ${out.loss.toFixed(4)}  (${out.samples} samples)`,
        );
    });
}
