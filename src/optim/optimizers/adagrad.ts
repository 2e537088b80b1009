import type { Tensor } from '../../tensor/tensor.js';
import { adagrad } from '../alias.js';
import { chainIs, type FusedUpdate, fusedAdagrad } from '../fused.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import type { Chain } from '../transform.js';
import type { AdagradState } from '../transforms/scale_by_adagrad.js';
import { boolean, nonNegative } from './validate.js';

export interface AdagradOptions {
  /** η. Default 1e-2. */
  lr: number;
  /** Default 0. */
  lrDecay: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  /** Default 0. */
  initialAccumulatorValue: number;
  /** Default 1e-10. */
  eps: number;
  maximize: boolean;
  /** √(s + ε) as the course writes it. Default false (PyTorch: √s + ε). */
  epsInsideSqrt: boolean;
}

/**
 * AdaGrad (Duchi, Hazan & Singer 2011, JMLR 12), as torch.optim.Adagrad:
 *
 *   g ← ∇θ + λθ;  s ← s + g²;  θ ← θ − η/(1 + (t − 1)·lrDecay) · g / (√s + ε).
 *
 * The course writes θ ← θ − η/√(s + ε) ⊙ g (`epsInsideSqrt: true`) with η ≈ 0.01 and ε ≈ 1e-6.
 *
 * Each step runs as one fused kernel per parameter where the backend has it (one pass over memory
 * instead of about eight tensor ops), bit-identical to the chain `adagrad()` of alias.ts.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsArg<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(
      'Adagrad',
      params,
      {
        lr: options.lr ?? 1e-2,
        lrDecay: options.lrDecay ?? 0,
        weightDecay: options.weightDecay ?? 0,
        initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
        eps: options.eps ?? 1e-10,
        maximize: options.maximize ?? false,
        epsInsideSqrt: options.epsInsideSqrt ?? false,
      },
      options,
    );
  }
  protected validate(o: AdagradOptions): void {
    for (const k of ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'] as const)
      nonNegative('Adagrad', k, o[k]);
    boolean('Adagrad', 'maximize', o.maximize);
    boolean('Adagrad', 'epsInsideSqrt', o.epsInsideSqrt);
  }
  protected buildChain(g: ParamGroup<AdagradOptions>) {
    return adagrad({
      lr: () => g.lr,
      lrDecay: () => g.lrDecay,
      weightDecay: () => g.weightDecay,
      initialAccumulatorValue: g.initialAccumulatorValue,
      eps: () => g.eps,
      maximize: () => g.maximize,
      epsInsideSqrt: () => g.epsInsideSqrt,
    });
  }
  protected override fusedUpdate(
    g: ParamGroup<AdagradOptions>,
    param: Tensor,
    states: unknown[],
    chain: Chain,
  ): FusedUpdate | null {
    if (!chainIs(chain, ['scale', 'addDecayedWeights', 'scaleByAdagrad', 'scaleByLearningRate'])) return null;
    return fusedAdagrad(g, states[2] as AdagradState, param);
  }
}
