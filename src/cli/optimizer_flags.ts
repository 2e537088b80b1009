/** The optimizer flags shared by `surface`, `train` and `lr-find`: each maps to one optimizer option. */
import type { Command } from 'commander';
import { createOptimizer } from '../optim/registry.js';
import { ADAM_TO_SGD } from '../run/adam_to_sgd_config.js';
import {
  OPTIMIZER_OPTIONS,
  type OptimizerOptionName,
  optimizerOptionsFrom,
} from '../run/optimizer_options.js';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import { UsageError } from './exit_codes.js';
import { parseNonNegative, parsePair } from './parse.js';

export { optimizerOptionsFrom };

/**
 * The optimizers' option table (optim/option_fields.ts: each option's flag, help and kind, declared
 * once), as the run configuration reads it; the CLI makes flags of it.
 */
export const OPTIMIZER_FLAGS = OPTIMIZER_OPTIONS;

const PARSERS = { nonNegative: parseNonNegative, pair: parsePair } as const;

/**
 * Adds the optimizer flags to a command. `except` leaves some out, for a command that sets them itself
 * (lr-find sweeps the learning rate, so it has no `--lr`).
 */
export function addOptimizerFlags(
  cmd: Command,
  options: { except?: readonly OptimizerOptionName[] } = {},
): Command {
  for (const { name, flag, description, kind } of OPTIMIZER_FLAGS) {
    if (options.except?.includes(name)) continue;
    if (kind === 'switch') cmd.option(flag, description);
    else cmd.option(flag, description, PARSERS[kind] as (value: string) => unknown);
  }
  return cmd;
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Turns an optimizer's "unknown option 'x'; accepted: a, b" error into a flag-level message:
 * "option '--x' is not accepted by adam; it takes --a, --b".
 */
export function optimizerFlagError(error: Error, optimizer: string): string | null {
  const unknown = /unknown option '(\w+)'/.exec(error.message);
  if (!unknown) return null;
  const accepted = /accepted: (.*)$/.exec(error.message)?.[1]?.split(', ') ?? [];
  const known = new Set<string>(OPTIMIZER_FLAGS.map(({ name }) => name));
  const takes = accepted.filter((o) => known.has(o)).map((o) => `--${kebab(o)}`);
  return `option '--${kebab(unknown[1]!)}' is not accepted by ${optimizer}; it takes ${takes.join(', ')}`;
}

/**
 * Checks optimizer options by building the optimizer once on a throwaway parameter: a rejected option
 * becomes a `UsageError` naming its flag. Done before a command runs, so that an error thrown later,
 * while it runs, is never mistaken for bad input. `adam-to-sgd` takes Adam's options (its switch has
 * keys of its own, checked with the configuration).
 */
export function checkOptimizerOptions(optimizer: string, options: Record<string, unknown>): void {
  const built = optimizer === ADAM_TO_SGD ? 'adam' : optimizer;
  try {
    scope(() => createOptimizer(built, [tensor([0], { requiresGrad: true })], options));
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    throw new UsageError(optimizerFlagError(error, optimizer) ?? error.message);
  }
}
