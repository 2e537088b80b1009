/**
 * Shape and layout ops. reshape (of contiguous data), permute, expand and slice are views: they share
 * the input's storage and only change shape, strides and offset. The rest copy.
 */
import { record } from '../autograd/tape.js';
import type { View } from '../backend/backend.js';
import { hostCheck } from '../capture/host_effects.js';
import { checkDType, type DType, requireInt32Values } from '../tensor/dtype.js';
import { contiguousStrides, formatShape, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { asTensor, broadcastView, empty, emptyLike, requireSameBackend, requireSameDType } from './util.js';

function viewOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(x.storage, shape, strides, offset);
}

/** Resolves one −1 entry of a requested shape against `size` elements. */
function inferShape(op: string, shape: readonly number[], size: number, from: readonly number[]): number[] {
  const out = shape.slice();
  const unknown = out.indexOf(-1);
  if (out.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== unknown))) {
    throw new RangeError(
      `${op}: shape ${formatShape(shape)} is invalid; use non-negative integers and at most one -1`,
    );
  }
  if (unknown >= 0) {
    const known = sizeOf(out.filter((d) => d !== -1));
    if (known === 0 || size % known !== 0) {
      throw new RangeError(
        `${op}: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`,
      );
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new RangeError(
      `${op}: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`,
    );
  }
  return out;
}

/** A copy with contiguous row-major layout; returns x itself when it already is contiguous. */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  return clone(x);
}

/** A contiguous copy with its own memory; gradients flow through it unchanged. */
export function clone(x: Tensor): Tensor {
  const out = emptyLike(x);
  x.backend.copy(x.strided(), out.strided());
  return record('contiguous', [x], out, {});
}

/** The same elements in a new shape (one entry may be −1); a view when x is contiguous, else a copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape('reshape', shape, x.size, x.shape);
  if (shapesEqual(target, x.shape)) return x;
  const c = contiguous(x);
  return record('reshape', [c], viewOf(c, target, contiguousStrides(target), c.offset), { shape: target });
}

/** Like reshape but never copies; throws when x is not contiguous. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  if (!x.isContiguous()) {
    throw new Error(
      `view: a tensor of shape ${formatShape(x.shape)} with strides ${formatShape(x.strides)} is not contiguous, so it cannot be viewed as ${formatShape(shape)}; use reshape() (which copies) instead`,
    );
  }
  return reshape(x, shape);
}

/** Reorders dimensions: result dimension i is x's dimension dims[i]. A view. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const n = x.ndim;
  const norm = dims.map((d) => normalizeAxis('permute', d, n, 'dims'));
  if (norm.length !== n || new Set(norm).size !== n) {
    throw new RangeError(
      `permute: dims ${JSON.stringify(dims)} must be a permutation of the ${n} dimensions of shape ${formatShape(x.shape)}`,
    );
  }
  if (norm.every((d, i) => d === i)) return x;
  const out = viewOf(
    x,
    norm.map((d) => x.shape[d]!),
    norm.map((d) => x.strides[d]!),
    x.offset,
  );
  return record('permute', [x], out, { dims: norm });
}

/** Swaps two dimensions. A view. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeAxis('transpose', dim0, x.ndim, 'dim0');
  const b = normalizeAxis('transpose', dim1, x.ndim, 'dim1');
  const dims = Array.from({ length: x.ndim }, (_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, dims);
}

/**
 * Broadcasts to a larger shape without copying (stride 0): new leading dimensions may be added and
 * size-1 dimensions repeated; −1 keeps a dimension as it is.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const n = shape.length;
  if (n < x.ndim) {
    throw new RangeError(
      `expand: the target shape ${formatShape(shape)} has fewer dimensions than the tensor's ${formatShape(x.shape)}`,
    );
  }
  const target = shape.map((d, i) => {
    const j = i - (n - x.ndim);
    const own = j >= 0 ? x.shape[j]! : undefined;
    const size = d === -1 && own !== undefined ? own : d;
    if (!Number.isInteger(size) || size < 0 || (own !== undefined && own !== 1 && own !== size)) {
      throw new RangeError(
        `expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)} (dimension ${i}: ${own ?? 'new'} → ${d}); only size-1 dimensions can grow`,
      );
    }
    return size;
  });
  if (shapesEqual(target, x.shape)) return x;
  const v = broadcastView(x, target);
  return record('expand', [x], viewOf(x, target, v.strides, x.offset), { shape: target });
}

/** Removes size-1 dimensions: all of them, or only `axis` (left alone if its size is not 1, as in PyTorch). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis('squeeze', axis, x.ndim);
  if (x.shape[a] !== 1) return x;
  return reshape(
    x,
    x.shape.filter((_, i) => i !== a),
  );
}

/** Inserts a size-1 dimension at `axis` (−1 appends). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Merges dimensions startAxis..endAxis (inclusive) into one. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startAxis, x.ndim, 'startAxis');
  const e = normalizeAxis('flatten', endAxis, x.ndim, 'endAxis');
  if (s > e)
    throw new RangeError(`flatten: startAxis (${startAxis}) must not come after endAxis (${endAxis})`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/**
 * Converts the element type; float↔float conversions are differentiable, to int32 truncates toward
 * zero. Divergence from PyTorch: to int32, NaN, ±Infinity and values outside int32's range are
 * refused with a RangeError naming the element (PyTorch leaves them undefined: on x86 they become
 * −2147483648, silently), at the cost of reading the values once.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkDType('cast', dtype);
  if (dtype === x.dtype) return x;
  // A host check: a captured step checks the values it converts again at every replay.
  if (dtype === 'int32')
    hostCheck({ reads: [x], check: ([values]) => requireInt32Values('cast', values!, x.shape) });
  const out = empty(x.shape, dtype, x.backend);
  x.backend.copy(x.strided(), out.strided());
  if (dtype === 'int32') return out;
  return record('cast', [x], out, { dtype });
}

/** @internal the primitive view behind slicing: per axis begin, end (exclusive) and step > 0, already validated. */
export function sliceView(
  x: Tensor,
  begin: readonly number[],
  end: readonly number[],
  step: readonly number[],
): Tensor {
  let offset = x.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    const len = Math.max(0, Math.ceil((end[i]! - begin[i]!) / step[i]!));
    shape.push(len);
    strides.push(x.strides[i]! * step[i]!);
    if (len > 0) offset += begin[i]! * x.strides[i]!;
  }
  return record('slice', [x], viewOf(x, shape, strides, offset), {
    begin: begin.slice(),
    end: end.slice(),
    step: step.slice(),
  });
}

