import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByAdadeltaOptions {
  /** ρ, the decay of both running averages. Default 0.9. */
  rho?: Hyper<number>;
  /** ε. Default 1e-6. */
  eps?: Hyper<number>;
}

export interface AdadeltaState {
  squareAvg: Tensor;
  accDelta: Tensor;
}

/**
 * AdaDelta's scaling (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701):
 * s ← ρs + (1 − ρ)g²; Δ = √(a + ε)/√(s + ε)·g; a ← ρa + (1 − ρ)Δ²; u = Δ. The ratio of running
 * RMS values gives the update the units of θ, so the learning rate (PyTorch default 1) is a pure factor.
 */
export function scaleByAdadelta(options: ScaleByAdadeltaOptions = {}): GradientTransformation<AdadeltaState> {
  checkOptions('scaleByAdadelta', options, { rho: true, eps: true });
  return perParameter(
    'scaleByAdadelta',
    (p) => ({ squareAvg: zerosLikeState(p), accDelta: zerosLikeState(p) }),
    (g: Tensor, s: AdadeltaState) => {
      const rho = read(options.rho ?? 0.9);
      const eps = read(options.eps ?? 1e-6);
      s.squareAvg.assign(s.squareAvg.mul(rho).add(g.mul(1 - rho).mul(g)));
      const std = s.squareAvg.add(eps).sqrt();
      const delta = s.accDelta.add(eps).sqrt().div(std).mul(g);
      s.accDelta.assign(s.accDelta.mul(rho).add(delta.mul(1 - rho).mul(delta)));
      return delta;
    },
  );
}
