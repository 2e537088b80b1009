/** Optimizers by name, for the CLI, the surface runner and the experiments. */
import type { Tensor } from '../tensor/tensor.js';
import type { Optimizer } from './optimizer.js';
import { Adadelta } from './optimizers/adadelta.js';
import { Adagrad } from './optimizers/adagrad.js';
import { Adam, AdamW } from './optimizers/adam.js';
import { Adamax, LAMB, NAdam, RAdam } from './optimizers/adam_family.js';
import { AggMo } from './optimizers/aggmo.js';
import { Demon } from './optimizers/demon.js';
import { Lion } from './optimizers/lion.js';
import { QHAdam, QHM } from './optimizers/qh.js';
import { RMSprop } from './optimizers/rmsprop.js';
import { SGD } from './optimizers/sgd.js';

type AnyOptimizer = Optimizer<{ lr: number }>;
type Factory = (params: Tensor[], options: Record<string, unknown>) => AnyOptimizer;

const factories = {
  sgd: (p, o) => new SGD(p, { lr: 0.01, ...o } as never),
  adagrad: (p, o) => new Adagrad(p, o),
  rmsprop: (p, o) => new RMSprop(p, o),
  adadelta: (p, o) => new Adadelta(p, o),
  adam: (p, o) => new Adam(p, o),
  adamw: (p, o) => new AdamW(p, o),
  adamax: (p, o) => new Adamax(p, o),
  nadam: (p, o) => new NAdam(p, o),
  radam: (p, o) => new RAdam(p, o),
  lion: (p, o) => new Lion(p, o),
  lamb: (p, o) => new LAMB(p, o),
  qhm: (p, o) => new QHM(p, { lr: 1, ...o } as never),
  qhadam: (p, o) => new QHAdam(p, o),
  aggmo: (p, o) => new AggMo(p, o),
  demon: (p, o) => new Demon(p, { lr: 0.01, totalSteps: 1000, ...o } as never),
} satisfies Record<string, Factory>;

export type OptimizerName = keyof typeof factories;

export const OPTIMIZER_NAMES = Object.keys(factories) as OptimizerName[];

/**
 * Creates an optimizer by its lower-case name with PyTorch-style options; unspecified options take the
 * optimizer's defaults. Where PyTorch requires lr (SGD) the registry defaults it to 0.01; QHM to 1 and
 * Demon to lr 0.01 with totalSteps 1000 — pass them explicitly for real use.
 */
export function createOptimizer(
  name: string,
  params: Tensor[],
  options: Record<string, unknown> = {},
): AnyOptimizer {
  const make = (factories as Record<string, Factory>)[name];
  if (!make)
    throw new RangeError(
      `unknown optimizer ${JSON.stringify(name)}; accepted: ${OPTIMIZER_NAMES.join(', ')}`,
    );
  return make(params, options);
}
