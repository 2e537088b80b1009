import { maximum } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByAdamOptions {
  /** β₁, decay of the first moment. Default 0.9. */
  b1?: Hyper<number>;
  /** β₂, decay of the second moment. Default 0.999. */
  b2?: Hyper<number>;
  /** ε, added to the denominator. Default 1e-8. */
  eps?: Hyper<number>;
  /** Divide by max_τ v_τ instead of v_t (Reddi et al. 2018, "On the Convergence of Adam and Beyond"). Default false. */
  amsgrad?: Hyper<boolean>;
  /** Divide the moments by 1 − β^t (default true). The course's textbook Adam has no bias correction. */
  biasCorrection?: Hyper<boolean>;
  /** Use √(v̂ + ε) instead of √v̂ + ε, as the course writes it. Default false (PyTorch). */
  epsInsideSqrt?: Hyper<boolean>;
}

export interface AdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq: Tensor | null;
}

/**
 * Adam's scaling (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980):
 * m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; u = (m / (1 − β₁^t)) / (√v / √(1 − β₂^t) + ε).
 * PyTorch's placement of ε (after the bias correction of √v) is the default; the learning rate is
 * applied later in the chain.
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation<AdamState> {
  checkOptions('scaleByAdam', options, {
    b1: true,
    b2: true,
    eps: true,
    amsgrad: true,
    biasCorrection: true,
    epsInsideSqrt: true,
  });
  return perParameter(
    'scaleByAdam',
    (p) => ({ step: 0, expAvg: zerosLikeState(p), expAvgSq: zerosLikeState(p), maxExpAvgSq: null }),
    (g: Tensor, s: AdamState) => {
      const b1 = read(options.b1 ?? 0.9);
      const b2 = read(options.b2 ?? 0.999);
      const eps = read(options.eps ?? 1e-8);
      s.step += 1;
      s.expAvg.assign(s.expAvg.mul(b1).add(g.mul(1 - b1)));
      s.expAvgSq.assign(s.expAvgSq.mul(b2).add(g.mul(1 - b2).mul(g)));
      let second = s.expAvgSq;
      if (read(options.amsgrad ?? false)) {
        s.maxExpAvgSq ??= zerosLikeState(g);
        s.maxExpAvgSq.assign(maximum(s.maxExpAvgSq, s.expAvgSq));
        second = s.maxExpAvgSq;
      }
      const corrected = read(options.biasCorrection ?? true);
      const bc1 = corrected ? 1 - b1 ** s.step : 1;
      const bc2 = corrected ? 1 - b2 ** s.step : 1;
      const denom = read(options.epsInsideSqrt ?? false)
        ? second.div(bc2).add(eps).sqrt()
        : second.sqrt().div(Math.sqrt(bc2)).add(eps);
      const u = s.expAvg.div(denom);
      return bc1 === 1 ? u : u.div(bc1);
    },
  );
}
