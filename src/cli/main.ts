/**
 * The `descent` command line (Node only). Thin: it parses arguments, calls the library and prints;
 * `main` maps how a command ended to the exit code (0 success, 2 bad input, 3 diverged, 1 a bug).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { OutOfMemoryError } from '../backend/out_of_memory.js';
import { isWebGpuDeviceLost } from '../backend/webgpu/adapter.js';
import { FormatError } from '../io/format_error.js';
import { releaseBackend } from './backend_choice.js';
import { bugReport } from './bug_report.js';
import { compareCommand } from './compare_command.js';
import { evalCommand } from './eval_command.js';
import { DivergedError, EXIT, UsageError } from './exit_codes.js';
import { experimentCommand } from './experiment_command.js';
import { infoCommand } from './info_command.js';
import { labCommand } from './lab_command.js';
import { lrFindCommand } from './lr_find_command.js';
import { usageErrorLine } from './suggestions.js';
import { surfaceCommand } from './surface_command.js';
import { sweepCommand } from './sweep_command.js';
import { trainCommand } from './train_command.js';
import { workerCommand } from './worker_command.js';

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

  program.addCommand(infoCommand(packageVersion()));
  program.addCommand(surfaceCommand());
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(lrFindCommand());
  program.addCommand(compareCommand());
  program.addCommand(experimentCommand());
  program.addCommand(labCommand());
  program.addCommand(sweepCommand());
  program.addCommand(workerCommand());
  return program;
}

/** The exit code and what to print for an error that ended a command (README, "Exit codes"). */
function outcomeOf(
  error: unknown,
  args: readonly string[],
  program: Command,
): { code: number; text: string } {
  const oneLine = (message: string) => `${message.trim().split('\n')[0]}\n`;
  if (error instanceof CommanderError) {
    if (QUIET_EXITS.has(error.code)) return { code: EXIT.ok, text: '' };
    return { code: EXIT.usage, text: `${usageErrorLine(program, error, args)}\n` };
  }
  // A FormatError that reached here names its file but not the flag: still bad input, not a bug. So
  // is running out of memory: the sizes asked for do not fit, and the message says what to do.
  if (error instanceof UsageError || error instanceof FormatError || error instanceof OutOfMemoryError) {
    return { code: EXIT.usage, text: oneLine(`error: ${error.message}`) };
  }
  if (error instanceof DivergedError) return { code: EXIT.diverged, text: `descent: ${error.message}\n` };
  // The GPU went away (driver reset, device removed): the environment's doing, not descent's bug.
  if (isWebGpuDeviceLost(error))
    return { code: EXIT.usage, text: oneLine(`error: ${(error as Error).message}`) };
  return { code: EXIT.internal, text: bugReport(error, { args, version: packageVersion() }) };
}

/** Commander's ways of ending after printing what was asked for. */
const QUIET_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

const guardedStreams = new WeakSet<NodeJS.WriteStream>();

/**
 * A reader that closed its end (`descent train --json | head -1`) makes the next write fail with
 * EPIPE, emitted as an 'error' event that, unhandled, ends the process with a raw stack trace, exit 1
 * and, mid-run, a stale lock. Nobody reads that stream any more: from then on its writes are dropped
 * quietly and the command finishes as it would have (its `finally` blocks release what it holds),
 * with its own exit code. Any other error of the stream is still raised.
 */
function dropWritesAfterEpipe(stream: NodeJS.WriteStream): void {
  // Once per stream: main() runs many times in one process in the tests.
  if (guardedStreams.has(stream)) return;
  guardedStreams.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = ((...args: unknown[]) => {
      const done = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
  });
}

/**
 * Runs the CLI and keeps the exit-code contract (README, "Exit codes"; src/cli/exit_codes.ts): 0 on
 * success; 2 for bad input (an unknown command, flag or choice, a malformed number, a bad file or
 * configuration: one line naming the flag or file and what is accepted); 3 when training diverged; 1
 * only for internal errors, printed as a bug report with the context needed to reproduce them.
 */
export async function main(argv: string[]): Promise<void> {
  dropWritesAfterEpipe(process.stdout);
  dropWritesAfterEpipe(process.stderr);
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  // Every command, subcommands of subcommands included (`sweep report`).
  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const cmd of everyCommand(program)) {
    cmd.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const { code, text } = outcomeOf(error, argv.slice(2), program);
    if (text) process.stderr.write(text);
    if (code !== EXIT.ok) process.exitCode = code;
  } finally {
    // A WebGPU worker and its device end with the command (in-process tests run many commands).
    releaseBackend();
  }
}
