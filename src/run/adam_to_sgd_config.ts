/**
 * "Adam early, SGD late" as a run configuration (browser-safe): the optimizer name `adam-to-sgd` and
 * its three keys, so that `descent train` and the lab's playground build the same `AdamToSGD`.
 *
 * - `switchEpoch` k: Adam for the first k epochs, SGD from epoch k + 1 on (the switch comes after
 *   k × batches-per-epoch optimizer steps). Absent: SWATS decides when (Keskar & Socher 2017).
 * - `sgdLr`: SGD's learning rate after the switch. Absent: SWATS's estimate (1 − β₁)·Λ, as `AdamToSGD`.
 * - `sgdMomentum`: SGD's momentum after the switch. Absent: Adam's β₁, as `AdamToSGD`.
 *
 * The optimizer-option keys of the table (`lr`, `betas`, `eps`, `amsgrad`, `weightDecay`) set Adam;
 * `weightDecay` also goes to SGD, so the regularization does not change at the switch. A schedule or
 * warmup is refused with it: a scheduler holds the parameter groups of the optimizer it was made on,
 * and after the switch those are Adam's, no longer stepped.
 */
import type { Module } from '../nn/module.js';
import { AdamToSGD, type AdamToSgdOptions } from '../optim/adam_to_sgd.js';
import type { KeyNamer } from './run_config.js';

export const ADAM_TO_SGD = 'adam-to-sgd';

/** The keys that only `adam-to-sgd` takes, with their flags (made into `descent train` flags). */
export const SWITCH_OPTIONS = [
  {
    name: 'switchEpoch',
    flag: '--switch-epoch <k>',
    description: 'adam-to-sgd: Adam for the first k epochs, then SGD (default: SWATS decides)',
    kind: 'count',
  },
  {
    name: 'sgdLr',
    flag: '--sgd-lr <v>',
    description: 'adam-to-sgd: SGD’s learning rate after the switch (default: SWATS’s estimate)',
    kind: 'positive',
  },
  {
    name: 'sgdMomentum',
    flag: '--sgd-momentum <v>',
    description: 'adam-to-sgd: SGD’s momentum after the switch (default: Adam’s β₁)',
    kind: 'nonNegative',
  },
] as const;

/** The switch's settings of a configuration (the keys above, and what they relate to). */
export interface SwitchSettings {
  optimizer: string;
  switchEpoch?: number | undefined;
  sgdLr?: number | undefined;
  sgdMomentum?: number | undefined;
  epochs: number;
  schedule: string;
  warmup: number;
  weightDecay?: number | undefined;
}

/**
 * What is wrong with a configuration's switch settings, or null: a switch key with another optimizer
 * (it would be ignored), a switch at or after the last epoch (it would never happen), or a schedule or
 * warmup (see the module comment).
 */
export function switchProblem(c: SwitchSettings, nameOf: KeyNamer): string | null {
  if (c.optimizer !== ADAM_TO_SGD) {
    const given = SWITCH_OPTIONS.filter(({ name }) => c[name] !== undefined).map(({ name }) => nameOf(name));
    if (given.length === 0) return null;
    return `${given.join(', ')} set${given.length === 1 ? 's' : ''} the Adam→SGD switch: it applies to ${nameOf('optimizer')} ${ADAM_TO_SGD} only, and ${c.optimizer} would ignore it`;
  }
  if (c.switchEpoch !== undefined && c.switchEpoch >= c.epochs) {
    return `${nameOf('switchEpoch')} ${c.switchEpoch} would never switch in ${c.epochs} epochs: use a value below ${nameOf('epochs')}, or leave it out for SWATS`;
  }
  if (c.schedule.split(':')[0] !== 'none' || c.warmup > 0) {
    return `${nameOf('optimizer')} ${ADAM_TO_SGD} sets SGD's learning rate at the switch; it cannot be combined with a schedule or warmup (use schedule none, warmup 0)`;
  }
  return null;
}

/**
 * The `AdamToSGD` a configuration describes, over `model`'s parameters: `adamOptions` (the table's
 * options the configuration sets) for Adam, the switch keys for SGD and the switch step.
 */
export function buildAdamToSgd(
  c: SwitchSettings,
  model: Module,
  adamOptions: Record<string, unknown>,
  stepsPerEpoch: number | undefined,
): AdamToSGD {
  const options: AdamToSgdOptions = { adam: adamOptions };
  const sgd: Record<string, number> = {};
  if (c.sgdLr !== undefined) sgd.lr = c.sgdLr;
  if (c.sgdMomentum !== undefined) sgd.momentum = c.sgdMomentum;
  if (c.weightDecay !== undefined) sgd.weightDecay = c.weightDecay;
  options.sgd = sgd;
  if (c.switchEpoch !== undefined) {
    if (stepsPerEpoch === undefined || !Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) {
      throw new RangeError(
        `buildOptimizer: switchEpoch needs the batches per epoch (stepsPerEpoch, a positive integer), got ${stepsPerEpoch}`,
      );
    }
    options.switchAt = c.switchEpoch * stepsPerEpoch;
  }
  return new AdamToSGD(model.parameters(), options);
}
