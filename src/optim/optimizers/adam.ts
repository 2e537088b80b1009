import { adam, adamw } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { betasPair, boolean, nonNegative } from './validate.js';

export interface AdamOptions {
  /** η. Default 1e-3. */
  lr: number;
  /** (β₁, β₂). Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** ε. Default 1e-8. */
  eps: number;
  /** λ: coupled L2 for Adam (default 0); decoupled weight decay for AdamW (default 0.01). */
  weightDecay: number;
  /** Use the running maximum of v (Reddi et al. 2018). Default false. */
  amsgrad: boolean;
  /** Default false. */
  maximize: boolean;
  /** Divide the moments by (1 − β^t). Default true; false is the course's textbook Adam. */
  biasCorrection: boolean;
  /** √(v̂ + ε) instead of √v̂ + ε, as the course writes it. Default false (PyTorch). */
  epsInsideSqrt: boolean;
}

const CHECKS: OptimizerSpec<AdamOptions>['checks'] = {
  lr: nonNegative,
  betas: betasPair,
  eps: nonNegative,
  weightDecay: nonNegative,
  amsgrad: boolean,
  maximize: boolean,
  biasCorrection: boolean,
  epsInsideSqrt: boolean,
};

const DEFAULTS = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
  biasCorrection: true,
  epsInsideSqrt: false,
} as const satisfies AdamOptions;

const ADAM: OptimizerSpec<AdamOptions> = {
  name: 'Adam',
  checks: CHECKS,
  defaults: DEFAULTS,
  chain: (h) => adam(h),
};

/** AdamW differs from Adam in its chain (decay after the scaling) and weightDecay's default. */
const ADAMW: OptimizerSpec<AdamOptions> = {
  name: 'AdamW',
  checks: CHECKS,
  defaults: { ...DEFAULTS, weightDecay: 0.01 },
  chain: (h) => adamw(h),
};

/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980), exactly as
 * torch.optim.Adam:
 *
 *   g ← ∇θ + λθ (weightDecay, coupled L2); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 *   v_max ← max(v_max, v) with amsgrad;   θ ← θ − η/(1 − β₁^t) · m / (√v / √(1 − β₂^t) + ε).
 *
 * Options beyond PyTorch give the course's textbook form: `biasCorrection: false` drops the
 * 1 − β^t factors, `epsInsideSqrt: true` uses √(v + ε). Coupled L2 is scaled by the adaptive
 * denominator like the gradient, which is why AdamW decouples it.
 *
 * Each step runs as one fused kernel per parameter where the backend has it (one pass over memory
 * instead of about twelve tensor ops), bit-identical to the chain `adam()` of alias.ts.
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(ADAM, params, options);
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", arXiv:1711.05101), as
 * torch.optim.AdamW: θ ← θ − η·λ·θ, then Adam's step without L2 in the gradient. Default
 * weightDecay 0.01. Divergence from PyTorch's arithmetic: the decay is added to the update rather
 * than applied to θ first, which is the same quantity (θ − η(û + λθ)) rounded differently.
 * Fused like Adam, bit-identical to the chain `adamw()` of alias.ts.
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(ADAMW, params, options);
  }
}
