/** The optimizer flags shared by `surface`, `train` and `lr-find`: each maps to one optimizer option. */
import type { Command } from 'commander';
import { parseNonNegative, parsePair } from './parse.js';

/** [option name, flag, description, parser or null for a boolean switch]. */
export const OPTIMIZER_FLAGS = [
  ['lr', '--lr <v>', 'learning rate (default: the optimizer’s PyTorch default)', parseNonNegative],
  ['momentum', '--momentum <v>', 'momentum', parseNonNegative],
  ['dampening', '--dampening <v>', 'momentum dampening (SGD)', parseNonNegative],
  ['nesterov', '--nesterov', 'Nesterov momentum (SGD)', null],
  [
    'weightDecay',
    '--weight-decay <v>',
    'weight decay (the optimizer’s: coupled L2, decoupled for AdamW/Lion/LAMB)',
    parseNonNegative,
  ],
  ['lrDecay', '--lr-decay <v>', 'learning-rate decay (Adagrad)', parseNonNegative],
  [
    'initialAccumulatorValue',
    '--initial-accumulator-value <v>',
    'initial accumulator (Adagrad)',
    parseNonNegative,
  ],
  ['alpha', '--alpha <v>', 'smoothing constant (RMSprop)', parseNonNegative],
  ['centered', '--centered', 'centered RMSprop', null],
  ['rho', '--rho <v>', 'decay rate (Adadelta)', parseNonNegative],
  ['betas', '--betas <b1,b2>', 'moment decay rates (Adam family)', parsePair],
  ['eps', '--eps <v>', 'numerical-stability term', parseNonNegative],
  ['amsgrad', '--amsgrad', 'AMSGrad variant (Adam, AdamW)', null],
] as const;

export type OptimizerOptionName = (typeof OPTIMIZER_FLAGS)[number][0];

export function addOptimizerFlags(cmd: Command): Command {
  for (const [, flag, description, parser] of OPTIMIZER_FLAGS) {
    if (parser) cmd.option(flag, description, parser as (value: string) => unknown);
    else cmd.option(flag, description);
  }
  return cmd;
}

/** The optimizer options among parsed flags (only those given). */
export function optimizerOptionsFrom(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name] of OPTIMIZER_FLAGS) if (flags[name] !== undefined) out[name] = flags[name];
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
  const known = new Set<string>(OPTIMIZER_FLAGS.map(([name]) => name));
  const takes = accepted.filter((o) => known.has(o)).map((o) => `--${kebab(o)}`);
  return `option '--${kebab(unknown[1]!)}' is not accepted by ${optimizer}; it takes ${takes.join(', ')}`;
}
