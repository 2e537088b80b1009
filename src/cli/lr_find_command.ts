/** `descent lr-find`: the learning-rate range test (Smith 2017) on the configured model and data. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DataLoader } from '../data/loader.js';
import { createOptimizer } from '../optim/registry.js';
import { ADAM_TO_SGD } from '../run/adam_to_sgd_config.js';
import { lrFind } from '../train/lr_finder.js';
import { selectBackend } from './backend_choice.js';
import { LIMITS } from './limits.js';
import { addOptimizerFlags } from './optimizer_flags.js';
import { parseCount, parseCountIn, parseNonNegative } from './parse.js';
import {
  checkBatchNormBatches,
  evaluationConfig,
  optimizerOptionsOf,
  type RunConfig,
  readConfigFile,
  UsageError,
} from './run_config.js';
import { buildModel, buildOptimizer, loadRunData } from './setup.js';
import { addModelDataFlags } from './train_command.js';

interface SweepFlags {
  startLr: number;
  endLr: number;
  steps: number;
  json: boolean;
  config?: string;
  /** The model, data and optimizer flags, resolved like train's. */
  settings: Partial<RunConfig>;
}

function sweepFlags(flags: Record<string, unknown>): SweepFlags {
  const {
    startLr = 1e-7,
    endLr = 10,
    steps = 100,
    json,
    config,
    ...settings
  } = flags as {
    startLr?: number;
    endLr?: number;
    steps?: number;
    json?: boolean;
    config?: string;
  };
  if (!(startLr > 0 && endLr > startLr))
    throw new UsageError(`--start-lr must be positive and below --end-lr, got ${startLr} and ${endLr}`);
  if (startLr < LIMITS.lrFindMinLr || endLr > LIMITS.lrFindMaxLr)
    throw new UsageError(
      `--start-lr and --end-lr must lie in [${LIMITS.lrFindMinLr}, ${LIMITS.lrFindMaxLr}], got ${startLr} and ${endLr}`,
    );
  return {
    startLr,
    endLr,
    steps,
    json: json === true,
    ...(config !== undefined ? { config } : {}),
    settings: settings as Partial<RunConfig>,
  };
}

/** The configuration to sweep: a `--config` file's settings under the flags, without a validation split or the training-only keys. */
function sweepConfig(f: SweepFlags): RunConfig {
  const fromFile = f.config !== undefined ? readConfigFile(f.config) : {};
  if (fromFile.lr !== undefined) {
    throw new UsageError(
      `--config ${f.config}: lr-find sweeps the learning rate from --start-lr to --end-lr, so it would ignore lr ${fromFile.lr}; remove it from the file`,
    );
  }
  const config = evaluationConfig(fromFile, f.settings);
  if (config.optimizer === ADAM_TO_SGD) {
    throw new UsageError(
      `lr-find sweeps one optimizer's learning rate; ${ADAM_TO_SGD} changes optimizer mid-run: sweep adam (its first phase) instead`,
    );
  }
  return config;
}

export function lrFindCommand(): Command {
  const cmd = new Command('lr-find').description(
    'sweep the learning rate exponentially and suggest one (Smith 2017)',
  );
  addModelDataFlags(cmd);
  // The sweep sets the learning rate itself: --lr is refused by name instead of being ignored.
  addOptimizerFlags(
    cmd.addOption(new Option('--optimizer <name>', 'the optimizer to sweep (default adam)')),
    {
      except: ['lr'],
    },
  );
  return cmd
    .addOption(
      new Option('--lr <v>').hideHelp().argParser(() => {
        throw new InvalidArgumentError(
          'lr-find sweeps the learning rate: give its range with --start-lr and --end-lr',
        );
      }),
    )
    .option('--start-lr <v>', 'first learning rate (default 1e-7)', parseNonNegative)
    .option('--end-lr <v>', 'last learning rate (default 10)', parseNonNegative)
    .option(
      '--steps <n>',
      `sweep steps, 2 to ${LIMITS.lrFindSteps.toLocaleString('en-US')} (default 100)`,
      parseCountIn(2, LIMITS.lrFindSteps),
    )
    .option('--batch-size <n>', 'batch size (default 64)', parseCount)
    .option('--config <file>', 'a JSON file of train settings (its model, data and optimizer settings)')
    .option('--json', 'print { "suggestion", "lrs", "losses" }')
    .action(async (flags: Record<string, unknown>) => {
      const f = sweepFlags(flags);
      const config = sweepConfig(f);
      await selectBackend({ name: config.backend, threads: config.threads });
      const data = loadRunData(config, { test: false }); // the sweep reads the training split only
      checkBatchNormBatches(config, data.train.length);
      const model = buildModel(config, data.train.sampleShape, data.train.numClasses);
      buildOptimizer(config, model); // checks the optimizer flags with a clear error
      const loader = new DataLoader(data.train, {
        batchSize: config.batchSize,
        shuffle: true,
        seed: config.seed,
      });
      const r = lrFind(model, loader, {
        optimizer: (params) => createOptimizer(config.optimizer, params, optimizerOptionsOf(config)),
        loss: 'crossEntropy',
        startLr: f.startLr,
        endLr: f.endLr,
        steps: f.steps,
      });
      if (f.json)
        console.log(
          JSON.stringify({
            suggestion: r.suggestion,
            minLossLr: r.minLossLr,
            diverged: r.diverged,
            lrs: r.lrs,
            losses: r.losses,
          }),
        );
      else {
        // Each number after its --json key, as train and eval print theirs.
        console.log(
          `suggestion ${r.suggestion.toPrecision(3)}  (the suggested learning rate: ${r.suggestionRule})`,
        );
        console.log(
          `minLossLr ${r.minLossLr.toPrecision(3)}  (the lowest smoothed loss${r.diverged ? '; the loss diverged past it' : ''})`,
        );
      }
    });
}
