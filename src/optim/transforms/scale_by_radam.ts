import { div } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByRadamOptions {
  b1?: Hyper<number>;
  b2?: Hyper<number>;
  eps?: Hyper<number>;
}

export interface RadamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * Rectified Adam (Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond",
 * arXiv:1908.03265): with ρ∞ = 2/(1 − β₂) − 1 and ρ_t = ρ∞ − 2tβ₂^t/(1 − β₂^t), the update is
 * m̂·r_t·√(1 − β₂^t)/(√v + ε) once ρ_t > 5, with r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t));
 * before that, plain momentum m̂ (the variance of the adaptive rate is not yet tractable).
 */
export function scaleByRadam(options: ScaleByRadamOptions = {}): GradientTransformation<RadamState> {
  checkOptions('scaleByRadam', options, { b1: true, b2: true, eps: true });
  return perParameter(
    'scaleByRadam',
    (p) => ({ step: 0, expAvg: zerosLikeState(p), expAvgSq: zerosLikeState(p) }),
    (g: Tensor, s: RadamState) => {
      const b1 = read(options.b1 ?? 0.9);
      const b2 = read(options.b2 ?? 0.999);
      const eps = read(options.eps ?? 1e-8);
      s.step += 1;
      const t = s.step;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      s.expAvg.assign(s.expAvg.mul(b1).add(g.mul(1 - b1)));
      s.expAvgSq.assign(s.expAvgSq.mul(b2).add(g.mul(1 - b2).mul(g)));
      const corrected = s.expAvg.div(bc1);
      const rhoInf = 2 / (1 - b2) - 1;
      const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
      if (rhoT <= 5) return corrected;
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = div(Math.sqrt(bc2), s.expAvgSq.sqrt().add(eps));
      return corrected.mul(adaptive).mul(rect);
    },
  );
}
