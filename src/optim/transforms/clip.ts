import { clamp } from '../../ops/elementwise.js';
import { cast } from '../../ops/shape_ops.js';
import { zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { clipCoefficient, l2NormOf } from '../clip_norm.js';
import { type GradientTransformation, type Hyper, perParameter, read } from '../transform.js';

/** Clips every coordinate of the update to [−maxDelta, maxDelta] (torch.nn.utils.clip_grad_value_). */
export function clipByValue(maxDelta: Hyper<number>): GradientTransformation<null> {
  return perParameter(
    'clipByValue',
    () => null,
    (u: Tensor) => {
      const c = read(maxDelta);
      return clamp(u, -c, c);
    },
  );
}

/**
 * Rescales all updates together when their joint L2 norm exceeds maxNorm:
 * u ← u·min(1, maxNorm/(‖u‖ + 1e-6)), as torch.nn.utils.clip_grad_norm_ (Pascanu et al. 2013, "On the
 * difficulty of training recurrent neural networks"). The coefficient stays on the device and always
 * multiplies (as in PyTorch 1.13), so a step that clips reads nothing on the host.
 */
export function clipByGlobalNorm(maxNorm: Hyper<number>): GradientTransformation<null> {
  return {
    name: 'clipByGlobalNorm',
    init: () => null,
    update: (updates) => {
      if (updates.length === 0) return [];
      const coef = clipCoefficient(l2NormOf(updates), read(maxNorm));
      return updates.map((u) => u.mul(u.dtype === coef.dtype ? coef : cast(coef, u.dtype)));
    },
  };
}

/**
 * √(Σ‖uᵢ‖²) over a list of tensors as a 0-d float32 tensor, on the device (each tensor's norm in its
 * dtype, combined as PyTorch does); 0 for no tensors.
 */
export function globalNorm(tensors: readonly Tensor[]): Tensor {
  return tensors.length === 0 ? zeros([]) : l2NormOf(tensors);
}
