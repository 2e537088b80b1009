/**
 * Creating tensors: from data, constant fills, ranges and seeded random numbers.
 *
 * Divergence from PyTorch: dtype defaults to float32 even for integer data (PyTorch infers int64);
 * pass `{ dtype: 'int32' }` for labels and indices.
 */
import { getBackend } from '../backend/registry.js';
import { hostWrite } from '../capture/host_effects.js';
import { empty } from '../ops/util.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import {
  allocTyped,
  checkDType,
  type DType,
  dtypeOfArray,
  INT32_MAX,
  INT32_MIN,
  requireInt32Values,
  type TypedArray,
  toInt32,
} from './dtype.js';
import { type Generator, getDefaultGenerator } from './random.js';
import { checkShape, formatShape, sizeOf } from './shape.js';
import type { NestedArray, Tensor } from './tensor.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  /** Defaults to the generator seeded by manualSeed. */
  generator?: Generator;
}

const CREATE_KEYS: OptionKeys<CreateOptions> = { dtype: true, requiresGrad: true };
const RANDOM_KEYS: OptionKeys<RandomOptions> = { ...CREATE_KEYS, generator: true };

function shapeArg(op: string, shape: readonly number[] | number): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

/**
 * The data converted to `dtype`. To int32 it truncates toward zero and refuses, as PyTorch does,
 * NaN, ±Infinity and values outside int32's range, which a typed array would silently store as 0
 * or wrap around (3e9 would become −1294967296).
 */
function converted(op: string, data: TypedArray, shape: readonly number[], dtype: DType): TypedArray {
  if (dtypeOfArray(data) === dtype) return data;
  const out = allocTyped(dtype, data.length);
  if (dtype !== 'int32') {
    out.set(data);
    return out;
  }
  requireInt32Values(op, data, shape);
  for (let i = 0; i < data.length; i++) out[i] = Math.trunc(data[i]!);
  return out;
}

function fromTyped(op: string, data: TypedArray, shape: readonly number[], options: CreateOptions): Tensor {
  const dtype = checkDType(op, options.dtype ?? dtypeOfArray(data));
  const values = converted(op, data, shape, dtype);
  const t = empty(shape, dtype, getBackend());
  t.backend.write(t.storage.buffer, values);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

function flattenNested(data: NestedArray): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedArray;
    if (probe === undefined) break;
  }
  const values: number[] = [];
  const walk = (node: NestedArray, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean') {
        throw new TypeError(
          `tensor: element at [${path.join(', ')}] is ${Array.isArray(node) ? 'an array' : JSON.stringify(node)}, expected a number`,
        );
      }
      values.push(Number(node));
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new RangeError(
        `tensor: ragged nested array: the entry at [${path.join(', ')}] has ${Array.isArray(node) ? `length ${node.length}` : 'no elements'}, expected ${shape[depth]} like its siblings`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i]!, depth + 1, [...path, i]);
  };
  walk(data, 0, []);
  return { values, shape };
}

export interface TensorOptions extends CreateOptions {
  /** Shape for flat data (a typed array or a flat number array); defaults to its nesting. */
  shape?: readonly number[];
}

/**
 * A tensor from a number, nested arrays of numbers, or a typed array (whose type gives the default
 * dtype). The data is copied. For int32, values are truncated toward zero and NaN, ±Infinity and
 * values outside [−2³¹, 2³¹ − 1] are refused with a RangeError naming the element, as PyTorch
 * refuses them ("value cannot be converted to type int32 without overflow").
 */
export function tensor(data: NestedArray | TypedArray, options: TensorOptions = {}): Tensor {
  checkOptions('tensor', options, { ...CREATE_KEYS, shape: true });
  let typed: TypedArray;
  let shape: number[];
  let defaultDType: DType = 'float32';
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array)) {
      throw new TypeError('tensor: typed arrays must be Float32Array, Float64Array or Int32Array');
    }
    typed = data;
    shape = [data.length];
    defaultDType = dtypeOfArray(data);
  } else if (typeof data === 'number' || Array.isArray(data)) {
    const flat = flattenNested(data);
    // Exact until fromTyped converts (and, for int32, range-checks) to the requested dtype.
    typed = Float64Array.from(flat.values);
    shape = flat.shape;
  } else {
    throw new TypeError(
      `tensor: expected a number, a nested array of numbers or a typed array, got ${data === null ? 'null' : typeof data}`,
    );
  }
  if (options.shape !== undefined) {
    const target = checkShape('tensor', options.shape);
    if (sizeOf(target) !== typed.length) {
      throw new RangeError(
        `tensor: shape ${formatShape(target)} needs ${sizeOf(target)} elements but the data has ${typed.length}`,
      );
    }
    shape = target;
  }
  return fromTyped('tensor', typed, shape, { ...options, dtype: options.dtype ?? defaultDType });
}

