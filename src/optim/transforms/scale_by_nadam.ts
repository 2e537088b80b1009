import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByNadamOptions {
  b1?: Hyper<number>;
  b2?: Hyper<number>;
  eps?: Hyper<number>;
  /** ψ in the momentum schedule μ_t = β₁(1 − ½·0.96^(tψ)). Default 4e-3. */
  momentumDecay?: Hyper<number>;
}

export interface NadamState {
  step: number;
  /** Π μ_τ, kept in float32 as PyTorch does. */
  muProduct: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * NAdam, Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov Momentum into Adam"), with
 * PyTorch's momentum schedule μ_t = β₁(1 − ½·0.96^(tψ)):
 * u = (1 − μ_t)/(1 − Πμ)·g/d + μ_{t+1}/(1 − Πμ·μ_{t+1})·m/d, with d = √(v/(1 − β₂^t)) + ε.
 */
export function scaleByNadam(options: ScaleByNadamOptions = {}): GradientTransformation<NadamState> {
  checkOptions('scaleByNadam', options, { b1: true, b2: true, eps: true, momentumDecay: true });
  return perParameter(
    'scaleByNadam',
    (p) => ({ step: 0, muProduct: 1, expAvg: zerosLikeState(p), expAvgSq: zerosLikeState(p) }),
    (g: Tensor, s: NadamState) => {
      const b1 = read(options.b1 ?? 0.9);
      const b2 = read(options.b2 ?? 0.999);
      const eps = read(options.eps ?? 1e-8);
      const psi = read(options.momentumDecay ?? 4e-3);
      s.step += 1;
      const t = s.step;
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      s.muProduct = Math.fround(s.muProduct * mu);
      const muProductNext = Math.fround(Math.fround(s.muProduct * mu) * muNext);
      s.expAvg.assign(s.expAvg.mul(b1).add(g.mul(1 - b1)));
      s.expAvgSq.assign(s.expAvgSq.mul(b2).add(g.mul(1 - b2).mul(g)));
      const denom = s.expAvgSq
        .div(1 - b2 ** t)
        .sqrt()
        .add(eps);
      return g
        .div(denom)
        .mul((1 - mu) / (1 - s.muProduct))
        .add(s.expAvg.div(denom).mul(muNext / (1 - muProductNext)));
    },
  );
}
