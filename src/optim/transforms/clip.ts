import { clamp } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
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
 * u ← u·maxNorm/(‖u‖ + 1e-6), as torch.nn.utils.clip_grad_norm_ (Pascanu et al. 2013, "On the
 * difficulty of training recurrent neural networks").
 */
export function clipByGlobalNorm(maxNorm: Hyper<number>): GradientTransformation<null> {
  return {
    name: 'clipByGlobalNorm',
    init: () => null,
    update: (updates) => {
      const total = globalNorm(updates);
      const coef = Math.min(1, read(maxNorm) / (total + 1e-6));
      return coef === 1 ? updates.slice() : updates.map((u) => u.mul(coef));
    },
  };
}

/** √(Σ‖uᵢ‖²) over a list of tensors, as a number (float32 norms of each, combined as PyTorch does). */
export function globalNorm(tensors: readonly Tensor[]): number {
  if (tensors.length === 0) return 0;
  const norms = tensors.map((t) => t.detach().square().sum().sqrt().item());
  return Math.fround(Math.sqrt(norms.reduce((acc, n) => acc + Math.fround(n * n), 0)));
}
