/**
 * `descent surface`: runs an optimizer on a 2-D test surface and prints its trajectory.
 * The flags and the JSON output are a stable contract (automated checks use them).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BackendName } from '../backend/registry.js';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { SURFACE_NAMES } from '../surfaces/functions.js';
import { checkCondition } from '../surfaces/quadratic.js';
import { surfaceRecord } from '../surfaces/record.js';
import { environmentBackend, selectBackend } from './backend_choice.js';
import { UsageError } from './exit_codes.js';
import { LIMITS } from './limits.js';
import { addOptimizerFlags, checkOptimizerOptions, optimizerOptionsFrom } from './optimizer_flags.js';
import { parseChoice, parseCountIn, parsePair } from './parse.js';
import { BACKENDS } from './run_config.js';

/** The parsed flags: the surface's own, and any optimizer option (see optimizer_flags.ts). */
interface SurfaceFlags {
  fn: string;
  optimizer: string;
  from: [number, number];
  steps: number;
  condition?: number;
  json?: boolean;
  backend?: BackendName;
}

/** `--condition K`: a finite number ≥ 1, checked by the library's own rule (same words as its error). */
function parseCondition(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  try {
    return checkCondition('--condition', n);
  } catch {
    throw new InvalidArgumentError(
      `'${value}' is not a condition number: accepted a finite number ≥ 1 (the quadratic's κ in 0.5·(x² + κ·y²)).`,
    );
  }
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
    .addOption(
      new Option(
        '--condition <k>',
        'quadratic only: the condition number κ in 0.5·(x² + κ·y²) (default 25)',
      ).argParser(parseCondition),
    )
    .option('--json', 'print one JSON object')
    .addOption(new Option('--backend <name>', BACKENDS.join('|')).argParser(parseChoice(BACKENDS)));
  return addOptimizerFlags(cmd).action(async (flags: SurfaceFlags) => {
    if (flags.condition !== undefined && flags.fn !== 'quadratic') {
      throw new UsageError(
        `--condition applies to --fn quadratic only (its κ in 0.5·(x² + κ·y²)); ${flags.fn} has no condition parameter`,
      );
    }
    const options = optimizerOptionsFrom(flags as unknown as Record<string, unknown>);
    checkOptimizerOptions(flags.optimizer, options);
    // The default backend is already the one DESCENT_BACKEND names, unless it names a GPU.
    if (flags.backend !== undefined || environmentBackend() !== undefined) {
      await selectBackend({ name: flags.backend });
    }
    const result = surfaceRecord({
      fn: flags.fn,
      optimizer: flags.optimizer,
      options,
      start: flags.from,
      steps: flags.steps,
      ...(flags.condition === undefined ? {} : { condition: flags.condition }),
    });
    if (flags.json) {
      console.log(JSON.stringify(result));
      return;
    }
    const last = result.trajectory[result.trajectory.length - 1]!;
    const fmt = (v: number) =>
      Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4);
    const on = flags.condition === undefined ? flags.fn : `${flags.fn} (κ = ${flags.condition})`;
    console.log(`${flags.optimizer} on ${on} from (${flags.from.join(', ')}), ${flags.steps} steps`);
    console.log(`  loss  ${fmt(result.loss[0]!)} → ${fmt(result.loss[result.loss.length - 1]!)}`);
    console.log(`  point (${fmt(last[0])}, ${fmt(last[1])})`);
    if (!result.loss.every(Number.isFinite)) {
      console.log('  the loss became NaN or infinite: the learning rate is very likely too high');
    }
  });
}
