/** Argument checks shared by the layers; each error names the layer and the argument. */
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export function positiveInt(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${op}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function nonNegativeNumber(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${op}: ${name} must be a finite number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws unless x has one of the listed numbers of dimensions; `layout` names them, e.g. '(N, C, H, W)'. */
export function requireNdim(op: string, x: Tensor, ndims: readonly number[], layout: string): void {
  if (!ndims.includes(x.ndim)) {
    throw new RangeError(
      `${op}: expected a ${ndims.map((d) => `${d}-D`).join(' or ')} input ${layout}, got shape ${formatShape(x.shape)}`,
    );
  }
}

/** Throws unless x has `size` entries along `axis`; `name` is the constructor argument that set it. */
export function requireSize(op: string, x: Tensor, axis: number, size: number, name: string): void {
  const a = axis < 0 ? x.ndim + axis : axis;
  if (x.shape[a] !== size) {
    throw new RangeError(
      `${op}: expected ${name} = ${size} entries along dimension ${a}, got input of shape ${formatShape(x.shape)}`,
    );
  }
}
