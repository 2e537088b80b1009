/**
 * NumPy-style indexing, `x.index(0, '1:3', null, '...', [2, 0])`:
 * - a number selects one position and drops the axis (negative counts from the end);
 * - a string 'start:stop:step' slices (any part may be empty: ':', '::2', '-3:'), as a view;
 * - '...' stands for as many full slices as needed; null inserts a new axis of size 1;
 * - an array of integers or an int32 tensor picks those positions along the axis (a copy, one per call).
 */
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { indexSelect } from './indexing.js';
import { reshape, sliceView } from './shape_ops.js';

export type IndexSpec = number | string | null | readonly number[] | Tensor;

interface Parsed {
  begin: number[];
  end: number[];
  step: number[];
  /** Result shape of the basic-indexing view, after dropping and inserting axes. */
  shape: number[];
  /** The advanced index and the axis of the result it applies to. */
  advanced: { axis: number; index: Tensor | readonly number[] } | null;
}

function parseSlice(spec: string, n: number, axis: number): [number, number, number] {
  const parts = spec.split(':').map((p) => p.trim());
  const bad = (): never => {
    throw new RangeError(
      `index: ${JSON.stringify(spec)} for axis ${axis} is not a slice; accepted: 'start:stop', 'start:stop:step', ':', '...' (integers, any part may be empty)`,
    );
  };
  if (parts.length < 2 || parts.length > 3) bad();
  const nums = parts.map((p) => (p === '' ? undefined : /^-?\d+$/.test(p) ? Number(p) : bad()));
  const step = nums[2] ?? 1;
  if (step <= 0) {
    throw new RangeError(
      `index: slice ${JSON.stringify(spec)} has step ${step}; only positive steps are supported, as in PyTorch`,
    );
  }
  const clampIndex = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const b = nums[0] === undefined ? 0 : clampIndex(nums[0]);
  const e = nums[1] === undefined ? n : clampIndex(nums[1]);
  return [b, Math.max(b, e), step];
}

function parse(x: Tensor, specs: readonly IndexSpec[]): Parsed {
  const ellipses = specs.filter((s) => s === '...').length;
  if (ellipses > 1) throw new RangeError("index: at most one '...' is allowed");
  const consuming = specs.filter((s) => s !== null && s !== '...').length;
  if (consuming > x.ndim) {
    throw new RangeError(
      `index: ${consuming} indices given for a tensor of shape ${formatShape(x.shape)} (${x.ndim} dimensions)`,
    );
  }
  const full: IndexSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let i = 0; i < x.ndim - consuming; i++) full.push(':');
    else full.push(s);
  }
  while (full.filter((s) => s !== null).length < x.ndim) full.push(':');

  const begin = x.shape.map(() => 0);
  const end = x.shape.slice();
  const step = x.shape.map(() => 1);
  const shape: number[] = [];
  let advanced: Parsed['advanced'] = null;
  let axis = 0;
  for (const s of full) {
    if (s === null) {
      shape.push(1);
      continue;
    }
    const n = x.shape[axis]!;
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -n || s >= n) {
        throw new RangeError(`index: index ${s} is out of range for axis ${axis} of size ${n}`);
      }
      begin[axis] = s < 0 ? s + n : s;
      end[axis] = begin[axis]! + 1;
    } else if (typeof s === 'string') {
      [begin[axis], end[axis], step[axis]] = parseSlice(s, n, axis);
      shape.push(Math.ceil((end[axis]! - begin[axis]!) / step[axis]!));
    } else if (Array.isArray(s) || s instanceof Tensor) {
      if (advanced)
        throw new RangeError(
          'index: only one list or tensor index is supported per call; index again for more',
        );
      advanced = { axis: shape.length, index: s as Tensor | readonly number[] };
      shape.push(n);
    } else {
      throw new TypeError(
        `index: unsupported index ${JSON.stringify(s)} for axis ${axis}; accepted: integers, 'start:stop:step' strings, '...', null, integer arrays, int32 tensors`,
      );
    }
    axis++;
  }
  return { begin, end, step, shape, advanced };
}

export function index(x: Tensor, specs: readonly IndexSpec[]): Tensor {
  const p = parse(x, specs);
  let out = reshape(sliceView(x, p.begin, p.end, p.step), p.shape);
  if (p.advanced) out = indexSelect(out, p.advanced.axis, p.advanced.index);
  return out;
}
