/** Quasi-hyperbolic momentum and Adam (Ma & Yarats 2019, "Quasi-hyperbolic momentum and Adam for deep learning", arXiv:1810.06801). */
import { qhadam, qhm } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import {
  betasPair,
  boolean,
  closedUnitInterval,
  closedUnitPair,
  nonNegative,
  unitInterval,
} from './validate.js';

export interface QhmOptions {
  /** η. Required. */
  lr: number;
  /** β, the momentum buffer's decay. Default 0.999. */
  momentum: number;
  /** ν, the buffer's weight against the plain gradient. Default 0.7. */
  nu: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

const QHM_SPEC: OptimizerSpec<QhmOptions> = {
  name: 'QHM',
  checks: {
    lr: nonNegative,
    momentum: unitInterval,
    nu: closedUnitInterval,
    weightDecay: nonNegative,
    maximize: boolean,
  },
  defaults: { momentum: 0.999, nu: 0.7, weightDecay: 0, maximize: false },
  required: { options: ['lr'], message: 'lr is required, e.g. new QHM(params, { lr: 1 })' },
  chain: (h) => qhm(h),
};

/**
 * QHM: b ← βb + (1 − β)g;  θ ← θ − η[(1 − ν)g + νb]. ν = 0 is SGD, ν = 1 dampened momentum,
 * ν = β Nesterov's. Not in PyTorch. Defaults follow the paper (β 0.999, ν 0.7).
 */
export class QHM extends Optimizer<QhmOptions> {
  constructor(params: ParamsArg<QhmOptions>, options: Partial<QhmOptions> & { lr: number }) {
    super(QHM_SPEC, params, options);
  }
}

export interface QhadamOptions {
  /** η. Default 1e-3. */
  lr: number;
  /** (β₁, β₂). Default [0.995, 0.999]. */
  betas: readonly [number, number];
  /** (ν₁, ν₂). Default [0.7, 1]. */
  nus: readonly [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

const QHADAM: OptimizerSpec<QhadamOptions> = {
  name: 'QHAdam',
  checks: {
    lr: nonNegative,
    betas: betasPair,
    nus: closedUnitPair,
    eps: nonNegative,
    weightDecay: nonNegative,
    maximize: boolean,
  },
  defaults: { lr: 1e-3, betas: [0.995, 0.999], nus: [0.7, 1], eps: 1e-8, weightDecay: 0, maximize: false },
  chain: (h) => qhadam(h),
};

/**
 * QHAdam: θ ← θ − η·((1 − ν₁)g + ν₁m̂) / (√((1 − ν₂)g² + ν₂v̂) + ε) with Adam's bias-corrected
 * moments. ν₁ = ν₂ = 1 is Adam. Not in PyTorch.
 */
export class QHAdam extends Optimizer<QhadamOptions> {
  constructor(params: ParamsArg<QhadamOptions>, options: Partial<QhadamOptions> = {}) {
    super(QHADAM, params, options);
  }
}
