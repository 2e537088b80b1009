/** Matrix products with torch.matmul's rules for 1-D operands and broadcast batch dimensions. */
import { record } from '../autograd/tape.js';
import type { MatmulSpec } from '../backend/backend.js';
import { broadcastShapes, formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { contiguous, reshape, squeeze, unsqueeze } from './shape_ops.js';
import { empty, requireFloat, requireSameBackend, requireSameDType } from './util.js';

/** How the last two dimensions of t lie in memory: row-major, transposed, or neither. */
export function matrixLayout(t: Tensor): 'normal' | 'transposed' | null {
  const rows = t.shape[t.ndim - 2]!;
  const cols = t.shape[t.ndim - 1]!;
  const sr = t.strides[t.ndim - 2]!;
  const sc = t.strides[t.ndim - 1]!;
  if ((cols <= 1 || sc === 1) && (rows <= 1 || sr === cols)) return 'normal';
  if ((rows <= 1 || sr === 1) && (cols <= 1 || sc === rows)) return 'transposed';
  return null;
}

function batchStrides(t: Tensor, batchShape: readonly number[]): number[] {
  const nb = t.ndim - 2;
  return batchShape.map((d, i) => {
    const j = i - (batchShape.length - nb);
    if (j < 0) return 0;
    return t.shape[j] === 1 && d !== 1 ? 0 : t.strides[j]!;
  });
}

/** @internal the matmul primitive on operands with at least two dimensions. */
export function matmulNd(
  a: Tensor,
  b: Tensor,
  shown: readonly [readonly number[], readonly number[]] = [a.shape, b.shape],
): Tensor {
  const m = a.shape[a.ndim - 2]!;
  const k = a.shape[a.ndim - 1]!;
  const n = b.shape[b.ndim - 1]!;
  if (b.shape[b.ndim - 2] !== k) {
    throw new RangeError(
      `matmul: shapes ${formatShape(shown[0])} and ${formatShape(shown[1])} are not aligned: the inner dimensions differ (${k} vs ${b.shape[b.ndim - 2]})`,
    );
  }
  let batchShape: number[];
  try {
    batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new RangeError(
      `matmul: shapes ${formatShape(shown[0])} and ${formatShape(shown[1])} have batch dimensions ${formatShape(a.shape.slice(0, -2))} and ${formatShape(b.shape.slice(0, -2))}, which cannot be broadcast together`,
    );
  }
  const la = matrixLayout(a) ?? 'normal';
  const lb = matrixLayout(b) ?? 'normal';
  const ca = matrixLayout(a) === null ? contiguous(a) : a;
  const cb = matrixLayout(b) === null ? contiguous(b) : b;
  const spec: MatmulSpec = {
    m,
    n,
    k,
    transA: la === 'transposed',
    transB: lb === 'transposed',
    batchShape,
    aBatchStrides: batchStrides(ca, batchShape),
    bBatchStrides: batchStrides(cb, batchShape),
  };
  const out = empty([...batchShape, m, n], a.dtype, a.backend);
  a.backend.matmul(ca.strided(), cb.strided(), spec, out.storage.buffer);
  return record('matmul', [ca, cb], out, {});
}

/**
 * Matrix product, as torch.matmul: 1-D·1-D is a dot product, a 1-D operand is treated as a row
 * (left) or column (right) vector and that dimension is removed from the result, and leading batch
 * dimensions broadcast. Transposed views are multiplied in place, without a copy.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  requireSameBackend('matmul', a, b);
  requireSameDType('matmul', a, b);
  requireFloat('matmul', a);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both operands need at least one dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, -1) : b;
  let out = matmulNd(a2, b2, [a.shape, b.shape]);
  if (b.ndim === 1) out = squeeze(out, -1);
  if (a.ndim === 1) out = out.ndim === 1 ? reshape(out, []) : squeeze(out, -2);
  return out;
}
