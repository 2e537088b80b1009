import { where } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type GradientTransformation, perParameter } from '../transform.js';

/**
 * The layer-wise trust ratio of LARS/LAMB (You et al. 2020, "Large Batch Optimization for Deep
 * Learning: Training BERT in 76 minutes", arXiv:1904.00962): u ← u·‖θ‖/‖u‖ per parameter tensor,
 * with the ratio taken as 1 when either norm is zero.
 */
export function scaleByTrustRatio(): GradientTransformation<null> {
  return perParameter(
    'scaleByTrustRatio',
    () => null,
    (u: Tensor, _state, param: Tensor) => {
      const paramNorm = param.detach().square().sum().sqrt();
      const updateNorm = u.square().sum().sqrt();
      const ratio = where(paramNorm.gt(0).mul(updateNorm.gt(0)), paramNorm.div(updateNorm), 1);
      return u.mul(ratio);
    },
  );
}
