import { sgd } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
import { boolean, nonNegative, oneOf } from './validate.js';

export interface SgdOptions {
  /** η, the learning rate. Required, as in PyTorch. */
  lr: number;
  /** ρ. Default 0. */
  momentum: number;
  /** τ. Default 0. */
  dampening: number;
  /** L2 penalty coefficient λ (coupled). Default 0. */
  weightDecay: number;
  /** Default false; requires momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** 'pytorch' (default) or 'lookahead', the course's form, which needs `step(closure)`. */
  nesterovForm: 'pytorch' | 'lookahead';
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const SGD_SPEC: OptimizerSpec<SgdOptions> = {
  name: 'SGD',
  checks: {
    lr: nonNegative,
    momentum: nonNegative,
    dampening: nonNegative,
    weightDecay: nonNegative,
    nesterov: boolean,
    nesterovForm: oneOf(['pytorch', 'lookahead']),
    maximize: boolean,
  },
  defaults: {
    momentum: 0,
    dampening: 0,
    weightDecay: 0,
    nesterov: false,
    nesterovForm: 'pytorch',
    maximize: false,
  },
  required: {
    options: ['lr'],
    message: 'lr is required (PyTorch has no default for it), e.g. new SGD(params, { lr: 0.01 })',
  },
  relations: (o, name) => {
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`${name}: nesterov requires momentum > 0 and dampening 0`);
    }
  },
  // The look-ahead form is fixed when the group is added: it changes the chain, not a hyperparameter.
  chain: (h, g) =>
    sgd({ ...h, nesterovForm: g.nesterov && g.nesterovForm === 'lookahead' ? 'lookahead' : 'pytorch' }),
};

/**
 * Stochastic gradient descent with momentum, exactly as torch.optim.SGD:
 *
 *   g ← ∇θ (negated when maximize); g ← g + λθ (weightDecay);
 *   b₁ = g, b_t = ρ·b_{t−1} + (1 − τ)·g (momentum ρ, dampening τ);
 *   g ← g + ρ·b_t with nesterov, else g ← b_t;   θ ← θ − η·g.
 *
 * With τ = 0 this is the course's momentum method v ← ρv − ηg, θ ← θ + v (Polyak 1964), with
 * v = −η·b. Nesterov momentum (Sutskever et al. 2013) is PyTorch's reformulation by default;
 * `nesterovForm: 'lookahead'` is the course's form v ← ρv − η∇J(θ + ρv), θ ← θ + v, which evaluates
 * the gradient at the look-ahead point and therefore needs `step(closure)`.
 *
 * Each step runs as one fused kernel per parameter where the backend has it (one pass over memory
 * instead of about ten tensor ops), bit-identical to the chain `sgd()` of alias.ts; the look-ahead
 * form always runs the chain.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SgdOptions> {
  constructor(params: ParamsArg<SgdOptions>, options: Partial<SgdOptions> & { lr: number }) {
    super(SGD_SPEC, params, options);
  }
}
