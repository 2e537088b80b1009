/**
 * The `descent` command line (Node only). Thin: it parses arguments, calls the library and prints.
 * Later issues add `train`, `experiment` and `bench` commands here.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { getBackend, gradRules } from '../index.js';
import { evalCommand } from './eval_command.js';
import { experimentCommand } from './experiment_command.js';
import { lrFindCommand } from './lr_find_command.js';
import { UsageError } from './run_config.js';
import { surfaceCommand } from './surface_command.js';
import { trainCommand } from './train_command.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('descent')
    .description(
      'Train deep neural networks in TypeScript: tensors, autograd, optimizers and the experiments that show them working.',
    )
    .version(packageVersion());

  program
    .command('info')
    .description('print the version, the active backend and the differentiable primitives')
    .option('--json', 'print machine-readable JSON')
    .action((options: { json?: boolean }) => {
      const info = {
        version: packageVersion(),
        node: process.version,
        backend: getBackend().name,
        primitives: Object.keys(gradRules),
      };
      if (options.json) console.log(JSON.stringify(info, null, 2));
      else {
        console.log(`descent ${info.version} on Node ${info.node}`);
        console.log(`backend: ${info.backend}`);
        console.log(`differentiable primitives (${info.primitives.length}): ${info.primitives.join(', ')}`);
      }
    });
  program.addCommand(surfaceCommand());
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(lrFindCommand());
  program.addCommand(experimentCommand());
  return program;
}

/**
 * Runs the CLI. Usage errors (an unknown command, flag or choice, a malformed number) print one line
 * naming the flag and what is accepted, and exit with code 2; other failures exit with code 1.
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  const usageError = (message: string) => {
    process.stderr.write(`${message.trim().split('\n')[0]}\n`);
    process.exitCode = 2;
  };
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return;
      }
      usageError(error.message);
      return;
    }
    if (error instanceof UsageError) {
      usageError(`error: ${error.message}`);
      return;
    }
    process.stderr.write(`descent: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
