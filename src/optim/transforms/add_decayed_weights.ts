import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read } from '../transform.js';

export interface AddDecayedWeightsOptions {
  /** Which parameters decay; default all. `(p) => p.ndim > 1` skips biases and normalization parameters. */
  mask?: (param: Tensor) => boolean;
}

/**
 * u ← u + λ·θ. Placed before an adaptive scaler (scaleByAdam, scaleByRms…) it is the L2 penalty
 * (λ/2)‖θ‖² folded into the gradient — PyTorch's `weight_decay` in SGD and Adam. Placed after the
 * scaler and before scaleByLearningRate it is decoupled weight decay, θ ← θ − η(û + λθ)
 * (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", arXiv:1711.05101), as AdamW.
 * For plain SGD the two coincide.
 */
export function addDecayedWeights(
  weightDecay: Hyper<number>,
  options: AddDecayedWeightsOptions = {},
): GradientTransformation<null> {
  checkOptions('addDecayedWeights', options, { mask: true });
  return perParameter(
    'addDecayedWeights',
    () => null,
    (u: Tensor, _state, param: Tensor) => {
      const wd = read(weightDecay);
      if (wd === 0 || (options.mask && !options.mask(param))) return u;
      return u.add(param.detach().mul(wd));
    },
  );
}
