import { adagrad } from '../alias.js';
import { Optimizer, type ParamsArg } from '../optimizer.js';
import type { OptimizerSpec } from '../optimizer_spec.js';
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

const ADAGRAD: OptimizerSpec<AdagradOptions> = {
  name: 'Adagrad',
  checks: {
    lr: nonNegative,
    lrDecay: nonNegative,
    weightDecay: nonNegative,
    initialAccumulatorValue: nonNegative,
    eps: nonNegative,
    maximize: boolean,
    epsInsideSqrt: boolean,
  },
  defaults: {
    lr: 1e-2,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0,
    eps: 1e-10,
    maximize: false,
    epsInsideSqrt: false,
  },
  // The accumulator's initial value is used once, when a parameter's state is created.
  chain: (h, g) => adagrad({ ...h, initialAccumulatorValue: g.initialAccumulatorValue }),
};

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
    super(ADAGRAD, params, options);
  }
}
