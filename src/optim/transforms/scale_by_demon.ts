import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByDemonOptions {
  /** β_init, the momentum at the first step. Default 0.9. */
  momentum?: Hyper<number>;
  /** T, the step at which the momentum has decayed to 0. Required. */
  totalSteps: Hyper<number>;
}

export interface DemonState {
  step: number;
  momentumBuffer: Tensor;
}

/** Demon's momentum at step t (0-based): β_t = β·(1 − t/T) / ((1 − β) + β·(1 − t/T)), and 0 from T on. */
export function demonMomentum(betaInit: number, step: number, totalSteps: number): number {
  const remaining = Math.max(0, 1 - step / totalSteps);
  return (betaInit * remaining) / (1 - betaInit + betaInit * remaining);
}

/**
 * Decaying momentum (Chen, Wolfe, Kyrillidis et al. 2022, "Demon: Improved Neural Network Training
 * with Momentum Decay", arXiv:1910.04952): b ← β_t·b + g, u = b, with β_t from `demonMomentum`.
 * The total contribution of a gradient to future updates, Σβ^k = β/(1 − β), decays linearly to 0.
 */
export function scaleByDemon(options: ScaleByDemonOptions): GradientTransformation<DemonState> {
  checkOptions('scaleByDemon', options, { momentum: true, totalSteps: true });
  return perParameter(
    'scaleByDemon',
    (p) => ({ step: 0, momentumBuffer: zerosLikeState(p) }),
    (g: Tensor, s: DemonState) => {
      const beta = demonMomentum(read(options.momentum ?? 0.9), s.step, read(options.totalSteps));
      s.step += 1;
      s.momentumBuffer.assign(s.momentumBuffer.mul(beta).add(g));
      return s.momentumBuffer;
    },
  );
}
