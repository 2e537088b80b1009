import { adadelta } from '../alias.js';
import { Optimizer, type ParamGroup, type ParamsArg } from '../optimizer.js';
import { boolean, nonNegative, unitInterval } from './validate.js';

export interface AdadeltaOptions {
  /** A factor on the update. Default 1. */
  lr: number;
  /** ρ. Default 0.9. */
  rho: number;
  /** Default 1e-6. */
  eps: number;
  /** Coupled L2. Default 0. */
  weightDecay: number;
  maximize: boolean;
}

/**
 * AdaDelta (Zeiler 2012, arXiv:1212.5701), as torch.optim.Adadelta:
 *
 *   g ← ∇θ + λθ;  s ← ρs + (1 − ρ)g²;  Δ = √(a + ε)/√(s + ε) · g;  a ← ρa + (1 − ρ)Δ²;  θ ← θ − η·Δ.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsArg<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(
      'Adadelta',
      params,
      {
        lr: options.lr ?? 1,
        rho: options.rho ?? 0.9,
        eps: options.eps ?? 1e-6,
        weightDecay: options.weightDecay ?? 0,
        maximize: options.maximize ?? false,
      },
      options,
    );
  }
  protected validate(o: AdadeltaOptions): void {
    nonNegative('Adadelta', 'lr', o.lr);
    unitInterval('Adadelta', 'rho', o.rho, true);
    nonNegative('Adadelta', 'eps', o.eps);
    nonNegative('Adadelta', 'weightDecay', o.weightDecay);
    boolean('Adadelta', 'maximize', o.maximize);
  }
  protected buildChain(g: ParamGroup<AdadeltaOptions>) {
    return adadelta({
      lr: () => g.lr,
      rho: () => g.rho,
      eps: () => g.eps,
      weightDecay: () => g.weightDecay,
      maximize: () => g.maximize,
    });
  }
}
