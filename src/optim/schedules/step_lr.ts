/**
 * StepLR: multiplies the learning rate by γ every `stepSize` steps.
 *
 *   lr_t = lr_{t−1} · γ   when t > 0 and t mod stepSize = 0,   else lr_t = lr_{t−1}
 *
 * so, with nothing else touching the lr, lr_t = baseLr · γ^⌊t / stepSize⌋. Symbols: γ = `gamma`
 * (default 0.1), t = steps taken (`lastEpoch`).
 *
 * Values equal PyTorch 1.13's `StepLR`, which applies the chainable (repeated-product) form above;
 * `step(epoch)` uses the closed form.
 *
 * @example
 * // lr 0.05 for epochs 0–29, 0.005 for 30–59, 0.0005 from 60
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) { train(); sched.step(); }
 *
 * Divergence from PyTorch: `stepSize` must be a positive integer and `gamma` a positive finite number
 * (PyTorch checks neither).
 */
import { checkOptions } from '../../util/options.js';
import { positive, positiveInt } from './checks.js';
import { LrScheduler, type SchedulableOptimizer } from './scheduler.js';

export interface StepLROptions {
  /** Steps between two decays. Required. */
  stepSize: number;
  /** Multiplicative factor of each decay. Default 0.1. */
  gamma?: number;
  /** Resume after this many steps (PyTorch's `last_epoch`); needs `initialLr` in every group. Default −1: a fresh start. */
  lastEpoch?: number;
}

export class StepLR extends LrScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    checkOptions('StepLR', options, { stepSize: true, gamma: true, lastEpoch: true });
    const stepSize = positiveInt('StepLR', 'stepSize', options?.stepSize);
    const gamma = positive('StepLR', 'gamma', options.gamma ?? 0.1);
    super(optimizer, 'StepLR', options.lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
