import type { Tensor } from '../../tensor/tensor.js';
import { rmsprop } from '../alias.js';
import { chainIs, type FusedUpdate, fusedRmsprop } from '../fused.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import type { Chain } from '../transform.js';
import type { RmsState } from '../transforms/scale_by_rms.js';
import type { TraceState } from '../transforms/trace.js';
import { boolean, nonNegative } from './validate.js';

export interface RmspropOptions {
  /** η. Default 1e-2. */
  lr: number;
  /** α, the decay of the squared-gradient average (the course's ρ). Default 0.99. */
  alpha: number;
  /** Default 1e-8. */
  eps: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  /** Default 0. */
  momentum: number;
  /** Default false. */
  centered: boolean;
  maximize: boolean;
  /** √(s + ε) as the course writes it. Default false (PyTorch: √s + ε). */
  epsInsideSqrt: boolean;
}

/**
 * RMSprop (Hinton 2012, Neural Networks for Machine Learning, lecture 6e), as torch.optim.RMSprop:
 *
 *   g ← ∇θ + λθ;  s ← αs + (1 − α)g²;  (centered: a ← αa + (1 − α)g, s̃ = s − a²);
 *   d = √s̃ + ε;  b ← ρb + g/d (momentum ρ), θ ← θ − η·b;  without momentum θ ← θ − η·g/d.
 *
 * The course writes s ← ρs + (1 − ρ)g², θ ← θ − η/√(s + ε) ⊙ g (`epsInsideSqrt: true`).
 *
 * Each step runs as one fused kernel per parameter where the backend has it (one pass over memory
 * instead of about ten tensor ops), bit-identical to the chain `rmsprop()` of alias.ts.
 */
export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: ParamsArg<RmspropOptions>, options: Partial<RmspropOptions> = {}) {
    super(
      'RMSprop',
      params,
      {
        lr: options.lr ?? 1e-2,
        alpha: options.alpha ?? 0.99,
        eps: options.eps ?? 1e-8,
        weightDecay: options.weightDecay ?? 0,
        momentum: options.momentum ?? 0,
        centered: options.centered ?? false,
        maximize: options.maximize ?? false,
        epsInsideSqrt: options.epsInsideSqrt ?? false,
      },
      options,
    );
  }
  protected validate(o: RmspropOptions): void {
    for (const k of ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'] as const)
      nonNegative('RMSprop', k, o[k]);
    boolean('RMSprop', 'centered', o.centered);
    boolean('RMSprop', 'maximize', o.maximize);
    boolean('RMSprop', 'epsInsideSqrt', o.epsInsideSqrt);
  }
  protected buildChain(g: ParamGroup<RmspropOptions>) {
    return rmsprop({
      lr: () => g.lr,
      alpha: () => g.alpha,
      eps: () => g.eps,
      weightDecay: () => g.weightDecay,
      momentum: () => g.momentum,
      centered: () => g.centered,
      maximize: () => g.maximize,
      epsInsideSqrt: () => g.epsInsideSqrt,
    });
  }
  protected override fusedUpdate(
    g: ParamGroup<RmspropOptions>,
    param: Tensor,
    states: unknown[],
    chain: Chain,
  ): FusedUpdate | null {
    const parts = ['scale', 'addDecayedWeights', 'scaleByRms', 'trace', 'scaleByLearningRate'];
    if (!chainIs(chain, parts)) return null;
    return fusedRmsprop(g, states[2] as RmsState, states[3] as TraceState, param);
  }
}
