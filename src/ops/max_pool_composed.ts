/**
 * Max pooling composed from the core ops, for a backend without the fused maxPool2d kernels: the
 * windows unfolded with −∞ padding, the winning position of each chosen by PyTorch's CPU rule, and
 * the values gathered there, so that autograd sends the gradient back through the gather and the
 * unfold to the winning elements (a window lying entirely in the padding sends it nowhere).
 *
 * The rule, as the fused kernel's (backend.ts): the first maximal element of a window in row-major
 * window order; a NaN wins over numbers, and of several NaNs the last; padding never wins, so a window
 * whose maximum is −∞ takes its first element inside the input, and a window with none gets −∞ and
 * index −1.
 *
 * The positions are made here, in range by construction, so the gathers read nothing back (a captured
 * step stays capturable).
 */
import { noGrad } from '../autograd/tape.js';
import type { WindowSpec } from '../backend/backend.js';
import { withBackend } from '../backend/registry.js';
import { arange } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { im2col } from './conv.js';
import { eq, ge, mul, ne, where } from './elementwise.js';
import { gatherInRange as gather } from './indexing.js';
import { argmax, sum } from './reduce.js';
import { expand, reshape } from './shape_ops.js';

/** The maxima [N, C, outH, outW] and where each came from (y·W + x in its plane, int32; −1 for none). */
export function composedMaxPool2d(x: Tensor, spec: WindowSpec): { values: Tensor; indices: Tensor } {
  const { batch, channels, outHeight, outWidth } = spec;
  const taps = spec.kernel[0] * spec.kernel[1];
  const length = outHeight * outWidth;
  const cols = reshape(im2col(x, spec, Number.NEGATIVE_INFINITY), [batch, channels, taps, length]);
  const { position, planeIndex } = noGrad(() => winners(x, cols, spec));
  const shape = [batch, channels, outHeight, outWidth];
  const values = reshape(gather(cols, 2, position), shape);
  const full = expand(planeIndex, [batch, channels, taps, length]);
  const indices = reshape(gather(full, 2, position), shape);
  return { values, indices };
}

/** The winning window position of each output, [N, C, 1, L], and each tap's plane index [1, 1, K, L]. */
function winners(x: Tensor, cols: Tensor, spec: WindowSpec): { position: Tensor; planeIndex: Tensor } {
  const taps = spec.kernel[0] * spec.kernel[1];
  const length = spec.outHeight * spec.outWidth;
  const plane = { ...spec, batch: 1, channels: 1, columnLayout: 'NKL' as const };
  const [planeIndex, ramp] = withBackend(x.backend, () => [
    reshape(arange(spec.height * spec.width, undefined, 1, { dtype: 'int32' }), [
      1,
      1,
      spec.height,
      spec.width,
    ]),
    reshape(arange(1, taps + 1, 1, { dtype: x.dtype }), [1, 1, taps, 1]),
  ]);
  // Each tap's plane index, −1 in the padding.
  const index = reshape(im2col(planeIndex!, plane, -1), [1, 1, taps, length]);
  const isNan = ne(cols, cols);
  const lastNan = argmax(mul(isNan, ramp!), 2, true);
  const firstNumber = argmax(cols, 2, true);
  const firstInside = argmax(ge(index, 0), 2, true);
  const best = gather(cols, 2, firstNumber);
  const numeric = where(eq(best, Number.NEGATIVE_INFINITY), firstInside, firstNumber);
  // Any NaN in the window: a sum, not a max (max along one axis gathers at checked indices).
  return { position: where(sum(isNan, 2, true), lastNan, numeric), planeIndex: index };
}
