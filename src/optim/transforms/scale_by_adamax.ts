import { maximum } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByAdamaxOptions {
  b1?: Hyper<number>;
  b2?: Hyper<number>;
  eps?: Hyper<number>;
}

export interface AdamaxState {
  step: number;
  expAvg: Tensor;
  expInf: Tensor;
}

/**
 * Adamax, Adam with the infinity norm (Kingma & Ba 2015, §7.1): m ← β₁m + (1 − β₁)g;
 * w ← max(β₂w, |g| + ε); u = m / w / (1 − β₁^t). ε sits inside the max, as in PyTorch.
 */
export function scaleByAdamax(options: ScaleByAdamaxOptions = {}): GradientTransformation<AdamaxState> {
  checkOptions('scaleByAdamax', options, { b1: true, b2: true, eps: true });
  return perParameter(
    'scaleByAdamax',
    (p) => ({ step: 0, expAvg: zerosLikeState(p), expInf: zerosLikeState(p) }),
    (g: Tensor, s: AdamaxState) => {
      const b1 = read(options.b1 ?? 0.9);
      const b2 = read(options.b2 ?? 0.999);
      const eps = read(options.eps ?? 1e-8);
      s.step += 1;
      s.expAvg.assign(s.expAvg.mul(b1).add(g.mul(1 - b1)));
      s.expInf.assign(maximum(s.expInf.mul(b2), g.abs().add(eps)));
      return s.expAvg.div(s.expInf).div(1 - b1 ** s.step);
    },
  );
}
