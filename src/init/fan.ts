/** Fan-in and fan-out of a weight tensor, computed as PyTorch does. */
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * `[fanIn, fanOut]` of a weight: fanIn = size(1)·r and fanOut = size(0)·r, where r (the receptive
 * field) is the product of the dimensions after the first two (1 for a matrix). For a Linear weight
 * [out, in] that is [in, out]; for a Conv2d weight [outC, inC/groups, kH, kW] it is
 * [inC/groups·kH·kW, outC·kH·kW] (as PyTorch: the groups divide fanIn only, not fanOut).
 *
 * Throws for tensors with fewer than two dimensions.
 *
 * @example
 * calculateFanInAndFanOut(zeros([64, 3, 5, 5])); // [75, 1600]
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  return fans('calculateFanInAndFanOut', t);
}

/** `calculateFanInAndFanOut` with the calling initializer's name in the error. */
export function fans(op: string, t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new RangeError(
      `${op}: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(t.shape)})`,
    );
  }
  let receptiveField = 1;
  for (let i = 2; i < t.ndim; i++) receptiveField *= t.shape[i]!;
  return [t.shape[1]! * receptiveField, t.shape[0]! * receptiveField];
}

/** Which fan a variance-scaling initializer divides by (PyTorch's `mode`: 'fan_in' / 'fan_out'). */
export type FanMode = 'fanIn' | 'fanOut';

/** The fan selected by `mode`, with an error naming the initializer for a bad mode. */
export function selectFan(op: string, t: Tensor, mode: FanMode): number {
  if (mode !== 'fanIn' && mode !== 'fanOut') {
    throw new RangeError(`${op}: mode ${JSON.stringify(mode)} is not supported; use 'fanIn' or 'fanOut'`);
  }
  const [fanIn, fanOut] = fans(op, t);
  return mode === 'fanIn' ? fanIn : fanOut;
}
