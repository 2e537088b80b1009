/**
 * The WebGPU runtime: memory round trips, the buffer pool, the order of uploads and dispatches in one
 * submission, the aliasing rule of the kernel context, flush, and the errors.
 */
import { describe, expect, it } from 'vitest';
import type { BufferHandle } from '../../../src/backend/backend.js';
import { OutOfMemoryError } from '../../../src/backend/out_of_memory.js';
import { requestWebGpuDevice } from '../../../src/backend/webgpu/adapter.js';
import { sizeClass } from '../../../src/backend/webgpu/buffer_pool.js';
import { Uniforms } from '../../../src/backend/webgpu/kernel_context.js';
import { WebGpuBackend } from '../../../src/backend/webgpu/webgpu_backend.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../../../src/backend/webgpu/wgsl/grid.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';

const gpu = await testWebGpuBackend();

/** A test kernel: out[i] = a[i] + b[i] (float32), through the context like any kernel. */
function addInto(a: BufferHandle, b: BufferHandle, out: BufferHandle): void {
  const ctx = gpu!.context;
  ctx.dispatch({
    key: 'test:add',
    wgsl: () => /* wgsl */ `
struct Params { n: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
${ELEMENTWISE_ENTRY} {
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  out[i] = a[i] + b[i];
}`,
    bindings: [{ buffer: a }, { buffer: b }, { buffer: out, write: true }],
    uniforms: new Uniforms().u32(out.length),
    workgroups: elementGrid(ctx, out.length),
  });
}

function upload(data: Float32Array | Int32Array): BufferHandle {
  const buffer = gpu!.allocate(data instanceof Int32Array ? 'int32' : 'float32', data.length);
  gpu!.write(buffer, data);
  return buffer;
}

