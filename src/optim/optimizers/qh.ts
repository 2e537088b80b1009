/** Quasi-hyperbolic momentum and Adam (Ma & Yarats 2019, "Quasi-hyperbolic momentum and Adam for deep learning", arXiv:1810.06801). */
import { qhadam, qhm } from '../alias.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import { betasPair, boolean, describe, nonNegative, unitInterval } from './validate.js';

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

/**
 * QHM: b ← βb + (1 − β)g;  θ ← θ − η[(1 − ν)g + νb]. ν = 0 is SGD, ν = 1 dampened momentum,
 * ν = β Nesterov's. Not in PyTorch. Defaults follow the paper (β 0.999, ν 0.7).
 */
export class QHM extends Optimizer<QhmOptions> {
  constructor(params: ParamsArg<QhmOptions>, options: Partial<QhmOptions> & { lr: number }) {
    if (options?.lr === undefined)
      throw new TypeError('QHM: lr is required, e.g. new QHM(params, { lr: 1 })');
    super(
      'QHM',
      params,
      {
        lr: options.lr,
        momentum: options.momentum ?? 0.999,
        nu: options.nu ?? 0.7,
        weightDecay: options.weightDecay ?? 0,
        maximize: options.maximize ?? false,
      },
      options,
    );
  }
  protected validate(o: QhmOptions): void {
    nonNegative('QHM', 'lr', o.lr);
    unitInterval('QHM', 'momentum', o.momentum);
    unitInterval('QHM', 'nu', o.nu, true);
    nonNegative('QHM', 'weightDecay', o.weightDecay);
    boolean('QHM', 'maximize', o.maximize);
  }
  protected buildChain(g: ParamGroup<QhmOptions>) {
    return qhm({
      lr: () => g.lr,
      momentum: () => g.momentum,
      nu: () => g.nu,
      weightDecay: () => g.weightDecay,
      maximize: () => g.maximize,
    });
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

/**
 * QHAdam: θ ← θ − η·((1 − ν₁)g + ν₁m̂) / (√((1 − ν₂)g² + ν₂v̂) + ε) with Adam's bias-corrected
 * moments. ν₁ = ν₂ = 1 is Adam. Not in PyTorch.
 */
export class QHAdam extends Optimizer<QhadamOptions> {
  constructor(params: ParamsArg<QhadamOptions>, options: Partial<QhadamOptions> = {}) {
    super(
      'QHAdam',
      params,
      {
        lr: options.lr ?? 1e-3,
        betas: options.betas ?? [0.995, 0.999],
        nus: options.nus ?? [0.7, 1],
        eps: options.eps ?? 1e-8,
        weightDecay: options.weightDecay ?? 0,
        maximize: options.maximize ?? false,
      },
      options,
    );
  }
  protected validate(o: QhadamOptions): void {
    nonNegative('QHAdam', 'lr', o.lr);
    betasPair('QHAdam', 'betas', o.betas);
    if (!Array.isArray(o.nus) || o.nus.length !== 2)
      throw new RangeError(`QHAdam: nus must be a pair [ν1, ν2] in [0, 1], got ${describe(o.nus)}`);
    unitInterval('QHAdam', 'nus[0]', o.nus[0], true);
    unitInterval('QHAdam', 'nus[1]', o.nus[1], true);
    nonNegative('QHAdam', 'eps', o.eps);
    nonNegative('QHAdam', 'weightDecay', o.weightDecay);
    boolean('QHAdam', 'maximize', o.maximize);
  }
  protected buildChain(g: ParamGroup<QhadamOptions>) {
    return qhadam({
      lr: () => g.lr,
      betas: () => g.betas,
      nus: () => g.nus,
      eps: () => g.eps,
      weightDecay: () => g.weightDecay,
      maximize: () => g.maximize,
    });
  }
}
