/**
 * The seams are typed: a backend missing a kernel, or a primitive missing its gradient rule, is a
 * compile-time error. `npm run typecheck` fails if any @ts-expect-error below stops being an error.
 */
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  type gradRules,
  type Primitive,
  ReferenceBackend,
  type Vjp,
  WasmBackend,
} from '../../src/index.js';

describe('typed seams', () => {
  it('a backend without a kernel does not type-check', () => {
    const incomplete = {} as Omit<Backend, 'matmul'>;
    // @ts-expect-error: matmul is a required kernel
    const backend: Backend = incomplete;
    expect(backend).toBeDefined();
  });

  it('a gradient table without a rule does not type-check', () => {
    const partial = {} as Omit<typeof gradRules, 'conv2d' | 'matmul'>;
    // @ts-expect-error: every primitive needs a vector-Jacobian product
    const table: { [P in Primitive]: Vjp<P> } = partial;
    expect(table).toBeDefined();
  });

  it('the reference and WebAssembly backends implement every kernel of the interface at run time too', () => {
    const kernels = [
      'fill',
      'copy',
      'unary',
      'binary',
      'where',
      'reduce',
      'matmul',
      'softmax',
      'gather',
      'scatterAdd',
      'im2col',
      'col2im',
    ] as const satisfies readonly (keyof Backend)[];
    for (const backend of [new ReferenceBackend(), new WasmBackend()]) {
      for (const k of kernels) expect(typeof backend[k], `${backend.name}.${k}`).toBe('function');
    }
  });
});
