import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByLionOptions {
  /** β₁, the interpolation used for the update's sign. Default 0.9. */
  b1?: Hyper<number>;
  /** β₂, the decay of the momentum that is kept. Default 0.99. */
  b2?: Hyper<number>;
}

export interface LionState {
  expAvg: Tensor;
}

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", arXiv:2302.06675):
 * u = sign(β₁m + (1 − β₁)g); then m ← β₂m + (1 − β₂)g. Every coordinate moves by exactly η, so Lion
 * wants a learning rate 3–10× smaller than AdamW's.
 */
export function scaleByLion(options: ScaleByLionOptions = {}): GradientTransformation<LionState> {
  checkOptions('scaleByLion', options, { b1: true, b2: true });
  return perParameter(
    'scaleByLion',
    (p) => ({ expAvg: zerosLikeState(p) }),
    (g: Tensor, s: LionState) => {
      const b1 = read(options.b1 ?? 0.9);
      const b2 = read(options.b2 ?? 0.99);
      const u = s.expAvg
        .mul(b1)
        .add(g.mul(1 - b1))
        .sign();
      s.expAvg.assign(s.expAvg.mul(b2).add(g.mul(1 - b2)));
      return u;
    },
  );
}
