import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByQhmOptions {
  /** β, the momentum buffer's decay. Default 0.999 (the paper's recommendation). */
  beta?: Hyper<number>;
  /** ν, the weight of the momentum buffer against the plain gradient. Default 0.7. */
  nu?: Hyper<number>;
}

export interface QhmState {
  momentumBuffer: Tensor;
}

/**
 * Quasi-hyperbolic momentum (Ma & Yarats 2019, "Quasi-hyperbolic momentum and Adam for deep
 * learning", arXiv:1810.06801): b ← βb + (1 − β)g; u = (1 − ν)g + νb. ν = 1 is (dampened) momentum,
 * ν = 0 plain SGD; ν = β is Nesterov's momentum.
 */
export function scaleByQhm(options: ScaleByQhmOptions = {}): GradientTransformation<QhmState> {
  checkOptions('scaleByQhm', options, { beta: true, nu: true });
  return perParameter(
    'scaleByQhm',
    (p) => ({ momentumBuffer: zerosLikeState(p) }),
    (g: Tensor, s: QhmState) => {
      const beta = read(options.beta ?? 0.999);
      const nu = read(options.nu ?? 0.7);
      s.momentumBuffer.assign(s.momentumBuffer.mul(beta).add(g.mul(1 - beta)));
      return g.mul(1 - nu).add(s.momentumBuffer.mul(nu));
    },
  );
}
