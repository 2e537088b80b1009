/** Adam's relatives whose options are (lr, betas, eps, weightDecay, maximize): Adamax, NAdam, RAdam, LAMB. */
import { adamax, lamb, nadam, radam } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { betasPair, boolean, nonNegative } from './validate.js';

export interface AdamFamilyOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export interface NadamOptions extends AdamFamilyOptions {
  /** ψ. Default 4e-3. */
  momentumDecay: number;
}

const CHECKS: OptimizerSpec<AdamFamilyOptions>['checks'] = {
  lr: nonNegative,
  betas: betasPair,
  eps: nonNegative,
  weightDecay: nonNegative,
  maximize: boolean,
};

function defaults(lr: number, eps: number): AdamFamilyOptions {
  return { lr, betas: [0.9, 0.999], eps, weightDecay: 0, maximize: false };
}

const ADAMAX: OptimizerSpec<AdamFamilyOptions> = {
  name: 'Adamax',
  checks: CHECKS,
  defaults: defaults(2e-3, 1e-8),
  chain: (h) => adamax(h),
};

const NADAM: OptimizerSpec<NadamOptions> = {
  name: 'NAdam',
  checks: { ...CHECKS, momentumDecay: nonNegative },
  defaults: { ...defaults(2e-3, 1e-8), momentumDecay: 4e-3 },
  chain: (h) => nadam(h),
};

const RADAM: OptimizerSpec<AdamFamilyOptions> = {
  name: 'RAdam',
  checks: CHECKS,
  defaults: defaults(1e-3, 1e-8),
  chain: (h) => radam(h),
};

const LAMB_SPEC: OptimizerSpec<AdamFamilyOptions> = {
  name: 'LAMB',
  checks: CHECKS,
  defaults: defaults(1e-3, 1e-6),
  chain: (h) => lamb(h),
};

/**
 * Adamax (Kingma & Ba 2015, §7.1), as torch.optim.Adamax: g ← ∇θ + λθ; m ← β₁m + (1 − β₁)g;
 * w ← max(β₂w, |g| + ε); θ ← θ − η/(1 − β₁^t) · m/w. Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8.
 */
export class Adamax extends Optimizer<AdamFamilyOptions> {
  constructor(params: ParamsArg<AdamFamilyOptions>, options: Partial<AdamFamilyOptions> = {}) {
    super(ADAMAX, params, options);
  }
}

/**
 * NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam"), as torch.optim.NAdam:
 * μ_t = β₁(1 − ½·0.96^(tψ)); m, v as Adam; d = √(v/(1 − β₂^t)) + ε;
 * θ ← θ − η(1 − μ_t)/(1 − Π_{τ≤t}μ_τ)·g/d − η·μ_{t+1}/(1 − Π_{τ≤t+1}μ_τ)·m/d.
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, momentumDecay 4e-3. `maximize` is an extension
 * (PyTorch 1.13's NAdam has none).
 */
export class NAdam extends Optimizer<NadamOptions> {
  constructor(params: ParamsArg<NadamOptions>, options: Partial<NadamOptions> = {}) {
    super(NADAM, params, options);
  }
}

/**
 * RAdam (Liu et al. 2020, arXiv:1908.03265), as torch.optim.RAdam: Adam whose adaptive term is
 * switched on only once its variance is tractable (ρ_t > 5), and then rectified by r_t; before that,
 * θ ← θ − η·m̂. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8. `maximize` is an extension.
 */
export class RAdam extends Optimizer<AdamFamilyOptions> {
  constructor(params: ParamsArg<AdamFamilyOptions>, options: Partial<AdamFamilyOptions> = {}) {
    super(RADAM, params, options);
  }
}

/**
 * LAMB (You et al. 2020, "Large Batch Optimization for Deep Learning", arXiv:1904.00962): Adam's
 * direction r = m̂/(√v̂ + ε) + λθ (decoupled decay), scaled per parameter tensor by the trust ratio
 * ‖θ‖/‖r‖: θ ← θ − η·(‖θ‖/‖r‖)·r. Not in PyTorch. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-6,
 * weightDecay 0.
 */
export class LAMB extends Optimizer<AdamFamilyOptions> {
  constructor(params: ParamsArg<AdamFamilyOptions>, options: Partial<AdamFamilyOptions> = {}) {
    super(LAMB_SPEC, params, options);
  }
}
