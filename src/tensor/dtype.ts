/**
 * Element types. `float32` is the working type of every model; `int32` holds labels and indices;
 * `float64` exists for finite-difference gradient checks and is only required of the reference backend.
 */
export type DType = 'float32' | 'float64' | 'int32';

export type TypedArray = Float32Array | Float64Array | Int32Array;

export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

export function allocTyped(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int32':
      return new Int32Array(length);
  }
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  return 'int32';
}

export function checkDType(op: string, value: unknown): DType {
  if (value === 'float32' || value === 'float64' || value === 'int32') return value;
  throw new TypeError(
    `${op}: dtype ${JSON.stringify(value)} is not supported; use 'float32', 'float64' or 'int32'`,
  );
}

/** int32's range. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * Whether `v` converts to int32 (by truncation toward zero) without overflow. PyTorch's rule: the
 * value itself must lie in [−2³¹, 2³¹ − 1] before truncation, so 2147483647.5 is refused, and NaN and
 * ±Infinity, which have no int32 value, are refused too (a typed array would store 0 or wrap).
 */
function fitsInt32(v: number): boolean {
  return v >= INT32_MIN && v <= INT32_MAX;
}

/** The error for a value `fitsInt32` refused; `what` names it ("element [0, 2]", "value"). */
function int32RangeError(op: string, what: string, v: number): RangeError {
  const why = Number.isNaN(v)
    ? 'int32 has no NaN'
    : Number.isFinite(v)
      ? `int32 holds integers from ${INT32_MIN} to ${INT32_MAX}`
      : 'int32 has no infinity';
  return new RangeError(
    `${op}: ${what} is ${v}, which cannot be converted to int32 without overflow (${why}); keep such values in a float32 or float64 tensor`,
  );
}

/** `v` truncated toward zero, or the error of `int32RangeError`. */
export function toInt32(op: string, what: string, v: number): number {
  if (!fitsInt32(v)) throw int32RangeError(op, what, v);
  return Math.trunc(v);
}

/** "element [i, j]" for the flat index `flat` of `shape` ("value" for a 0-d tensor), for messages. */
function elementName(shape: readonly number[], flat: number): string {
  if (shape.length === 0) return 'value';
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return `element [${index.join(', ')}]`;
}

/** Throws `int32RangeError` for the first of `data` (row-major, shaped `shape`) that int32 cannot hold. */
export function requireInt32Values(op: string, data: TypedArray, shape: readonly number[]): void {
  if (data instanceof Int32Array) return;
  for (let i = 0; i < data.length; i++) {
    if (!fitsInt32(data[i]!)) throw int32RangeError(op, elementName(shape, i), data[i]!);
  }
}
