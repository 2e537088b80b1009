/** `descent lr-find`: the learning-rate range test (Smith 2017) on the configured model and data. */
import { Command, Option } from 'commander';
import { DataLoader } from '../data/loader.js';
import { createOptimizer } from '../optim/registry.js';
import { lrFind } from '../train/lr_finder.js';
import { selectBackend } from './backend_choice.js';
import { addOptimizerFlags } from './optimizer_flags.js';
import { parseCount, parseNonNegative } from './parse.js';
import {
  optimizerOptionsOf,
  type RunConfig,
  readConfigFile,
  resolveConfig,
  UsageError,
} from './run_config.js';
import { buildModel, buildOptimizer, loadRunData } from './setup.js';
import { addModelDataFlags } from './train_command.js';

export function lrFindCommand(): Command {
  const cmd = new Command('lr-find').description(
    'sweep the learning rate exponentially and suggest one (Smith 2017)',
  );
  addModelDataFlags(cmd);
  addOptimizerFlags(cmd.addOption(new Option('--optimizer <name>', 'the optimizer to sweep (default adam)')));
  return cmd
    .option('--start-lr <v>', 'first learning rate (default 1e-7)', parseNonNegative)
    .option('--end-lr <v>', 'last learning rate (default 10)', parseNonNegative)
    .option('--steps <n>', 'sweep steps (default 100)', parseCount)
    .option('--batch-size <n>', 'batch size (default 64)', parseCount)
    .option('--config <file>', 'a JSON file of train settings')
    .option('--json', 'print { "suggestion", "lrs", "losses" }')
    .action((flags: Record<string, unknown>) => {
      const {
        startLr = 1e-7,
        endLr = 10,
        steps = 100,
        json,
        config: configFile,
        ...rest
      } = flags as {
        startLr?: number;
        endLr?: number;
        steps?: number;
        json?: boolean;
        config?: string;
      };
      if (!(startLr > 0 && endLr > startLr))
        throw new UsageError(`--start-lr must be positive and below --end-lr, got ${startLr} and ${endLr}`);
      const config = resolveConfig(configFile ? readConfigFile(configFile) : {}, {
        ...(rest as Partial<RunConfig>),
        validation: 0,
      });
      selectBackend(config.backend, config.threads);
      const data = loadRunData(config);
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
        startLr,
        endLr,
        steps,
      });
      if (json)
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
        console.log(`suggested learning rate: ${r.suggestion.toPrecision(3)} (${r.suggestionRule})`);
        console.log(
          `lowest smoothed loss at lr ${r.minLossLr.toPrecision(3)}${r.diverged ? '; the loss diverged past it' : ''}`,
        );
      }
    });
}
