import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByAdagradOptions {
  /** ε. Default 1e-10 (PyTorch). */
  eps?: Hyper<number>;
  /** The accumulator's starting value. Default 0. */
  initialAccumulatorValue?: number;
  /** Step-size decay: the update is divided by 1 + (t − 1)·lrDecay. Default 0. */
  lrDecay?: Hyper<number>;
  /** Use √(s + ε) as the course writes it, instead of √s + ε (PyTorch). Default false. */
  epsInsideSqrt?: Hyper<boolean>;
}

export interface AdagradState {
  step: number;
  sum: Tensor;
}

/**
 * AdaGrad's scaling (Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online Learning
 * and Stochastic Optimization"): s ← s + g²; u = g / (√s + ε) / (1 + (t − 1)·lrDecay).
 * Parameters with large past gradients take small steps; the sum only grows, so steps keep shrinking.
 */
export function scaleByAdagrad(options: ScaleByAdagradOptions = {}): GradientTransformation<AdagradState> {
  checkOptions('scaleByAdagrad', options, {
    eps: true,
    initialAccumulatorValue: true,
    lrDecay: true,
    epsInsideSqrt: true,
  });
  return perParameter(
    'scaleByAdagrad',
    (p) => {
      const sum = zerosLikeState(p);
      if (options.initialAccumulatorValue) sum.assign(options.initialAccumulatorValue);
      return { step: 0, sum };
    },
    (g: Tensor, s: AdagradState) => {
      const eps = read(options.eps ?? 1e-10);
      const lrDecay = read(options.lrDecay ?? 0);
      s.step += 1;
      s.sum.assign(s.sum.add(g.mul(g)));
      const denom = read(options.epsInsideSqrt ?? false) ? s.sum.add(eps).sqrt() : s.sum.sqrt().add(eps);
      const u = g.div(denom);
      return lrDecay === 0 ? u : u.div(1 + (s.step - 1) * lrDecay);
    },
  );
}
