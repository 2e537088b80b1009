/**
 * The optimizer options of a run configuration (`lr`, `momentum`, `betas`…), as data: browser-safe, so
 * that the lab and the CLI read one table. `descent train`'s flags are made from it (cli/optimizer_flags.ts).
 */
import { type OptimizerOptionKind, optimizerOptionRows } from '../optim/option_fields.js';

export type { OptimizerOptionKind };

/**
 * Every optimizer option a run configuration may set: the one table the configuration schema's keys,
 * the CLI's flags (`flag`, `description`) and the options handed to the optimizer follow from. It is
 * the optimizers' own declaration (optim/option_fields.ts), restricted to the options with a flag.
 */
export const OPTIMIZER_OPTIONS = optimizerOptionRows();

export type OptimizerOptionName = (typeof OPTIMIZER_OPTIONS)[number]['name'];

/** The optimizer options among parsed flags or a configuration: those of the table that are set. */
export function optimizerOptionsFrom(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name } of OPTIMIZER_OPTIONS) if (flags[name] !== undefined) out[name] = flags[name];
  return out;
}
