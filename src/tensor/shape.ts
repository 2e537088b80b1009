/** Shapes, strides and NumPy broadcasting, shared by the tensor, the ops and the backends. */

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Validates a user-supplied shape: non-negative integers only. */
export function checkShape(op: string, shape: unknown, argName = 'shape'): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(
      `${op}: ${argName} must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  return shape.slice();
}

/** NumPy broadcasting of two shapes; the error names the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  const offA = n - a.length;
  const offB = n - b.length;
  for (let i = 0; i < n; i++) {
    // Index only inside the arrays: reading past either end is slow in V8.
    const da = i >= offA ? a[i - offA]! : 1;
    const db = i >= offB ? b[i - offB]! : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i} of the result: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalizes a possibly negative axis; the error names the op, the axis and the valid range. */
export function normalizeAxis(op: string, axis: number, ndim: number, argName = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -Math.max(ndim, 1) || axis >= Math.max(ndim, 1)) {
    const range = ndim === 0 ? '[-1, 0] for a 0-d tensor' : `[${-ndim}, ${ndim - 1}]`;
    throw new RangeError(
      `${op}: ${argName} ${axis} is out of range for a ${ndim}-d tensor; accepted: ${range}`,
    );
  }
  return axis < 0 ? axis + Math.max(ndim, 1) : axis;
}

/** Normalizes an axis argument that may be undefined (all axes), one axis or a list; sorted, unique. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined | null,
  ndim: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  // As in PyTorch, axis 0 or -1 of a 0-d tensor names no dimension: the reduction is the identity.
  if (ndim === 0) return [];
  if (new Set(out).size !== out.length) {
    throw new RangeError(`${op}: axis ${JSON.stringify(axis)} names the same dimension twice`);
  }
  return out.sort((x, y) => x - y);
}