/** A tensor of `shape` filled with `value` (for int32: truncated; NaN, ±Infinity and values outside int32 are refused). */
export function full(shape: readonly number[] | number, value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

function filled(
  op: string,
  shape: readonly number[] | number,
  value: number,
  options: CreateOptions,
): Tensor {
  checkOptions(op, options, CREATE_KEYS);
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${typeof value}`);
  const dtype = checkDType(op, options.dtype ?? 'float32');
  const stored = dtype === 'int32' ? toInt32(op, 'value', value) : value;
  const t = empty(shapeArg(op, shape), dtype, getBackend());
  t.backend.fill(t.storage.buffer, stored);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export function zeros(shape: readonly number[] | number, options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

export function ones(shape: readonly number[] | number, options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

/**
 * start, start + step, … below end (PyTorch's arange). arange(n) is 0 … n−1. With int32, values are
 * truncated and a range reaching beyond int32 is refused. Divergence from PyTorch: PyTorch wraps
 * such a range around silently.
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  checkOptions('arange', options, CREATE_KEYS);
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (![lo, hi, step].every(Number.isFinite) || step === 0) {
    throw new RangeError(
      `arange: start, end and step must be finite and step non-zero, got (${start}, ${end}, ${step})`,
    );
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  if (options.dtype === 'int32' && n > 0) {
    // The ends, before allocating: arange(0, 3e9) would otherwise first fill 3e9 values.
    toInt32('arange', 'start', lo);
    toInt32('arange', `element [${n - 1}] (the last)`, lo + (n - 1) * step);
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return fromTyped('arange', values, [n], { ...options, dtype: options.dtype ?? 'float32' });
}

/** `steps` evenly spaced values from start to end inclusive, computed as PyTorch does (symmetric halves). */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  checkOptions('linspace', options, CREATE_KEYS);
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const values = new Float64Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    values[i] = i < half || steps === 1 ? start + i * step : end - (steps - 1 - i) * step;
  return fromTyped('linspace', values, [steps], { ...options, dtype: options.dtype ?? 'float32' });
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  checkOptions('eye', options, CREATE_KEYS);
  checkShape('eye', [n, m], 'size');
  const values = allocTyped(options.dtype ?? 'float32', n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromTyped('eye', values, [n, m], options);
}

function randomFloats(
  op: string,
  shape: readonly number[] | number,
  options: RandomOptions,
  draw: (g: Generator) => number,
): Tensor {
  checkOptions(op, options, RANDOM_KEYS);
  const s = shapeArg(op, shape);
  const dtype = checkDType(op, options.dtype ?? 'float32');
  if (dtype === 'int32')
    throw new TypeError(`${op}: dtype must be float32 or float64; use randint for integers`);
  const n = sizeOf(s);
  return randomTensor(s, dtype, options.requiresGrad === true, () => {
    const g = options.generator ?? getDefaultGenerator();
    const values = allocTyped(dtype, n);
    for (let i = 0; i < n; i++) values[i] = draw(g);
    return values;
  });
}

/**
 * A tensor of `shape` holding `draw()`'s values, written through the host-effects seam: a captured
 * step draws again at every replay, from the generator current then (the default one is looked up at
 * each draw, so a later `manualSeed` is seen as in an eager step), and the stream advances exactly
 * as it would eagerly.
 */
function randomTensor(shape: number[], dtype: DType, requiresGrad: boolean, draw: () => TypedArray): Tensor {
  const t = empty(shape, dtype, getBackend());
  if (t.size > 0) hostWrite(t.backend, t.storage.buffer, draw);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[] | number, options: RandomOptions = {}): Tensor {
  return randomFloats('rand', shape, options, (g) => g.uniform24());
}

/** Standard normal samples N(0, 1). */
export function randn(shape: readonly number[] | number, options: RandomOptions = {}): Tensor {
  return randomFloats('randn', shape, options, (g) => g.normal());
}

/** Uniform integers in [low, high) as int32: low and high − 1 must fit in int32 (PyTorch's rule). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[] | number,
  options: Omit<RandomOptions, 'dtype' | 'requiresGrad'> = {},
): Tensor {
  checkOptions('randint', options, { generator: true });
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new RangeError(`randint: low and high must be integers with low < high, got (${low}, ${high})`);
  }
  if (low < INT32_MIN || high - 1 > INT32_MAX) {
    throw new RangeError(
      `randint: the values would lie in [${low}, ${high - 1}], beyond int32's range [${INT32_MIN}, ${INT32_MAX}]; randint makes int32 tensors`,
    );
  }
  const s = shapeArg('randint', shape);
  const n = sizeOf(s);
  return randomTensor(s, 'int32', false, () => {
    const g = options.generator ?? getDefaultGenerator();
    const values = new Int32Array(n);
    for (let i = 0; i < n; i++) values[i] = low + g.below(high - low);
    return values;
  });
}
