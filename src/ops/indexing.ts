/** Gathering and scattering along an axis (torch.gather, torch.index_select, scatter_add). */
import { record } from '../autograd/tape.js';
import { hostCheck } from '../capture/host_effects.js';
import { formatShape, normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous, expand, reshape, sliceView } from './shape_ops.js';
import { empty, requireSameBackend } from './util.js';

/** @internal Checks that every value of an int32 index tensor lies in [0, limit), naming op and axis. */
export function checkIndexValues(op: string, index: Tensor, limit: number, axis: number): void {
  if (index.dtype !== 'int32') {
    throw new TypeError(`${op}: index must be an int32 tensor, got ${index.dtype}; convert it with .int()`);
  }
  // A host check: a captured step reads and checks its indices again at every replay.
  hostCheck({
    reads: [index],
    check: ([data]) => {
      for (let i = 0; i < data!.length; i++) {
        const v = data![i]!;
        if (v < 0 || v >= limit) {
          throw new RangeError(
            `${op}: index ${v} is out of range for axis ${axis} of size ${limit}; indices must lie in [0, ${limit - 1}]`,
          );
        }
      }
    },
  });
}

function blocks(shape: readonly number[], axis: number): [number, number] {
  return [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis + 1))];
}

/**
 * out[i][j][k] = x[i][index[i][j][k]][k] for axis 1 (and likewise for any axis), as torch.gather:
 * index has x's number of dimensions and is no larger than x outside `axis`; the output has its shape.
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  return gatherAt(x, axis, index, true);
}

/**
 * @internal gather at indices known to lie in range (made by the library, or checked when the forward
 * op ran): nothing is read back, so a captured step that gathers at a step's own indices stays
 * capturable.
 */
export function gatherInRange(x: Tensor, axis: number, index: Tensor): Tensor {
  return gatherAt(x, axis, index, false);
}

function gatherAt(x: Tensor, axis: number, index: Tensor, check: boolean): Tensor {
  if (!(index instanceof Tensor)) throw new TypeError('gather: index must be an int32 Tensor');
  requireSameBackend('gather', x, index);
  const a = normalizeAxis('gather', axis, x.ndim);
  if (index.ndim !== x.ndim || index.shape.some((d, k) => k !== a && d > x.shape[k]!)) {
    throw new RangeError(
      `gather: index of shape ${formatShape(index.shape)} must have the same number of dimensions as the input ${formatShape(x.shape)} and be no larger outside axis ${a}`,
    );
  }
  if (check) checkIndexValues('gather', index, x.shape[a]!, a);
  let source = x;
  if (index.shape.some((d, k) => k !== a && d !== x.shape[k])) {
    const end = index.shape.map((d, k) => (k === a ? x.shape[a]! : d));
    source = sliceView(
      x,
      x.shape.map(() => 0),
      end,
      x.shape.map(() => 1),
    );
  }
  source = contiguous(source);
  const idx = contiguous(index);
  const out = empty(index.shape, x.dtype, x.backend);
  const [outer, inner] = blocks(index.shape, a);
  if (out.size > 0) {
    x.backend.gather({
      x: source.strided(),
      index: idx.strided(),
      outer,
      xLength: source.shape[a]!,
      indexLength: index.shape[a]!,
      inner,
      out: out.storage.buffer,
    });
  }
  return record('gather', [source, idx], out, { axis: a });
}

/**
 * A tensor of `shape`, zero except that src[i][j][k] is added at [i][index[i][j][k]][k] (axis 1);
 * src and index share a shape equal to `shape` outside `axis`. The adjoint of gather.
 */
export function scatterAdd(src: Tensor, axis: number, index: Tensor, shape: readonly number[]): Tensor {
  return scatterAddAt(src, axis, index, shape, true);
}

/** @internal scatterAdd at indices known to lie in range (see gatherInRange). */
export function scatterAddInRange(
  src: Tensor,
  axis: number,
  index: Tensor,
  shape: readonly number[],
): Tensor {
  return scatterAddAt(src, axis, index, shape, false);
}

function scatterAddAt(
  src: Tensor,
  axis: number,
  index: Tensor,
  shape: readonly number[],
  check: boolean,
): Tensor {
  requireSameBackend('scatterAdd', src, index);
  const a = normalizeAxis('scatterAdd', axis, src.ndim);
  if (
    index.ndim !== src.ndim ||
    shape.length !== src.ndim ||
    index.shape.some((d, k) => d !== src.shape[k]) ||
    shape.some((d, k) => k !== a && d !== src.shape[k])
  ) {
    throw new RangeError(
      `scatterAdd: src ${formatShape(src.shape)} and index ${formatShape(index.shape)} must have equal shapes, matching the output ${formatShape(shape)} outside axis ${a}`,
    );
  }
  if (check) checkIndexValues('scatterAdd', index, shape[a]!, a);
  const s = contiguous(src);
  const idx = contiguous(index);
  const out = empty(shape, src.dtype, src.backend);
  src.backend.fill(out.storage.buffer, 0);
  const [outer, inner] = blocks(shape, a);
  if (s.size > 0) {
    src.backend.scatterAdd({
      src: s.strided(),
      index: idx.strided(),
      outer,
      outLength: shape[a]!,
      indexLength: src.shape[a]!,
      inner,
      out: out.storage.buffer,
    });
  }
  return record('scatterAdd', [s, idx], out, { axis: a, shape: shape.slice() });
}

/** The entries at the given positions along `axis` (torch.index_select); index is 1-D. */
export function indexSelect(x: Tensor, axis: number, index: Tensor | readonly number[]): Tensor {
  const a = normalizeAxis('indexSelect', axis, x.ndim);
  let idx: Tensor;
  if (index instanceof Tensor) idx = index;
  else if (Array.isArray(index) && index.every((v) => Number.isInteger(v))) {
    const n = x.shape[a]!;
    const bad = index.find((v) => v < -n || v >= n);
    if (bad !== undefined) {
      throw new RangeError(
        `indexSelect: index ${bad} is out of range for axis ${a} of size ${n}; accepted: [${-n}, ${n - 1}]`,
      );
    }
    idx = empty([index.length], 'int32', x.backend);
    x.backend.write(idx.storage.buffer, Int32Array.from(index.map((v) => (v < 0 ? v + x.shape[a]! : v))));
  } else {
    throw new TypeError('indexSelect: index must be a 1-D int32 tensor or an array of integers');
  }
  if (idx.ndim !== 1)
    throw new RangeError(`indexSelect: index must be 1-D, got shape ${formatShape(idx.shape)}`);
  const shape = x.shape.map((d, k) => (k === a ? idx.shape[0]! : d));
  const lifted = reshape(
    idx,
    x.shape.map((_, k) => (k === a ? idx.shape[0]! : 1)),
  );
  return gather(x, a, contiguous(expand(lifted, shape)));
}
