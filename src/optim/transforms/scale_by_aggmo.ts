import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read, zerosLikeState } from '../transform.js';

export interface ScaleByAggmoOptions {
  /** The damping coefficients β⁽ⁱ⁾ of the K velocities. Default [0, 0.9, 0.99] (the paper's). */
  betas?: Hyper<readonly number[]>;
}

export interface AggmoState {
  /** One buffer per β; created when first used, so the list of betas may not change length. */
  buffers: Tensor[];
}

/**
 * Aggregated momentum (Lucas, Sun, Zemel & Grosse 2019, "Aggregated Momentum: Stability Through
 * Passive Damping", arXiv:1804.00325): b⁽ⁱ⁾ ← β⁽ⁱ⁾b⁽ⁱ⁾ + g for each i; u = (1/K)Σᵢ b⁽ⁱ⁾. With the
 * learning rate after it this is the paper's v⁽ⁱ⁾ ← β⁽ⁱ⁾v⁽ⁱ⁾ − ∇, θ ← θ + (γ/K)Σᵢ v⁽ⁱ⁾.
 */
export function scaleByAggmo(options: ScaleByAggmoOptions = {}): GradientTransformation<AggmoState> {
  checkOptions('scaleByAggmo', options, { betas: true });
  return perParameter(
    'scaleByAggmo',
    (p) => ({ buffers: (read(options.betas ?? [0, 0.9, 0.99]) as number[]).map(() => zerosLikeState(p)) }),
    (g: Tensor, s: AggmoState) => {
      const betas = read(options.betas ?? [0, 0.9, 0.99]);
      if (betas.length !== s.buffers.length) {
        throw new RangeError(
          `AggMo: betas changed from ${s.buffers.length} to ${betas.length} values during training`,
        );
      }
      let total: Tensor | null = null;
      betas.forEach((beta, i) => {
        const b = s.buffers[i]!;
        b.assign(b.mul(beta).add(g));
        total = total === null ? b : total.add(b);
      });
      return (total as unknown as Tensor).div(betas.length);
    },
  );
}
