import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByQhadamOptions {
  /** β₁, β₂. Default (0.995, 0.999) (the paper's recommendation). */
  b1?: Hyper<number>;
  b2?: Hyper<number>;
  /** ν₁, ν₂: the weights of the averaged moments against the current gradient. Default (0.7, 1). */
  nu1?: Hyper<number>;
  nu2?: Hyper<number>;
  eps?: Hyper<number>;
}

export interface QhadamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * QHAdam (Ma & Yarats 2019, arXiv:1810.06801): with bias-corrected moments m̂, v̂,
 * u = ((1 − ν₁)g + ν₁m̂) / (√((1 − ν₂)g² + ν₂v̂) + ε). ν₁ = ν₂ = 1 is Adam.
 */
export function scaleByQhadam(options: ScaleByQhadamOptions = {}): GradientTransformation<QhadamState> {
  checkOptions('scaleByQhadam', options, { b1: true, b2: true, nu1: true, nu2: true, eps: true });
  return perParameter(
    'scaleByQhadam',
    (p) => ({ step: 0, expAvg: zerosLikeState(p), expAvgSq: zerosLikeState(p) }),
    (g: Tensor, s: QhadamState) => {
      const b1 = read(options.b1 ?? 0.995);
      const b2 = read(options.b2 ?? 0.999);
      const nu1 = read(options.nu1 ?? 0.7);
      const nu2 = read(options.nu2 ?? 1);
      const eps = read(options.eps ?? 1e-8);
      s.step += 1;
      s.expAvg.assign(s.expAvg.mul(b1).add(g.mul(1 - b1)));
      s.expAvgSq.assign(s.expAvgSq.mul(b2).add(g.mul(1 - b2).mul(g)));
      const mHat = s.expAvg.div(1 - b1 ** s.step);
      const vHat = s.expAvgSq.div(1 - b2 ** s.step);
      const numerator = g.mul(1 - nu1).add(mHat.mul(nu1));
      const denominator = g
        .mul(g)
        .mul(1 - nu2)
        .add(vHat.mul(nu2))
        .sqrt()
        .add(eps);
      return numerator.div(denominator);
    },
  );
}
