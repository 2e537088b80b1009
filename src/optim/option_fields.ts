/**
 * Every optimizer option, declared once for the command line and the run configuration: how it is
 * written (a non-negative number `--lr 0.1`, a pair `--betas 0.9,0.999`, a switch `--nesterov`), its
 * flag and its help text; or null for an option that only the library takes (such as `maximize`).
 * The run configuration's schema fields, `descent train`'s, `lr-find`'s and `surface`'s flags and
 * the options handed to the optimizer all follow from this table (src/run/optimizer_options.ts).
 *
 * The table's keys are exactly the options of the optimizers' specs: an option added to any
 * optimizer's options type is a compile error here until it is declared, so a new option reaches
 * the CLI (or is kept from it) by this one entry. The order is the order of the flags in the help.
 */
import type { AdadeltaOptions } from './optimizers/adadelta.js';
import type { AdagradOptions } from './optimizers/adagrad.js';
import type { AdamOptions } from './optimizers/adam.js';
import type { NadamOptions } from './optimizers/adam_family.js';
import type { AggmoOptions } from './optimizers/aggmo.js';
import type { DemonOptions } from './optimizers/demon.js';
import type { LionOptions } from './optimizers/lion.js';
import type { QhadamOptions, QhmOptions } from './optimizers/qh.js';
import type { RmspropOptions } from './optimizers/rmsprop.js';
import type { SgdOptions } from './optimizers/sgd.js';

/**
 * How an optimizer option is written: a non-negative number (`--lr 0.1`), a pair (`--betas 0.9,0.999`)
 * or a switch (`--nesterov`). The flag's parser and the configuration schema's type both follow from it.
 */
export type OptimizerOptionKind = 'nonNegative' | 'pair' | 'switch';

interface OptionField {
  readonly flag: string;
  readonly description: string;
  readonly kind: OptimizerOptionKind;
}

/** Every option some optimizer of the registry takes. */
type AnyOptimizerOption = keyof (SgdOptions &
  AdagradOptions &
  RmspropOptions &
  AdadeltaOptions &
  AdamOptions &
  NadamOptions &
  LionOptions &
  QhmOptions &
  QhadamOptions &
  AggmoOptions &
  DemonOptions);

export const OPTIMIZER_OPTION_FIELDS = {
  lr: {
    flag: '--lr <v>',
    description: 'learning rate (default: the optimizer’s PyTorch default)',
    kind: 'nonNegative',
  },
  momentum: { flag: '--momentum <v>', description: 'momentum', kind: 'nonNegative' },
  dampening: { flag: '--dampening <v>', description: 'momentum dampening (SGD)', kind: 'nonNegative' },
  nesterov: { flag: '--nesterov', description: 'Nesterov momentum (SGD)', kind: 'switch' },
  weightDecay: {
    flag: '--weight-decay <v>',
    description: 'weight decay (the optimizer’s: coupled L2, decoupled for AdamW/Lion/LAMB)',
    kind: 'nonNegative',
  },
  lrDecay: { flag: '--lr-decay <v>', description: 'learning-rate decay (Adagrad)', kind: 'nonNegative' },
  initialAccumulatorValue: {
    flag: '--initial-accumulator-value <v>',
    description: 'initial accumulator (Adagrad)',
    kind: 'nonNegative',
  },
  alpha: { flag: '--alpha <v>', description: 'smoothing constant (RMSprop)', kind: 'nonNegative' },
  centered: { flag: '--centered', description: 'centered RMSprop', kind: 'switch' },
  rho: { flag: '--rho <v>', description: 'decay rate (Adadelta)', kind: 'nonNegative' },
  betas: { flag: '--betas <b1,b2>', description: 'moment decay rates (Adam family)', kind: 'pair' },
  eps: { flag: '--eps <v>', description: 'numerical-stability term', kind: 'nonNegative' },
  amsgrad: { flag: '--amsgrad', description: 'AMSGrad variant (Adam, AdamW)', kind: 'switch' },
  // The library's options beyond the CLI's: the course's textbook forms, ascent, and the options of
  // the optimizers that are not in PyTorch.
  nesterovForm: null,
  maximize: null,
  biasCorrection: null,
  epsInsideSqrt: null,
  momentumDecay: null,
  nu: null,
  nus: null,
  totalSteps: null,
} as const satisfies Record<AnyOptimizerOption, OptionField | null>;

type Fields = typeof OPTIMIZER_OPTION_FIELDS;

/** One row of the CLI's table: an option that has a flag. */
export type OptimizerOptionRow = {
  [K in keyof Fields]: Fields[K] extends OptionField ? { readonly name: K } & Fields[K] : never;
}[keyof Fields];

/** The options that have a flag, in the table's order, each with its name. */
export function optimizerOptionRows(): readonly OptimizerOptionRow[] {
  return Object.entries(OPTIMIZER_OPTION_FIELDS)
    .filter(([, field]) => field !== null)
    .map(([name, field]) => ({ name, ...field })) as OptimizerOptionRow[];
}
