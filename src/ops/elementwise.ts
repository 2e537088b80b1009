/**
 * Elementwise arithmetic with NumPy broadcasting. A number operand takes the other operand's dtype,
 * as a Python scalar does in PyTorch.
 */
import { record } from '../autograd/tape.js';
import type { BinaryOp, UnaryCall } from '../backend/backend.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import {
  asTensor,
  broadcastView,
  empty,
  emptyLike,
  requireFloat,
  requireSameBackend,
  requireSameDType,
} from './util.js';

function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, asTensor(op, b, a)];
  if (b instanceof Tensor) return [asTensor(op, a, b), b];
  return [asTensor(op, a), asTensor(op, b)];
}

function binaryKernel(
  op: BinaryOp,
  a: TensorLike,
  b: TensorLike,
  floatOnly: boolean,
): [Tensor, Tensor, Tensor] {
  const [x, y] = operands(op, a, b);
  requireSameBackend(op, x, y);
  requireSameDType(op, x, y);
  if (floatOnly) requireFloat(op, x);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = empty(shape, x.dtype, x.backend);
  x.backend.binary(op, broadcastView(x, shape), broadcastView(y, shape), out.storage.buffer);
  return [x, y, out];
}

type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

function arithmetic(op: ArithmeticOp, a: TensorLike, b: TensorLike, floatOnly = false): Tensor {
  const [x, y, out] = binaryKernel(op, a, b, floatOnly);
  return record(op, [x, y], out, {});
}

/** a + b, broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('add', a, b);
}
/** a − b, broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('sub', a, b);
}
/** a · b, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('mul', a, b);
}
/** a / b, broadcasting (true division; floating-point tensors only). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('div', a, b, true);
}
/** a^b, broadcasting. The gradient with respect to b uses log a and is 0 where a = 0 and b ≥ 0, as in PyTorch. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('pow', a, b, true);
}
/** Elementwise maximum; NaN propagates; on ties the gradient is split equally, as in PyTorch. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('maximum', a, b);
}
/** Elementwise minimum; NaN propagates; on ties the gradient is split equally, as in PyTorch. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('minimum', a, b);
}

type Comparison = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';

function compare(op: Comparison, a: TensorLike, b: TensorLike): Tensor {
  return binaryKernel(op, a, b, false)[2];
}

/** 1 where a > b, else 0, in the operands' dtype (PyTorch returns bool; descent has no bool dtype). Not differentiable. */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b);
}
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b);
}
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b);
}
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b);
}
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b);
}
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare('ne', a, b);
}

/** @internal runs a one-input kernel and records the primitive of the same name. */
export function unary(call: UnaryCall, x: TensorLike, floatOnly = true): Tensor {
  const t = asTensor(call.op, x);
  if (floatOnly) requireFloat(call.op, t);
  const out = emptyLike(t);
  t.backend.unary(call, t.strided(), out.storage.buffer);
  const { op, ...params } = call;
  return record(op, [t], out, params as never);
}

export function neg(x: TensorLike): Tensor {
  return unary({ op: 'neg' }, x, false);
}
export function abs(x: TensorLike): Tensor {
  return unary({ op: 'abs' }, x, false);
}
/** −1, 0 or 1 (NaN stays NaN); its gradient is zero everywhere. */
export function sign(x: TensorLike): Tensor {
  return unary({ op: 'sign' }, x, false);
}
export function exp(x: TensorLike): Tensor {
  return unary({ op: 'exp' }, x);
}
/** Natural logarithm. */
export function log(x: TensorLike): Tensor {
  return unary({ op: 'log' }, x);
}
export function sqrt(x: TensorLike): Tensor {
  return unary({ op: 'sqrt' }, x);
}
/** 1/√x. */
export function rsqrt(x: TensorLike): Tensor {
  return unary({ op: 'rsqrt' }, x);
}
export function square(x: TensorLike): Tensor {
  return unary({ op: 'square' }, x, false);
}
/** The error function. */
export function erf(x: TensorLike): Tensor {
  return unary({ op: 'erf' }, x);
}

/**
 * Clamps to [min, max]: min(max(x, min), max), min applied first; either bound may be omitted. The
 * gradient passes where min ≤ x ≤ max (bounds included), as in PyTorch. With min > max every
 * element becomes max (NaN stays NaN) and the gradient is 0 everywhere, PyTorch's rule. A NaN bound
 * makes every element NaN with a zero gradient, as in PyTorch.
 */
export function clamp(x: TensorLike, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? Number.NEGATIVE_INFINITY;
  const hi = max ?? Number.POSITIVE_INFINITY;
  if (min == null && max == null) throw new TypeError('clamp: give at least one of min and max');
  if (Number.isNaN(lo) || Number.isNaN(hi)) {
    // PyTorch: NaN everywhere, and a zero gradient (its mask min ≤ x ≤ max fails on NaN).
    const t = asTensor('clamp', x);
    requireFloat('clamp', t);
    return add(mul(t, 0), Number.NaN);
  }
  return unary({ op: 'clamp', min: lo, max: hi }, x);
}

/** Elementwise choice: cond ≠ 0 ? a : b, all three broadcast together. Differentiable in a and b. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor))
    throw new TypeError('where: cond must be a Tensor (of 0/1 or boolean-like values)');
  const [x, y] = operands('where', a, b);
  requireSameDType('where', x, y);
  requireSameBackend('where', x, y);
  requireSameBackend('where', cond, x);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  const out = empty(shape, x.dtype, x.backend);
  x.backend.where(
    broadcastView(cond, shape),
    broadcastView(x, shape),
    broadcastView(y, shape),
    out.storage.buffer,
  );
  return record('where', [cond, x, y], out, {});
}
