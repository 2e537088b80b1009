/**
 * `descent surface`: runs an optimizer on a 2-D test surface and prints its trajectory.
 * The flags and the JSON output are a stable contract (automated checks use them).
 */
import { Command, Option } from 'commander';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { SURFACE_NAMES } from '../surfaces/functions.js';
import { runTrajectory } from '../surfaces/trajectory.js';
import { LIMITS } from './limits.js';
import { addOptimizerFlags, checkOptimizerOptions, optimizerOptionsFrom } from './optimizer_flags.js';
import { parseChoice, parseCountIn, parsePair } from './parse.js';

/** The parsed flags: the surface's own, and any optimizer option (see optimizer_flags.ts). */
interface SurfaceFlags {
  fn: string;
  optimizer: string;
  from: [number, number];
  steps: number;
  json?: boolean;
}

export function surfaceCommand(): Command {
  const cmd = new Command('surface')
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
      new Option(
        '--steps <n>',
        `number of optimizer steps (at most ${LIMITS.surfaceSteps.toLocaleString('en-US')})`,
      )
        .argParser(parseCountIn(0, LIMITS.surfaceSteps))
        .makeOptionMandatory(),
    )
    .option('--json', 'print one JSON object');
  return addOptimizerFlags(cmd).action((flags: SurfaceFlags) => {
    const options = optimizerOptionsFrom(flags as unknown as Record<string, unknown>);
    checkOptimizerOptions(flags.optimizer, options);
    const result = runTrajectory({
      fn: flags.fn,
      optimizer: flags.optimizer,
      options,
      start: flags.from,
      steps: flags.steps,
    });
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
