/**
 * Optimizer state as plain data and back: `serializeState` turns a parameter's chain state into
 * `{ shape, data }` records (typed arrays, so a training state can store them as tensors), and
 * `restoreState` rebuilds it from saved data, checked against what this optimizer's chain would create
 * for that parameter. This is the one place where loaded optimizer state is validated (every
 * `Optimizer.loadStateDict` goes through it), so a tampered or foreign state dict is refused with a
 * message naming the parameter, the transform and the field, instead of training on garbage:
 *
 * | in the fresh state | the saved value must be |
 * | --- | --- |
 * | a tensor (a moment) | `{ shape, data }` with the parameter's shape and finite values |
 * | a tensor of squares or magnitudes (`NON_NEGATIVE`) | as above, and every value ≥ 0 |
 * | null (a buffer made lazily: momentum, AMSGrad's max) | null, or such a tensor |
 * | `step` | a non-negative integer |
 * | another number | a finite number |
 * | an object or array | the same keys or length, each checked by these rules |
 */
import { tensor } from '../tensor/creation.js';
import type { TypedArray } from '../tensor/dtype.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Chain } from './transform.js';

/** A tensor as plain data, for state dicts: typed arrays from `stateDict()`, plain arrays accepted too. */
export interface SerializedTensor {
  shape: number[];
  data: TypedArray | number[];
}

/**
 * A tensor as `{ shape, data }` with a typed array (a copy). `JSON.stringify` still writes `data` as a
 * plain array of numbers (a non-enumerable `toJSON`, which `structuredClone` drops), so state dicts stay
 * JSON-able as they were when `data` was a plain array.
 */
export function savedTensor(t: Tensor): SerializedTensor {
  const saved: SerializedTensor = { shape: [...t.shape], data: t.data() };
  Object.defineProperty(saved, 'toJSON', {
    value: () => ({ shape: saved.shape, data: Array.from(saved.data) }),
    enumerable: false,
  });
  return saved;
}

/** Deep copy of a state with every tensor replaced by `savedTensor`. */
export function serializeState(value: unknown): unknown {
  if (value instanceof Tensor) return savedTensor(value);
  if (Array.isArray(value)) return value.map(serializeState);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serializeState(v)]));
  }
  return value;
}

/**
 * State fields that accumulate squares or magnitudes, so can never be negative: Adam's (and NAdam's,
 * RAdam's, QHAdam's) `expAvgSq` and AMSGrad's `maxExpAvgSq`, Adamax's `expInf`, Adagrad's `sum`,
 * RMSprop's and Adadelta's `squareAvg`, Adadelta's `accDelta`. A negative one loads as finite and
 * turns the parameters to NaN one step later (the square root of a negative denominator).
 */
const NON_NEGATIVE = new Set(['expAvgSq', 'maxExpAvgSq', 'expInf', 'sum', 'squareAvg', 'accDelta']);

/** Where a check is: the message prefix and a path inside the state. */
interface Where {
  prefix: string;
  path: string;
}

function fail(at: Where, what: string): never {
  throw new RangeError(`${at.prefix}${at.path}: ${what}`);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Rebuilds one parameter's chain state from `saved`, checked against `fresh` (the chain's `init` for
 * that parameter). `prefix` starts every message (e.g. "Adam.loadStateDict: state of parameter 3").
 */
export function restoreState(
  chain: Chain,
  fresh: unknown[],
  saved: unknown,
  param: Tensor,
  prefix: string,
): unknown[] {
  const names = chain.parts.map((t) => t.name).join(', ');
  if (!Array.isArray(saved) || saved.length !== fresh.length) {
    throw new RangeError(
      `${prefix}: expected the states of ${fresh.length} transforms (${names}), got ${describe(saved)}; was the state dict saved by another optimizer or configuration?`,
    );
  }
  return fresh.map((template, k) => {
    const at = { prefix, path: ` (${chain.parts[k]!.name})` };
    if (template !== null) return restoreValue(template, saved[k], param, at);
    if (saved[k] !== null && saved[k] !== undefined) fail(at, `keeps no state, got ${describe(saved[k])}`);
    return null;
  });
}

/** Releases the tensors of a state that was only used as a template. */
export function disposeState(state: unknown): void {
  if (state instanceof Tensor) state.dispose();
  else if (Array.isArray(state)) state.forEach(disposeState);
  else if (state !== null && typeof state === 'object') Object.values(state).forEach(disposeState);
}

function restoreValue(template: unknown, saved: unknown, param: Tensor, at: Where): unknown {
  if (template instanceof Tensor) return restoreTensor(saved, template.shape, param, at);
  if (template === null)
    return saved === null || saved === undefined ? null : restoreTensor(saved, param.shape, param, at);
  if (typeof template === 'number') {
    const isStep = /(^|\.)step$/.test(at.path);
    if (
      typeof saved !== 'number' ||
      !Number.isFinite(saved) ||
      (isStep && (!Number.isInteger(saved) || saved < 0))
    ) {
      fail(
        at,
        `expected ${isStep ? 'a step count (a non-negative integer)' : 'a finite number'}, got ${describe(saved)}`,
      );
    }
    return saved;
  }
  if (typeof template === 'boolean' || typeof template === 'string') {
    if (typeof saved !== typeof template) fail(at, `expected a ${typeof template}, got ${describe(saved)}`);
    return saved;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(saved) || saved.length !== template.length)
      fail(at, `expected an array of ${template.length}, got ${describe(saved)}`);
    return template.map((t, i) =>
      restoreValue(t, (saved as unknown[])[i], param, { ...at, path: `${at.path}[${i}]` }),
    );
  }
  if (typeof template === 'object')
    return restoreObject(template as Record<string, unknown>, saved, param, at);
  return saved;
}

function restoreObject(template: Record<string, unknown>, saved: unknown, param: Tensor, at: Where): unknown {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved))
    fail(at, `expected an object with ${Object.keys(template).join(', ')}, got ${describe(saved)}`);
  const record = saved as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    if (!(k in template))
      fail(
        at,
        `has '${k}', which this transform does not keep (its state: ${Object.keys(template).join(', ')})`,
      );
  }
  const out: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(template)) {
    const path = `${at.path}.${k}`;
    if (!(k in record) && t !== null) fail({ ...at, path }, 'missing');
    out[k] = restoreValue(t, record[k], param, { ...at, path });
  }
  return out;
}

function restoreTensor(saved: unknown, shape: readonly number[], param: Tensor, at: Where): Tensor {
  const s = saved as SerializedTensor;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    Array.isArray(s.shape) &&
    s.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    (Array.isArray(s.data) || ArrayBuffer.isView(s.data));
  if (!ok) fail(at, `expected a tensor { shape, data }, got ${describe(saved)}`);
  if (!shapesEqual(s.shape, shape)) {
    fail(at, `has shape ${formatShape(s.shape)}, but the parameter's state needs ${formatShape(shape)}`);
  }
  if (s.data.length !== sizeOf(shape))
    fail(at, `holds ${s.data.length} values for shape ${formatShape(shape)}`);
  const nonNegative = NON_NEGATIVE.has(at.path.slice(at.path.lastIndexOf('.') + 1));
  for (let i = 0; i < s.data.length; i++) {
    const v = s.data[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail(at, `holds ${describe(v)} at element ${i}; moments must be finite`);
    if (nonNegative && v < 0)
      fail(at, `holds ${v} at element ${i}; it accumulates squares or magnitudes, so must be ≥ 0`);
  }
  return tensor(s.data, { shape: [...shape], dtype: param.dtype });
}
