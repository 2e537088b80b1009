import type { Tensor } from '../../tensor/tensor.js';
import { sgd } from '../alias.js';
import { chainIs, type FusedUpdate, fusedSgd } from '../fused.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import type { Chain } from '../transform.js';
import type { TraceState } from '../transforms/trace.js';
import { boolean, describe, nonNegative } from './validate.js';

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
    if (options === undefined || options.lr === undefined) {
      throw new TypeError(
        'SGD: lr is required (PyTorch has no default for it), e.g. new SGD(params, { lr: 0.01 })',
      );
    }
    super(
      'SGD',
      params,
      {
        lr: options.lr,
        momentum: options.momentum ?? 0,
        dampening: options.dampening ?? 0,
        weightDecay: options.weightDecay ?? 0,
        nesterov: options.nesterov ?? false,
        nesterovForm: options.nesterovForm ?? 'pytorch',
        maximize: options.maximize ?? false,
      },
      options,
    );
  }

  protected validate(o: SgdOptions): void {
    nonNegative('SGD', 'lr', o.lr);
    nonNegative('SGD', 'momentum', o.momentum);
    nonNegative('SGD', 'dampening', o.dampening);
    nonNegative('SGD', 'weightDecay', o.weightDecay);
    boolean('SGD', 'nesterov', o.nesterov);
    boolean('SGD', 'maximize', o.maximize);
    if (o.nesterovForm !== 'pytorch' && o.nesterovForm !== 'lookahead') {
      throw new RangeError(
        `SGD: nesterovForm must be 'pytorch' or 'lookahead', got ${describe(o.nesterovForm)}`,
      );
    }
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError('SGD: nesterov requires momentum > 0 and dampening 0');
    }
  }

  protected buildChain(g: ParamGroup<SgdOptions>) {
    return sgd({
      lr: () => g.lr,
      momentum: () => g.momentum,
      dampening: () => g.dampening,
      nesterov: () => g.nesterov,
      nesterovForm: g.nesterov && g.nesterovForm === 'lookahead' ? 'lookahead' : 'pytorch',
      weightDecay: () => g.weightDecay,
      maximize: () => g.maximize,
    });
  }

  protected override fusedUpdate(
    g: ParamGroup<SgdOptions>,
    param: Tensor,
    states: unknown[],
    chain: Chain,
  ): FusedUpdate | null {
    if (!chainIs(chain, ['scale', 'addDecayedWeights', 'trace', 'scaleByLearningRate'])) return null;
    return fusedSgd(g, states[2] as TraceState, param);
  }
}
