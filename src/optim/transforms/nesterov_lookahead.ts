import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, read, zerosLikeState } from '../transform.js';

export interface NesterovLookaheadState {
  /** v, the velocity in the course's form (it includes the learning rate). */
  velocity: Tensor;
}

/**
 * Nesterov's accelerated gradient in the look-ahead form the course teaches (Nesterov 1983;
 * Sutskever et al. 2013): v ← ρv − η∇J(θ + ρv); θ ← θ + v. The gradient is evaluated at the
 * look-ahead point θ + ρv, so the optimizer needs a closure that recomputes it there: see
 * `GradientTransformation.lookAhead` and `Optimizer.step(closure)`. This transformation already
 * includes the learning rate: use it without scaleByLearningRate.
 */
export function nesterovLookahead(options: {
  momentum: Hyper<number>;
  lr: Hyper<number>;
}): GradientTransformation<NesterovLookaheadState> & LookAhead<NesterovLookaheadState> {
  checkOptions('nesterovLookahead', options, { momentum: true, lr: true });
  return {
    name: 'nesterovLookahead',
    init: (p) => ({ velocity: zerosLikeState(p) }),
    update: (grads, states) =>
      grads.map((g, i) => {
        const s = states[i]!;
        s.velocity.assign(s.velocity.mul(read(options.momentum)).sub(g.mul(read(options.lr))));
        return s.velocity;
      }),
    lookAhead: (state) => state.velocity.mul(read(options.momentum)),
  };
}

/** A transformation whose gradient must be taken at θ + offset(state) rather than at θ. */
export interface LookAhead<S> {
  lookAhead(state: S, param: Tensor): Tensor;
}
