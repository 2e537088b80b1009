/** Adam's relatives whose options are (lr, betas, eps, weightDecay, maximize): Adamax, NAdam, RAdam, LAMB. */
import { adamax, lamb, nadam, radam } from '../alias.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
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

function defaults(options: Partial<AdamFamilyOptions>, lr: number, eps: number): AdamFamilyOptions {
  return {
    lr: options.lr ?? lr,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? eps,
    weightDecay: options.weightDecay ?? 0,
    maximize: options.maximize ?? false,
  };
}

function check(name: string, o: AdamFamilyOptions): void {
  nonNegative(name, 'lr', o.lr);
  betasPair(name, 'betas', o.betas);
  nonNegative(name, 'eps', o.eps);
  nonNegative(name, 'weightDecay', o.weightDecay);
  boolean(name, 'maximize', o.maximize);
}

function hypers(g: ParamGroup<AdamFamilyOptions>) {
  return {
    lr: () => g.lr,
    betas: () => g.betas,
    eps: () => g.eps,
    weightDecay: () => g.weightDecay,
    maximize: () => g.maximize,
  };
}

/**
 * Adamax (Kingma & Ba 2015, §7.1), as torch.optim.Adamax: g ← ∇θ + λθ; m ← β₁m + (1 − β₁)g;
 * w ← max(β₂w, |g| + ε); θ ← θ − η/(1 − β₁^t) · m/w. Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8.
 */
export class Adamax extends Optimizer<AdamFamilyOptions> {
  constructor(params: ParamsArg<AdamFamilyOptions>, options: Partial<AdamFamilyOptions> = {}) {
    super('Adamax', params, defaults(options, 2e-3, 1e-8), options);
  }
  protected validate(o: AdamFamilyOptions): void {
    check('Adamax', o);
  }
  protected buildChain(g: ParamGroup<AdamFamilyOptions>) {
    return adamax(hypers(g));
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
    super(
      'NAdam',
      params,
      {
        ...defaults(options, 2e-3, 1e-8),
        momentumDecay: options.momentumDecay ?? 4e-3,
      },
      options,
    );
  }
  protected validate(o: NadamOptions): void {
    check('NAdam', o);
    nonNegative('NAdam', 'momentumDecay', o.momentumDecay);
  }
  protected buildChain(g: ParamGroup<NadamOptions>) {
    return nadam({ ...hypers(g), momentumDecay: () => g.momentumDecay });
  }
}

/**
 * RAdam (Liu et al. 2020, arXiv:1908.03265), as torch.optim.RAdam: Adam whose adaptive term is
 * switched on only once its variance is tractable (ρ_t > 5), and then rectified by r_t; before that,
 * θ ← θ − η·m̂. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8. `maximize` is an extension.
 */
export class RAdam extends Optimizer<AdamFamilyOptions> {
  constructor(params: ParamsArg<AdamFamilyOptions>, options: Partial<AdamFamilyOptions> = {}) {
    super('RAdam', params, defaults(options, 1e-3, 1e-8), options);
  }
  protected validate(o: AdamFamilyOptions): void {
    check('RAdam', o);
  }
  protected buildChain(g: ParamGroup<AdamFamilyOptions>) {
    return radam(hypers(g));
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
    super('LAMB', params, defaults(options, 1e-3, 1e-6), options);
  }
  protected validate(o: AdamFamilyOptions): void {
    check('LAMB', o);
  }
  protected buildChain(g: ParamGroup<AdamFamilyOptions>) {
    return lamb(hypers(g));
  }
}