/**
 * Elements start, start+step, … (< end) along one axis, Python-style: negative start/end count from
 * the end and are clamped to the axis. A view.
 */
export function slice(x: Tensor, axis: number, start = 0, end?: number, step = 1): Tensor {
  const a = normalizeAxis('slice', axis, x.ndim);
  if (!Number.isInteger(step) || step <= 0) {
    throw new RangeError(
      `slice: step must be a positive integer, got ${step} (negative steps are not supported, as in PyTorch)`,
    );
  }
  if (!Number.isInteger(start)) throw new RangeError(`slice: start must be an integer, got ${start}`);
  if (end !== undefined && !Number.isInteger(end))
    throw new RangeError(`slice: end must be an integer, got ${end}`);
  const n = x.shape[a]!;
  const clampIndex = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const b = clampIndex(start);
  const e = Math.max(b, clampIndex(end ?? n));
  const begin = x.shape.map(() => 0);
  const stop = x.shape.slice();
  const steps = x.shape.map(() => 1);
  begin[a] = b;
  stop[a] = e;
  steps[a] = step;
  return sliceView(x, begin, stop, steps);
}

/** @internal x written at begin (with step) into a new tensor of `shape` filled with `value`. */
export function embed(
  x: Tensor,
  shape: readonly number[],
  begin: readonly number[],
  step: readonly number[],
  value: number,
): Tensor {
  const out = empty(shape, x.dtype, x.backend);
  x.backend.fill(out.storage.buffer, value);
  const strides = out.strides.map((s, i) => s * step[i]!);
  const offset = begin.reduce((acc, b, i) => acc + b * out.strides[i]!, 0);
  if (x.size > 0)
    x.backend.copy(x.strided(), { buffer: out.storage.buffer, shape: x.shape, strides, offset });
  return record('embed', [x], out, { shape: shape.slice(), begin: begin.slice(), step: step.slice(), value });
}