/** The first index where the bit patterns differ, or −1 (toEqual is slow on a million elements). */
function firstDifference(
  a: ArrayLike<number> & { buffer: ArrayBufferLike },
  b: Float32Array | Int32Array,
): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Int32Array(a.buffer, 0, a.length);
  const y = new Int32Array(b.buffer, 0, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('sizeClass', () => {
  it('rounds to powers of two up to 1 MiB, then to eighths, never below 16 bytes', () => {
    expect([0, 1, 16, 17, 1000, 1 << 20].map(sizeClass)).toEqual([16, 16, 16, 32, 1024, 1 << 20]);
    expect(sizeClass((1 << 20) + 1)).toBe((1 << 20) + (1 << 17));
    expect(sizeClass(3_000_000)).toBe(3_145_728);
  });
});

describe(`WebGPU runtime${gpu ? '' : ` (skipped: ${webgpuSkipReason})`}`, () => {
  it.skipIf(!gpu)('round-trips float32 and int32 buffers of lengths 0, 1, odd and large', async () => {
    for (const length of [0, 1, 7, 1023, 1 << 20]) {
      const f = Float32Array.from({ length }, (_, i) => i * 0.5 - 3);
      const n = Int32Array.from({ length }, (_, i) => (i * 2654435761) | 0);
      const fb = upload(f);
      const nb = upload(n);
      const fr = await gpu!.readAsync(fb);
      const nr = await gpu!.readAsync(nb);
      expect(fr).toBeInstanceOf(Float32Array);
      expect(nr).toBeInstanceOf(Int32Array);
      expect(firstDifference(fr, f)).toBe(-1);
      expect(firstDifference(nr, n)).toBe(-1);
      expect(fr.length).toBe(length);
      gpu!.release(fb);
      gpu!.release(nb);
    }
  });

  it.skipIf(!gpu)('keeps float32 bit patterns: NaN, ±0, ±Infinity, subnormals', async () => {
    const data = new Float32Array([
      Number.NaN,
      -0,
      0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-45,
      -1.17e-38,
    ]);
    const b = upload(data);
    const back = (await gpu!.readAsync(b)) as Float32Array;
    expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(data.buffer));
    gpu!.release(b);
  });

  it.skipIf(!gpu)('converts written data to the buffer dtype as a typed array stores it', async () => {
    const f = gpu!.allocate('float32', 2);
    const n = gpu!.allocate('int32', 3);
    gpu!.write(f, new Float64Array([0.1, 1e40]));
    gpu!.write(n, new Float32Array([2.9, -2.9, Number.NaN]));
    expect(await gpu!.readAsync(f)).toEqual(new Float32Array([0.1, Number.POSITIVE_INFINITY]));
    expect(await gpu!.readAsync(n)).toEqual(new Int32Array([2, -2, 0]));
    gpu!.release(f);
    gpu!.release(n);
  });

  it.skipIf(!gpu)('fills float32 and int32 buffers of every length', async () => {
    for (const length of [0, 1, 255, 257, 70_000]) {
      const f = gpu!.allocate('float32', length);
      const n = gpu!.allocate('int32', length);
      gpu!.fill(f, 0.1);
      gpu!.fill(n, -7);
      expect(await gpu!.readAsync(f)).toEqual(new Float32Array(length).fill(0.1));
      expect(await gpu!.readAsync(n)).toEqual(new Int32Array(length).fill(-7));
      gpu!.release(f);
      gpu!.release(n);
    }
  });

  it.skipIf(!gpu)('counts live bytes, not pooled ones', () => {
    const before = gpu!.bytesInUse();
    const a = gpu!.allocate('float32', 10);
    const b = gpu!.allocate('int32', 3);
    expect(gpu!.bytesInUse() - before).toBe(52);
    gpu!.release(a);
    gpu!.release(a);
    expect(gpu!.bytesInUse() - before).toBe(12);
    gpu!.release(b);
    expect(gpu!.bytesInUse()).toBe(before);
  });

  it.skipIf(!gpu)('creates no new GPU buffer in a steady loop of allocate, dispatch, release', async () => {
    const step = async () => {
      const x = upload(new Float32Array(1000).fill(1));
      const y = gpu!.allocate('float32', 1000);
      const z = gpu!.allocate('float32', 1000);
      gpu!.fill(y, 2);
      addInto(x, y, z);
      gpu!.release(x);
      gpu!.release(y);
      gpu!.flush();
      const out = await gpu!.readAsync(z);
      gpu!.release(z);
      return out[999];
    };
    await step();
    const created = gpu!.stats().buffersCreated;
    for (let i = 0; i < 20; i++) expect(await step()).toBe(3);
    expect(gpu!.stats().buffersCreated).toBe(created);
  });

  it.skipIf(!gpu)(
    'orders a write after the dispatches recorded before it, and before those after',
    async () => {
      const a = gpu!.allocate('float32', 4);
      const out = gpu!.allocate('float32', 4);
      gpu!.fill(a, 1);
      addInto(a, a, out); // 2
      gpu!.write(a, new Float32Array([10, 20, 30, 40]));
      const later = gpu!.allocate('float32', 4);
      addInto(a, out, later); // a's new values + 2
      gpu!.fill(a, 5);
      expect(await gpu!.readAsync(out)).toEqual(new Float32Array([2, 2, 2, 2]));
      expect(await gpu!.readAsync(later)).toEqual(new Float32Array([12, 22, 32, 42]));
      expect(await gpu!.readAsync(a)).toEqual(new Float32Array([5, 5, 5, 5]));
      for (const b of [a, out, later]) gpu!.release(b);
    },
  );

  it.skipIf(!gpu)('runs many dispatches before one read in order, in few submissions', async () => {
    const acc = upload(new Float32Array(33).fill(0));
    const one = upload(new Float32Array(33).fill(1));
    gpu!.flush();
    const submissions = gpu!.stats().submissions;
    for (let i = 0; i < 3000; i++) addInto(acc, one, acc);
    const result = await gpu!.readAsync(acc);
    expect(result).toEqual(new Float32Array(33).fill(3000));
    // The aliased output goes through a scratch buffer: 3 commands per step, auto-submitted at 1024.
    expect(gpu!.stats().submissions - submissions).toBeLessThanOrEqual(10);
    gpu!.release(acc);
    gpu!.release(one);
  });

  it.skipIf(!gpu)('resolves a written binding that aliases an input through a scratch copy', async () => {
    const a = upload(new Float32Array([1, 2, 3]));
    addInto(a, a, a);
    expect(await gpu!.readAsync(a)).toEqual(new Float32Array([2, 4, 6]));
    gpu!.release(a);
  });

  it.skipIf(!gpu)('flush submits pending work and leaves nothing pending', async () => {
    const a = gpu!.allocate('float32', 8);
    const before = gpu!.stats().submissions;
    gpu!.fill(a, 3);
    gpu!.flush();
    gpu!.flush();
    expect(gpu!.stats().submissions - before).toBe(1);
    expect(await gpu!.readAsync(a)).toEqual(new Float32Array(8).fill(3));
    gpu!.release(a);
  });

  it.skipIf(!gpu)(
    'refuses float64, a released buffer, an oversized write and a tensor past the device limit',
    () => {
      expect(gpu!.supports('float64')).toBe(false);
      expect(() => gpu!.allocate('float64', 1)).toThrow(/float64 tensors are not stored on this backend/);
      const a = gpu!.allocate('float32', 2);
      expect(() => gpu!.write(a, new Float32Array(3))).toThrow(/write of 3 elements into a buffer of 2/);
      gpu!.release(a);
      expect(() => gpu!.write(a, new Float32Array(2))).toThrow(/given a released buffer/);
      const limit = Math.min(
        gpu!.device.limits.maxBufferSize,
        gpu!.device.limits.maxStorageBufferBindingSize,
      );
      const huge = Math.floor(limit / 4) + 1;
      const error = (() => {
        try {
          gpu!.allocate('float32', huge, [huge]);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(OutOfMemoryError);
      expect((error as Error).message).toMatch(
        new RegExp(`float32 tensor of shape \\[${huge}\\].*maxStorageBufferBindingSize`),
      );
    },
  );

  it.skipIf(!gpu)(
    'refuses use after destroy, but takes late releases quietly (finalizers run after it)',
    async () => {
      const { device, adapterName } = await requestWebGpuDevice();
      const own = new WebGpuBackend({ device, adapterName });
      const a = own.allocate('float32', 4);
      const kept = own.allocate('float32', 4);
      own.fill(a, 1);
      own.destroy();
      await expect(own.readAsync(kept)).rejects.toThrow(/this backend was destroyed/);
      expect(() => own.release(a)).not.toThrow();
      expect(() => own.allocate('float32', 1)).toThrow(/this backend was destroyed; create a new one/);
      expect(() => own.flush()).toThrow(/this backend was destroyed/);
      await expect(own.readAsync(a)).rejects.toThrow(/given a released buffer/);
    },
  );

  it.skipIf(!gpu)('refuses an unknown constructor option, naming the accepted ones', () => {
    const options = { device: gpu!.device, adapterName: 'x', bogus: 1 } as never;
    expect(() => new WebGpuBackend(options)).toThrow(
      /WebGpuBackend: unknown option 'bogus'; accepted: device, adapterName, debug/,
    );
  });

  it.skipIf(!gpu)(
    'throws an error the device reported outside any kernel at the next read, once',
    async () => {
      const a = gpu!.allocate('float32', 4);
      gpu!.fill(a, 2);
      // A validation error no scope of the runtime catches: it arrives as an uncapturederror event.
      gpu!.device.createBuffer({ size: 4, usage: 0 });
      await expect(gpu!.readAsync(a)).rejects.toThrow(/webgpu: the device reported an error: .*usage/i);
      expect(await gpu!.readAsync(a)).toEqual(new Float32Array(4).fill(2));
      gpu!.release(a);
    },
  );

  it.skipIf(!gpu)('names the kernel whose WGSL fails to compile, at the next read', async () => {
    const a = gpu!.allocate('float32', 4);
    gpu!.context.dispatch({
      key: 'test:broken',
      wgsl: () => '@compute @workgroup_size(1) fn main() { let x: f32 = undefined_thing; }',
      bindings: [{ buffer: a, write: true }],
      workgroups: [1],
    });
    await expect(gpu!.readAsync(a)).rejects.toThrow(/kernel "test:broken" failed/);
    // The error is reported once; the backend keeps working.
    gpu!.fill(a, 1);
    expect(await gpu!.readAsync(a)).toEqual(new Float32Array(4).fill(1));
    gpu!.release(a);
  });
});
