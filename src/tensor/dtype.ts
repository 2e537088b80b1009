/**
 * Element types. `float32` is the working type of every model; `int32` holds labels and indices;
 * `float64` exists for finite-difference gradient checks and is only required of the reference backend.
 */
export type DType = 'float32' | 'float64' | 'int32';

export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

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