/**
 * Constant padding, PyTorch's F.pad: `pads` lists (before, after) pairs starting from the last
 * dimension, e.g. [left, right, top, bottom] for the last two.
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (
    !Array.isArray(pads) ||
    pads.length % 2 !== 0 ||
    pads.length / 2 > x.ndim ||
    !pads.every((p) => Number.isInteger(p) && p >= 0)
  ) {
    throw new RangeError(
      `pad: pads must be an even-length list of non-negative integers, at most 2 per dimension (${2 * x.ndim} here), got ${JSON.stringify(pads)}`,
    );
  }
  const begin = x.shape.map(() => 0);
  const shape = x.shape.slice();
  for (let k = 0; k < pads.length / 2; k++) {
    const axis = x.ndim - 1 - k;
    begin[axis] = pads[2 * k]!;
    shape[axis] = x.shape[axis]! + pads[2 * k]! + pads[2 * k + 1]!;
  }
  return embed(
    x,
    shape,
    begin,
    x.shape.map(() => 1),
    value,
  );
}

/** Joins tensors along an existing axis; all other dimensions must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0 || !tensors.every((t) => t instanceof Tensor)) {
    throw new TypeError('concat: expected a non-empty array of tensors');
  }
  const first = tensors[0]!;
  if (first.ndim === 0) {
    throw new RangeError(
      'concat: 0-d tensors cannot be concatenated; use stack() to join them along a new axis',
    );
  }
  const a = normalizeAxis('concat', axis, first.ndim);
  for (const [i, t] of tensors.entries()) {
    requireSameBackend('concat', first, t);
    requireSameDType('concat', first, t);
    if (t.ndim !== first.ndim || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new RangeError(
        `concat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} outside axis ${a}`,
      );
    }
  }
  const shape = first.shape.slice();
  shape[a] = tensors.reduce((acc, t) => acc + t.shape[a]!, 0);
  const out = empty(shape, first.dtype, first.backend);
  let offset = 0;
  for (const t of tensors) {
    if (t.size > 0) {
      const dst: View = {
        buffer: out.storage.buffer,
        shape: t.shape,
        strides: out.strides,
        offset: offset * out.strides[a]!,
      };
      t.backend.copy(t.strided(), dst);
    }
    offset += t.shape[a]!;
  }
  return record('concat', tensors, out, { axis: a });
}

/** Joins equally shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError('stack: expected a non-empty array of tensors');
  const first = tensors[0]!;
  for (const [i, t] of tensors.entries()) {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new RangeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)} like tensor 0`,
      );
    }
  }
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

/**
 * Splits along `axis` into chunks of `splitSizeOrSections` elements (the last may be smaller), or
 * into pieces of the listed sizes, as torch.split. Views.
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  if (x.ndim === 0) throw new RangeError('split: a 0-d tensor has no axis to split');
  const a = normalizeAxis('split', axis, x.ndim);
  const n = x.shape[a]!;
  let sizes: number[];
  if (typeof splitSizeOrSections === 'number') {
    if (!Number.isInteger(splitSizeOrSections) || splitSizeOrSections <= 0) {
      throw new RangeError(
        `split: splitSizeOrSections must be a positive integer or a list of sizes, got ${splitSizeOrSections}`,
      );
    }
    sizes = [];
    for (let s = 0; s < n; s += splitSizeOrSections) sizes.push(Math.min(splitSizeOrSections, n - s));
  } else {
    sizes = [...splitSizeOrSections];
    if (!sizes.every((s) => Number.isInteger(s) && s >= 0) || sizes.reduce((p, q) => p + q, 0) !== n) {
      throw new RangeError(
        `split: sizes ${JSON.stringify(splitSizeOrSections)} must be non-negative integers summing to ${n}, the size of axis ${a}`,
      );
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const piece = slice(x, a, start, start + s);
    start += s;
    return piece;
  });
}

/** @internal writes src (broadcast to dst's shape) into dst's memory, outside autograd. */
export function assignInto(dst: Tensor, src: TensorLike): void {
  const s = asTensor('assign', src, dst);
  requireSameBackend('assign', dst, s);
  const target = dst.strided();
  if (s.ndim > dst.ndim || s.shape.some((d, i) => d !== 1 && d !== dst.shape[dst.ndim - s.ndim + i])) {
    throw new RangeError(
      `assign: a tensor of shape ${formatShape(s.shape)} cannot be written into one of shape ${formatShape(dst.shape)}`,
    );
  }
  let source = s;
  const overlapping =
    s.storage === dst.storage && (s.offset !== dst.offset || !shapesEqual(s.strides, dst.strides));
  if (overlapping) {
    source = emptyLike(s);
    s.backend.copy(s.strided(), source.strided());
  }
  if (dst.size > 0) dst.backend.copy(broadcastView(source, dst.shape), target);
}
