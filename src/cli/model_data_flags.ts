/**
 * The model and data flags of the commands that build a model from a run configuration, in groups, so
 * that each command lists only what it uses: `train` and `lr-find` take them all; `eval` loads saved
 * weights and runs in evaluation mode, so it takes the data, architecture and environment flags but
 * not the training-only ones (`--init`, `--dropout`, `--input-dropout`), which its `--help` leaves out.
 */
import { type Command, Option } from 'commander';
import { parseChoice, parseCount, parseNonNegative } from './parse.js';
import { ACTIVATIONS, ARCHS, BACKENDS, INITS, UsageError } from './run_config.js';

export function parseIntList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p) && Number(p) > 0)) {
    throw new UsageError(`'${value}' is not a list of positive integers such as 100,100,100`);
  }
  return parts.map(Number);
}

/** Where the samples come from and how they are read. */
export function addDataFlags(cmd: Command): Command {
  return cmd
    .option(
      '--data <name|path>',
      'mnist (default), fashion-mnist, spirals|moons|circles|xor|blobs, an IDX images file or a CSV file',
    )
    .option('--labels <file>', 'IDX labels file for an IDX --data')
    .option(
      '--test-data <file>',
      'held-out test data (IDX images or CSV); otherwise user data is split 80/20',
    )
    .option('--test-labels <file>', 'IDX labels of --test-data')
    .option(
      '--label-column <name|index>',
      'CSV label column (default: the first column named label, target, class or y, else the last)',
    )
    .option(
      '--delimiter <char>',
      "CSV field delimiter: one character, 'tab', or 'auto' (default: tab, semicolon or comma, detected)",
    )
    .option('--standardize', 'standardize each feature with the training mean and std');
}

/** The network's shape: what saved weights must match. */
export function addArchitectureFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--arch <name>', `architecture: ${ARCHS.join('|')} (default mlp)`).argParser(
        parseChoice(ARCHS),
      ),
    )
    .option('--hidden <sizes>', 'hidden layer widths of the mlp (default 100,100,100)', parseIntList)
    .addOption(
      new Option(
        '--activation <name>',
        `${ACTIVATIONS.join('|')} (default sigmoid for mlp, relu otherwise)`,
      ).argParser(parseChoice(ACTIVATIONS)),
    )
    .option('--batch-norm', 'batch normalization in the mlp (the default)')
    .option('--no-batch-norm', 'no batch normalization in the mlp')
    .option('--residual', 'identity skip connections around the mlp’s equal-width hidden layers')
    .option('--depth <n>', 'resnet/plain depth 6n+2 (default 8)', parseCount)
    .option('--width <n>', 'resnet/plain base width (default 8)', parseCount);
}

/** Model settings that only act while training: the initial weights and dropout. */
export function addTrainingModelFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--init <scheme>', `${INITS.join('|')} (default: PyTorch's)`).argParser(parseChoice(INITS)),
    )
    .option('--dropout <p>', 'dropout after each hidden layer of the mlp', parseNonNegative)
    .option('--input-dropout <p>', 'dropout on the mlp input', parseNonNegative);
}

/** The seed (data splits, synthetic sets, initial weights) and where the arithmetic runs. */
export function addEnvironmentFlags(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'random seed (default 0)', parseCount)
    .addOption(new Option('--backend <name>', `${BACKENDS.join('|')}`).argParser(parseChoice(BACKENDS)))
    .option('--threads <n>', 'wasm backend threads for matrix products (default: one per core)', parseCount);
}

/** The model and data flags `train` and `lr-find` share: every group above. */
export function addModelDataFlags(cmd: Command): Command {
  return addEnvironmentFlags(addTrainingModelFlags(addArchitectureFlags(addDataFlags(cmd))));
}
