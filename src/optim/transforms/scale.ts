import type { Tensor } from '../../tensor/tensor.js';
import { type GradientTransformation, type Hyper, perParameter, read } from '../transform.js';

/** u ← factor·u. `scale(-1)` turns gradient descent into ascent (PyTorch's `maximize`). */
export function scale(factor: Hyper<number>): GradientTransformation<null> {
  return perParameter(
    'scale',
    () => null,
    (u: Tensor) => {
      const f = read(factor);
      return f === 1 ? u : u.mul(f);
    },
  );
}
