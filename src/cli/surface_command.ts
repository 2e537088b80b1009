/**
 * `descent surface`: runs an optimizer on a 2-D test surface and prints its trajectory.
 * The flags and the JSON output are a stable contract (automated checks use them).
 */
import { Command, CommanderError, Option } from 'commander';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { SURFACE_NAMES } from '../surfaces/functions.js';
import { runTrajectory } from '../surfaces/trajectory.js';
import { parseChoice, parseCount, parseNonNegative, parsePair } from './parse.js';

interface SurfaceFlags {
  fn: string;
  optimizer: string;
  from: [number, number];
  steps: number;
  json?: boolean;
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  lrDecay?: number;
  initialAccumulatorValue?: number;
  alpha?: number;
  centered?: boolean;
  rho?: number;
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
}

/** Flag name → optimizer option name, for the options given on the command line. */
const OPTION_FLAGS = [
  ['lr', 'lr'],
  ['momentum', 'momentum'],
  ['dampening', 'dampening'],
  ['nesterov', 'nesterov'],
  ['weightDecay', 'weightDecay'],
  ['lrDecay', 'lrDecay'],
  ['initialAccumulatorValue', 'initialAccumulatorValue'],
  ['alpha', 'alpha'],
  ['centered', 'centered'],
  ['rho', 'rho'],
  ['betas', 'betas'],
  ['eps', 'eps'],
  ['amsgrad', 'amsgrad'],
] as const;

export function surfaceCommand(): Command {
  return new Command('surface')
    .description('run an optimizer on a 2-D test surface and print its trajectory')
    .addOption(
      new Option('--fn <name>', `the surface: ${SURFACE_NAMES.join('|')}`)
        .argParser(parseChoice(SURFACE_NAMES))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--optimizer <name>', `the optimizer: ${OPTIMIZER_NAMES.join('|')}`)
        .argParser(parseChoice(OPTIMIZER_NAMES))
        .makeOptionMandatory(),
    )
    .addOption(new Option('--from <x,y>', 'the starting point').argParser(parsePair).makeOptionMandatory())
    .addOption(
      new Option('--steps <n>', 'number of optimizer steps').argParser(parseCount).makeOptionMandatory(),
    )
    .option('--lr <v>', 'learning rate (default: the optimizer’s PyTorch default)', parseNonNegative)
    .option('--momentum <v>', 'momentum', parseNonNegative)
    .option('--dampening <v>', 'momentum dampening (SGD)', parseNonNegative)
    .option('--nesterov', 'Nesterov momentum (SGD)')
    .option('--weight-decay <v>', 'weight decay', parseNonNegative)
    .option('--lr-decay <v>', 'learning-rate decay (Adagrad)', parseNonNegative)
    .option('--initial-accumulator-value <v>', 'initial accumulator (Adagrad)', parseNonNegative)
    .option('--alpha <v>', 'smoothing constant (RMSprop)', parseNonNegative)
    .option('--centered', 'centered RMSprop')
    .option('--rho <v>', 'decay rate (Adadelta)', parseNonNegative)
    .option('--betas <b1,b2>', 'moment decay rates (Adam family)', parsePair)
    .option('--eps <v>', 'numerical-stability term', parseNonNegative)
    .option('--amsgrad', 'AMSGrad variant (Adam, AdamW)')
    .option('--json', 'print one JSON object')
    .action((flags: SurfaceFlags) => {
      const options: Record<string, unknown> = {};
      for (const [flag, option] of OPTION_FLAGS) if (flags[flag] !== undefined) options[option] = flags[flag];
      let result: ReturnType<typeof runTrajectory>;
      try {
        result = runTrajectory({
          fn: flags.fn,
          optimizer: flags.optimizer,
          options,
          start: flags.from,
          steps: flags.steps,
        });
      } catch (error) {
        // The optimizer rejected an option: a usage error, reported with the flag's name.
        if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
        const unknown = /unknown option '(\w+)'/.exec(error.message);
        const message = unknown
          ? `error: option '--${kebab(unknown[1]!)}' is not accepted by ${flags.optimizer}; it takes ${acceptedFlags(error.message)}`
          : `error: ${error.message}`;
        throw new CommanderError(2, 'descent.invalidOption', message);
      }
      if (flags.json) {
        console.log(
          JSON.stringify({
            fn: flags.fn,
            optimizer: flags.optimizer,
            options,
            start: flags.from,
            steps: flags.steps,
            ...result,
          }),
        );
        return;
      }
      const last = result.trajectory[result.trajectory.length - 1]!;
      const fmt = (v: number) =>
        Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4);
      console.log(`${flags.optimizer} on ${flags.fn} from (${flags.from.join(', ')}), ${flags.steps} steps`);
      console.log(`  loss  ${fmt(result.loss[0]!)} → ${fmt(result.loss[result.loss.length - 1]!)}`);
      console.log(`  point (${fmt(last[0])}, ${fmt(last[1])})`);
      if (!result.loss.every(Number.isFinite)) {
        console.log('  the loss became NaN or infinite: the learning rate is very likely too high');
      }
    });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flags matching the options listed in an "unknown option …; accepted: a, b" message. */
function acceptedFlags(message: string): string {
  const list = /accepted: (.*)$/.exec(message)?.[1]?.split(', ') ?? [];
  const flags = new Set<string>(OPTION_FLAGS.map(([, option]) => option));
  return list
    .filter((o) => flags.has(o as (typeof OPTION_FLAGS)[number][1]))
    .map((o) => `--${kebab(o)}`)
    .join(', ');
}
