/**
 * Helpers for the WebGPU product and window tests (matmul, linear, conv, gather, windows): seeded
 * inputs, the same data on the WebGPU and reference backends, and the float32 accumulation bound.
 */
import { expect } from 'vitest';
import type { Backend, BufferHandle, View } from '../../../src/backend/backend.js';
import type { DispatchSpec, KernelContext } from '../../../src/backend/webgpu/kernel_context.js';
import { ReferenceBackend } from '../../../src/index.js';

export const reference = new ReferenceBackend();

/** Seeded floats in [−scale, scale) (mulberry32), exactly representable in float32. */
export function floats(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

export function upload(backend: Backend, data: Float32Array | Int32Array): BufferHandle {
  const b = backend.allocate(data instanceof Int32Array ? 'int32' : 'float32', data.length);
  backend.write(b, data);
  return b;
}

/** A view of a whole buffer from `offset` (kernels that take contiguous views read only the offset). */
export function at(buffer: BufferHandle, offset = 0): View {
  return { buffer, shape: [buffer.length - offset], strides: [1], offset };
}

/** Runs `fn` on `backend` with `inputs` uploaded; returns the outputs it names, read back. */
export async function run(
  backend: Backend,
  inputs: readonly (Float32Array | Int32Array)[],
  fn: (buffers: BufferHandle[]) => BufferHandle[],
): Promise<(Float32Array | Int32Array)[]> {
  const buffers = inputs.map((d) => upload(backend, d));
  const outs = fn(buffers);
  const read = await Promise.all(outs.map((b) => backend.readAsync(b)));
  for (const b of [...buffers, ...outs]) backend.release(b);
  return read as (Float32Array | Int32Array)[];
}

/**
 * Float32 accumulation against the reference's float64 sums: |got − want| ≤ terms·accumulation·
 * magnitude (+ slack for what is added after the sum), element by element, with `magnitude` the sum of
 * the terms' absolute values (the reference's product of |A| and |B|).
 */
export function expectAccumulated(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  bound: (i: number) => number,
  label: string,
): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w)) {
      expect(g, `${label}[${i}]`).toBeNaN();
      continue;
    }
    const err = Math.abs(g - w);
    if (!(err <= bound(i)))
      expect.fail(`${label}[${i}]: got ${g}, want ${w} (|Δ| ${err} > bound ${bound(i)})`);
  }
}

/** Exactly the same values, reporting the first difference. */
export function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${label}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

/** A context that records through `inner` with fewer workgroups per dimension (to force splitting). */
export function narrowed(inner: KernelContext, maxWorkgroupsPerDimension: number): KernelContext {
  return {
    limits: { ...inner.limits, maxWorkgroupsPerDimension },
    dispatch: (spec) => inner.dispatch(spec),
    allocate: (dtype, length) => inner.allocate(dtype, length),
    release: (buffer) => inner.release(buffer),
  };
}

/** A context that only records the dispatches (no device): for the grid and batch arithmetic. */
export function recording(
  limits?: Partial<KernelContext['limits']>,
): KernelContext & { specs: DispatchSpec[] } {
  const specs: DispatchSpec[] = [];
  return {
    specs,
    limits: {
      maxWorkgroupsPerDimension: 65535,
      maxWorkgroupStorageBytes: 16384,
      maxInvocationsPerWorkgroup: 256,
      ...limits,
    },
    dispatch: (spec) => specs.push(spec),
    allocate: (dtype, length) => ({ dtype, length }),
    release: () => {},
  };
}
