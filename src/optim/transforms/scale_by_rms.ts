import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByRmsOptions {
  /** α, the decay of the squared-gradient average (the course's ρ). Default 0.99 (PyTorch). */
  alpha?: Hyper<number>;
  /** ε. Default 1e-8. */
  eps?: Hyper<number>;
  /** Divide by the centred second moment √(E[g²] − E[g]²) (Graves 2013). Default false. */
  centered?: Hyper<boolean>;
  /** Use √(s + ε) as the course writes it, instead of √s + ε (PyTorch). Default false. */
  epsInsideSqrt?: Hyper<boolean>;
}

export interface RmsState {
  squareAvg: Tensor;
  gradAvg: Tensor | null;
}

/**
 * RMSprop's scaling (Hinton 2012, Coursera lecture 6e): s ← αs + (1 − α)g²; u = g / (√s + ε).
 * Unlike AdaGrad's growing sum, the moving average forgets old gradients, so the step does not
 * shrink to zero.
 */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransformation<RmsState> {
  checkOptions('scaleByRms', options, { alpha: true, eps: true, centered: true, epsInsideSqrt: true });
  return perParameter(
    'scaleByRms',
    (p) => ({ squareAvg: zerosLikeState(p), gradAvg: null }),
    (g: Tensor, s: RmsState) => {
      const alpha = read(options.alpha ?? 0.99);
      const eps = read(options.eps ?? 1e-8);
      s.squareAvg.assign(s.squareAvg.mul(alpha).add(g.mul(1 - alpha).mul(g)));
      let second = s.squareAvg;
      if (read(options.centered ?? false)) {
        s.gradAvg ??= zerosLikeState(g);
        s.gradAvg.assign(s.gradAvg.mul(alpha).add(g.mul(1 - alpha)));
        second = s.squareAvg.sub(s.gradAvg.mul(s.gradAvg));
      }
      const denom = read(options.epsInsideSqrt ?? false) ? second.add(eps).sqrt() : second.sqrt().add(eps);
      return g.div(denom);
    },
  );
}
