import type { Tensor } from '../../tensor/tensor.js';
import { type GradientTransformation, type Hyper, perParameter, read } from '../transform.js';

/**
 * u ← −η·u: the last link of a descent chain, so that θ ← θ + u moves against the gradient.
 * η is read at every step, which is how schedules and `optimizer.lr = …` take effect.
 */
export function scaleByLearningRate(lr: Hyper<number>): GradientTransformation<null> {
  return perParameter(
    'scaleByLearningRate',
    () => null,
    (u: Tensor) => u.mul(-read(lr)),
  );
}
