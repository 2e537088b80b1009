/**
 * The optimizer options of a run configuration (`lr`, `momentum`, `betas`…), as data: browser-safe, so
 * that the lab and the CLI read one table. `descent train`'s flags are made from it (cli/optimizer_flags.ts).
 */
/**
 * How an optimizer option is written: a non-negative number (`--lr 0.1`), a pair (`--betas 0.9,0.999`)
 * or a switch (`--nesterov`). The flag's parser and the configuration schema's type both follow from it.
 */
export type OptimizerOptionKind = 'nonNegative' | 'pair' | 'switch';

interface OptimizerOption {
  /** The optimizer option and configuration key (camelCase, PyTorch's name). */
  name: string;
  flag: string;
  description: string;
  kind: OptimizerOptionKind;
}

/**
 * Every optimizer option a run configuration may set: the one table the configuration schema's keys,
 * the CLI's flags (`flag`, `description`) and the options handed to the optimizer follow from.
 */
export const OPTIMIZER_OPTIONS = [
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
] as const satisfies readonly OptimizerOption[];

export type OptimizerOptionName = (typeof OPTIMIZER_OPTIONS)[number]['name'];

/** The optimizer options among parsed flags or a configuration: those of the table that are set. */
export function optimizerOptionsFrom(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name } of OPTIMIZER_OPTIONS) if (flags[name] !== undefined) out[name] = flags[name];
  return out;
}
