/** Identity-preserving initializers: `eye_` for matrices and `dirac_` for convolution kernels. */
import { noGrad } from '../autograd/tape.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireFloatTensor, writeValues } from './fill.js';

/**
 * Fills the 2-D `t` in place with the identity matrix (ones on the diagonal, zeros elsewhere, also for
 * non-square shapes), so that a Linear layer initially passes its inputs through. Returns `t`.
 *
 * @example
 * eye_(zeros([3, 5]));
 */
export function eye_(t: Tensor): Tensor {
  requireFloatTensor('eye_', t);
  if (t.ndim !== 2)
    throw new RangeError(`eye_: only 2-D tensors are supported, got shape ${formatShape(t.shape)}`);
  const [n, m] = t.shape as [number, number];
  const values = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return noGrad(() => writeValues(t, values));
}

/**
 * Fills the 3-, 4- or 5-D convolution weight `t` [outC, inC, …kernel] in place with the Dirac delta:
 * within each of `groups` groups, output channel d copies input channel d through the kernel's center
 * element (index ⌊k/2⌋ in each spatial dimension), so a stride-1 "same"-padded convolution is the
 * identity on the first channels. Default groups 1; outC must be divisible by groups. Returns `t`.
 *
 * @example
 * dirac_(conv.weight); // [16, 16, 3, 3]: conv2d(x, w, { padding: 1 }) equals x
 */
export function dirac_(t: Tensor, groups = 1): Tensor {
  requireFloatTensor('dirac_', t);
  if (t.ndim < 3 || t.ndim > 5) {
    throw new RangeError(
      `dirac_: only 3-, 4- and 5-D tensors are supported, got shape ${formatShape(t.shape)}`,
    );
  }
  const outC = t.shape[0]!;
  if (!Number.isInteger(groups) || groups < 1 || outC % groups !== 0) {
    throw new RangeError(`dirac_: ${outC} output channels are not divisible by groups = ${groups}`);
  }
  const inC = t.shape[1]!;
  const spatial = t.shape.slice(2);
  const kernelSize = spatial.reduce((p, d) => p * d, 1);
  let center = 0;
  for (const d of spatial) center = center * d + Math.floor(d / 2);
  const outPerGroup = outC / groups;
  const values = new Float64Array(t.size);
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < Math.min(outPerGroup, inC); d++) {
      values[((g * outPerGroup + d) * inC + d) * kernelSize + center] = 1;
    }
  }
  return writeValues(t, values);
}
