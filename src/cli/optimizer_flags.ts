/** The optimizer flags shared by `surface`, `train` and `lr-find`: each maps to one optimizer option. */
import type { Command } from 'commander';
import { createOptimizer } from '../optim/registry.js';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import { UsageError } from './exit_codes.js';
import { parseNonNegative, parsePair } from './parse.js';

/**
 * How an optimizer option is written: a non-negative number (`--lr 0.1`), a pair (`--betas 0.9,0.999`)
 * or a switch (`--nesterov`). The flag's parser and the configuration schema's type both follow from it.
 */
export type OptimizerOptionKind = 'nonNegative' | 'pair' | 'switch';

interface OptimizerFlag {
  /** The optimizer option and configuration key (camelCase, PyTorch's name). */
  name: string;
  flag: string;
  description: string;
  kind: OptimizerOptionKind;
}

/** Every optimizer option the CLI exposes: the one table the flags and the configuration schema use. */
export const OPTIMIZER_FLAGS = [
  {
    name: 'lr',
    flag: '--lr <v>',
    description: 'learning rate (default: the optimizer’s PyTorch default)',
    kind: 'nonNegative',
  },
  { name: 'momentum', flag: '--momentum <v>', description: 'momentum', kind: 'nonNegative' },
  {
    name: 'dampening',
    flag: '--dampening <v>',
    description: 'momentum dampening (SGD)',
    kind: 'nonNegative',
  },
  { name: 'nesterov', flag: '--nesterov', description: 'Nesterov momentum (SGD)', kind: 'switch' },
  {
    name: 'weightDecay',
    flag: '--weight-decay <v>',
    description: 'weight decay (the optimizer’s: coupled L2, decoupled for AdamW/Lion/LAMB)',
    kind: 'nonNegative',
  },
  {
    name: 'lrDecay',
    flag: '--lr-decay <v>',
    description: 'learning-rate decay (Adagrad)',
    kind: 'nonNegative',
  },
  {
    name: 'initialAccumulatorValue',
    flag: '--initial-accumulator-value <v>',
    description: 'initial accumulator (Adagrad)',
    kind: 'nonNegative',
  },
  { name: 'alpha', flag: '--alpha <v>', description: 'smoothing constant (RMSprop)', kind: 'nonNegative' },
  { name: 'centered', flag: '--centered', description: 'centered RMSprop', kind: 'switch' },
  { name: 'rho', flag: '--rho <v>', description: 'decay rate (Adadelta)', kind: 'nonNegative' },
  { name: 'betas', flag: '--betas <b1,b2>', description: 'moment decay rates (Adam family)', kind: 'pair' },
  { name: 'eps', flag: '--eps <v>', description: 'numerical-stability term', kind: 'nonNegative' },
  { name: 'amsgrad', flag: '--amsgrad', description: 'AMSGrad variant (Adam, AdamW)', kind: 'switch' },
] as const satisfies readonly OptimizerFlag[];

export type OptimizerOptionName = (typeof OPTIMIZER_FLAGS)[number]['name'];

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

/** The optimizer options among parsed flags or a configuration: those of the table that are set. */
export function optimizerOptionsFrom(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name } of OPTIMIZER_FLAGS) if (flags[name] !== undefined) out[name] = flags[name];
  return out;
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
 * while it runs, is never mistaken for bad input.
 */
export function checkOptimizerOptions(optimizer: string, options: Record<string, unknown>): void {
  try {
    scope(() => createOptimizer(optimizer, [tensor([0], { requiresGrad: true })], options));
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    throw new UsageError(optimizerFlagError(error, optimizer) ?? error.message);
  }
}
