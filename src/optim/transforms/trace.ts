import { clone } from '../../ops/shape_ops.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type GradientTransformation, type Hyper, perParameter, read } from '../transform.js';

export interface TraceOptions {
  /** ρ, the weight of the past (PyTorch's `momentum`). 0 disables the transformation. */
  momentum: Hyper<number>;
  /** τ: the new gradient enters with weight 1 − τ (from the second step on). Default 0. */
  dampening?: Hyper<number>;
  /** Nesterov's form as PyTorch writes it: u ← g + ρ·b instead of b. Default false. */
  nesterov?: Hyper<boolean>;
}

export interface TraceState {
  /** b, created from the first gradient (PyTorch's `momentum_buffer`). */
  momentumBuffer: Tensor | null;
}

/**
 * Momentum, exactly as PyTorch's SGD: b₁ = g₁; b_t = ρ·b_{t−1} + (1 − τ)·g_t; the update is b_t, or
 * g_t + ρ·b_t with Nesterov (Sutskever et al. 2013, "On the importance of initialization and
 * momentum in deep learning"). With the learning rate applied after, this equals the course's
 * v ← ρv − ηg, θ ← θ + v (Polyak 1964) with v = −η·b.
 */
export function trace(options: TraceOptions): GradientTransformation<TraceState> {
  checkOptions('trace', options, { momentum: true, dampening: true, nesterov: true });
  return perParameter(
    'trace',
    () => ({ momentumBuffer: null }),
    (u: Tensor, state: TraceState) => {
      const rho = read(options.momentum);
      if (rho === 0) return u;
      const buf = state.momentumBuffer;
      if (buf === null) state.momentumBuffer = clone(u.detach());
      else buf.assign(buf.mul(rho).add(u.mul(1 - read(options.dampening ?? 0))));
      const b = state.momentumBuffer!;
      return read(options.nesterov ?? false) ? u.add(b.mul(rho)) : b;
    },
  );
}
