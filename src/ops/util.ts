/** Helpers shared by the ops: output allocation, scalar promotion and argument checks. */
import type { View } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { type DType, toInt32 } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Storage } from '../tensor/storage.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';

/** A new contiguous tensor with uninitialized contents. */
export function empty(shape: readonly number[], dtype: DType = 'float32', backend = getBackend()): Tensor {
  if (!backend.supports(dtype)) {
    throw new TypeError(`the ${backend.name} backend does not support dtype ${dtype}`);
  }
  return new Tensor(new Storage(backend, backend.allocate(dtype, sizeOf(shape), shape)), shape);
}

export function emptyLike(t: Tensor, dtype: DType = t.dtype): Tensor {
  return empty(t.shape, dtype, t.backend);
}

/**
 * A number becomes a 0-d tensor of `like`'s dtype and backend. An int32 `like` takes only a scalar
 * int32 holds exactly: a fill would wrap 3e9, store NaN as 0 and truncate 0.5, where PyTorch promotes
 * the result to float; descent refuses instead and says to cast (README, "Differences from PyTorch").
 */
function scalarLike(op: string, value: number, like: Tensor): Tensor {
  if (like.dtype === 'int32') requireInt32Scalar(op, value);
  const t = empty([], like.dtype, like.backend);
  t.backend.fill(t.storage.buffer, value);
  return t;
}

function requireInt32Scalar(op: string, value: number): void {
  const cast = 'cast the tensor with .float() first';
  if (Number.isFinite(value) && !Number.isInteger(value)) {
    throw new RangeError(
      `${op}: the scalar ${value} is not an integer, so an int32 tensor cannot hold it; ${cast}`,
    );
  }
  try {
    toInt32(op, 'the scalar', value);
  } catch (error) {
    throw error instanceof RangeError ? new RangeError(`${error.message}, or ${cast}`) : error;
  }
}

export function asTensor(op: string, x: TensorLike, like?: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    if (like) return scalarLike(op, x, like);
    const t = empty([], 'float32');
    t.backend.fill(t.storage.buffer, x);
    return t;
  }
  throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : `${typeof x} ${String(x)}`;
}

export function requireFloat(op: string, x: Tensor, argName = 'input'): void {
  if (x.dtype === 'int32') {
    throw new TypeError(
      `${op}: ${argName} must be a floating-point tensor, got int32; convert it with .float()`,
    );
  }
}

export function requireSameBackend(op: string, a: Tensor, b: Tensor): void {
  if (a.backend !== b.backend) {
    throw new Error(`${op}: tensors live on different backends (${a.backend.name} and ${b.backend.name})`);
  }
}

export function requireSameDType(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: dtypes differ (${a.dtype} and ${b.dtype}); convert one with .float(), .double() or .int()`,
    );
  }
}

/** The strided view of `t` broadcast to `shape` (stride 0 along broadcast dimensions). */
export function broadcastView(t: Tensor, shape: readonly number[]): View {
  const v = t.strided();
  const n = shape.length;
  const strides = new Array<number>(n).fill(0);
  for (let i = 0; i < t.ndim; i++) {
    const j = n - t.ndim + i;
    strides[j] = t.shape[i] === 1 && shape[j] !== 1 ? 0 : t.strides[i]!;
  }
  return { buffer: v.buffer, shape, strides, offset: v.offset };
}

export function requireShape(op: string, t: Tensor, ndim: number, what: string): void {
  if (t.ndim !== ndim) {
    throw new RangeError(`${op}: ${what} must be ${ndim}-D, got shape ${formatShape(t.shape)}`);
  }
}
