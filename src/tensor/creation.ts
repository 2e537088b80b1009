/**
 * Creating tensors: from data, constant fills, ranges and seeded random numbers.
 *
 * Divergence from PyTorch: dtype defaults to float32 even for integer data (PyTorch infers int64);
 * pass `{ dtype: 'int32' }` for labels and indices.
 */
import { getBackend } from '../backend/registry.js';
import { empty } from '../ops/util.js';
import { allocTyped, checkDType, type DType, dtypeOfArray, type TypedArray } from './dtype.js';
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

function shapeArg(op: string, shape: readonly number[] | number): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

function fromTyped(op: string, data: TypedArray, shape: readonly number[], options: CreateOptions): Tensor {
  const dtype = options.dtype ?? dtypeOfArray(data);
  checkDType(op, dtype);
  const t = empty(shape, dtype, getBackend());
  if (dtypeOfArray(data) === dtype) t.backend.write(t.storage.buffer, data);
  else {
    const converted = allocTyped(dtype, data.length);
    for (let i = 0; i < data.length; i++) converted[i] = dtype === 'int32' ? Math.trunc(data[i]!) : data[i]!;
    t.backend.write(t.storage.buffer, converted);
  }
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
 * dtype). The data is copied.
 */
export function tensor(data: NestedArray | TypedArray, options: TensorOptions = {}): Tensor {
  let typed: TypedArray;
  let shape: number[];
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array)) {
      throw new TypeError('tensor: typed arrays must be Float32Array, Float64Array or Int32Array');
    }
    typed = data;
    shape = [data.length];
  } else if (typeof data === 'number' || Array.isArray(data)) {
    const flat = flattenNested(data);
    typed = allocTyped(options.dtype ?? 'float32', flat.values.length);
    const int = typed instanceof Int32Array;
    flat.values.forEach((v, i) => {
      typed[i] = int ? Math.trunc(v) : v;
    });
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
  return fromTyped('tensor', typed, shape, options);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[] | number, value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

function filled(
  op: string,
  shape: readonly number[] | number,
  value: number,
  options: CreateOptions,
): Tensor {
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${typeof value}`);
  const t = empty(shapeArg(op, shape), checkDType(op, options.dtype ?? 'float32'), getBackend());
  t.backend.fill(t.storage.buffer, value);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export function zeros(shape: readonly number[] | number, options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

export function ones(shape: readonly number[] | number, options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

/** start, start + step, … below end (PyTorch's arange). arange(n) is 0 … n−1. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (![lo, hi, step].every(Number.isFinite) || step === 0) {
    throw new RangeError(
      `arange: start, end and step must be finite and step non-zero, got (${start}, ${end}, ${step})`,
    );
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const values = allocTyped(options.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return fromTyped('arange', values, [n], options);
}

/** `steps` evenly spaced values from start to end inclusive, computed as PyTorch does (symmetric halves). */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const values = allocTyped(options.dtype ?? 'float32', steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    values[i] = i < half || steps === 1 ? start + i * step : end - (steps - 1 - i) * step;
  return fromTyped('linspace', values, [steps], options);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
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
  const s = shapeArg(op, shape);
  const dtype = options.dtype ?? 'float32';
  if (dtype === 'int32')
    throw new TypeError(`${op}: dtype must be float32 or float64; use randint for integers`);
  const g = options.generator ?? getDefaultGenerator();
  const values = allocTyped(dtype, sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = draw(g);
  return fromTyped(op, values, s, options);
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[] | number, options: RandomOptions = {}): Tensor {
  return randomFloats('rand', shape, options, (g) => g.uniform24());
}

/** Standard normal samples N(0, 1). */
export function randn(shape: readonly number[] | number, options: RandomOptions = {}): Tensor {
  return randomFloats('randn', shape, options, (g) => g.normal());
}

/** Uniform integers in [low, high) as int32. */
export function randint(
  low: number,
  high: number,
  shape: readonly number[] | number,
  options: Omit<RandomOptions, 'dtype' | 'requiresGrad'> = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low || high - low > 2 ** 32) {
    throw new RangeError(`randint: low and high must be integers with low < high, got (${low}, ${high})`);
  }
  const s = shapeArg('randint', shape);
  const g = options.generator ?? getDefaultGenerator();
  const values = new Int32Array(sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = low + g.below(high - low);
  return fromTyped('randint', values, s, {});
}
