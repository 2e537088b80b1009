/**
 * Shared machinery of the initializers: argument checks and the in-place write. Every initializer
 * draws its numbers in JavaScript (float64, from the seeded `Generator`), rounds them once to the
 * tensor's dtype and writes them with `assign`, outside autograd, like torch.nn.init's `no_grad` blocks.
 */
import { noGrad } from '../autograd/tape.js';
import { allocTyped } from '../tensor/dtype.js';
import { type Generator, getDefaultGenerator } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';

/** Options shared by the random initializers. */
export interface InitOptions {
  /** Where the random numbers come from; defaults to the generator seeded by `manualSeed`. */
  generator?: Generator;
}

/** Throws unless `t` is a floating-point Tensor; `op` names the initializer in the message. */
export function requireFloatTensor(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(`${op}: expected a Tensor to initialize in place, got ${describeValue(t)}`);
  }
  if (t.dtype === 'int32') {
    throw new TypeError(`${op}: only floating-point tensors can be initialized, this one is int32`);
  }
  return t;
}

export function requireFinite(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${op}: ${name} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return x.constructor?.name ?? 'an object';
  return typeof x === 'string' ? `string ${JSON.stringify(x)}` : `${typeof x} ${String(x)}`;
}

export function generatorOf(options: InitOptions | undefined): Generator {
  return options?.generator ?? getDefaultGenerator();
}

/**
 * Writes `values` (row-major, one per element of `t`) into `t` in place, rounding once to its dtype.
 * Works for non-contiguous views too (the write goes through `assign`).
 */
export function writeValues(t: Tensor, values: ArrayLike<number>): Tensor {
  if (values.length !== t.size) {
    throw new RangeError(`init: ${values.length} values for a tensor of shape ${formatShape(t.shape)}`);
  }
  if (t.size === 0) return t;
  noGrad(() => {
    const typed = allocTyped(t.dtype, t.size);
    typed.set(values);
    const backend = t.backend;
    const src = new Tensor(new Storage(backend, backend.allocate(t.dtype, t.size)), t.shape);
    backend.write(src.storage.buffer, typed);
    try {
      t.assign(src);
    } finally {
      src.dispose();
    }
  });
  return t;
}

/** Fills `t` with `draw()` called once per element, in row-major order. */
export function fillWith(t: Tensor, draw: () => number): Tensor {
  const values = new Float64Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return writeValues(t, values);
}
