/**
 * The arithmetic of gradient clipping by norm (clipGradNorm_, clipByGlobalNorm), on the device: a
 * captured step replays kernels only, so the norm and the clip coefficient are 0-d tensors, never
 * numbers read on the host, and the gradients are always multiplied by the clamped coefficient, as
 * PyTorch 1.13's clip_grad_norm_ does (a NaN norm makes every gradient NaN there and here).
 *
 * The results are the bits the host computation had: each tensor's norm in its own dtype, their
 * squares rounded to float32, summed in order and square-rooted in float64, the total rounded to
 * float32; the coefficient maxNorm/(total + 1e-6) divided in float64 and rounded once to the dtype it
 * multiplies. A backend without float64 does the wide steps in float32.
 */
import { add, clamp, div, maximum } from '../ops/elementwise.js';
import { cast } from '../ops/shape_ops.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** The dtype of the host's number arithmetic on `t`'s backend: float64 where it has it. */
function wide(t: Tensor): DType {
  return t.backend.supports('float64') ? 'float64' : 'float32';
}

function to(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : cast(t, dtype);
}

/** Σ in order, as `reduce((a, b) => a + b)`; null for no terms. */
function sumInOrder(terms: readonly Tensor[]): Tensor | null {
  return terms.length === 0 ? null : terms.reduce((a, b) => add(a, b));
}

/**
 * √(Σ‖tᵢ‖²) over `tensors` (at least one) as a 0-d float32 tensor: each ‖tᵢ‖ in tᵢ's dtype, its square
 * rounded to float32, the sum and the root in float64 (PyTorch takes the norm of the stacked norms).
 */
export function l2NormOf(tensors: readonly Tensor[]): Tensor {
  const w = wide(tensors[0]!);
  const squares = tensors.map((t) => {
    const n = to(t.detach().square().sum().sqrt(), w);
    return to(to(n.square(), 'float32'), w);
  });
  return cast(sumInOrder(squares)!.sqrt(), 'float32');
}

/** max |tᵢ| over `tensors` (at least one; 0 when all are empty), NaN propagating, in the wide dtype. */
export function maxAbsOf(tensors: readonly Tensor[]): Tensor {
  const w = wide(tensors[0]!);
  const maxima = tensors.filter((t) => t.size > 0).map((t) => to(t.detach().abs().max(), w));
  // Only empty tensors: their sum is a 0-d zero on their backend.
  if (maxima.length === 0) return to(tensors[0]!.detach().sum(), w);
  return maximum(
    maxima.reduce((a, b) => maximum(a, b)),
    0,
  );
}

/**
 * min(1, maxNorm/(total + 1e-6)) in the wide dtype: NaN stays NaN (PyTorch's clamp); the caller
 * rounds it once to the dtype of what it scales.
 */
export function clipCoefficient(total: Tensor, maxNorm: number): Tensor {
  const t = to(total, wide(total));
  return clamp(div(maxNorm, t.add(1e-6)), null, 1);
}
