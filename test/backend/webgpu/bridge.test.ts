/**
 * The blocking WebGPU backend (src/backend/webgpu/node/blocking_backend.ts): a WebGpuBackend in a
 * worker thread behind a synchronous read. These tests hold the bridge itself to its promises (reads
 * in order with everything queued before them, errors named and surfaced once, handles accounted,
 * the worker never keeping a process alive); the kernels are the WebGPU kernel tests' business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSED_KERNELS } from '../../../src/backend/capabilities.js';
import {
  type BlockingWebGpuBackend,
  createBlockingWebGpuBackend,
} from '../../../src/backend/webgpu/node/blocking_backend.js';
import { ReferenceBackend } from '../../../src/index.js';
import { messageOf } from '../../helpers/thrown.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';

const direct = await testWebGpuBackend();

/** Worker threads and message ports that keep this process alive right now. */
function liveThreadResources(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;
}

const skipped = direct === null ? ` (skipped: ${webgpuSkipReason})` : '';

describe.skipIf(direct === null)(`the blocking WebGPU backend${skipped}`, () => {
  let backend: BlockingWebGpuBackend;
  let baseline: number;

  beforeAll(async () => {
    baseline = liveThreadResources();
    backend = await createBlockingWebGpuBackend();
  });
  afterAll(() => backend.destroy());

  it('reads synchronously what readAsync reads, for float32 and int32', async () => {
    const f = backend.allocate('float32', 5);
    const i = backend.allocate('int32', 3);
    backend.write(f, new Float32Array([1.5, -2, 3.25, 0, 1e-30]));
    backend.write(i, new Int32Array([7, -8, 2147483647]));
    const sync = [backend.read(f), backend.read(i)];
    const async = await Promise.all([backend.readAsync(f), backend.readAsync(i)]);
    expect(sync[0]).toEqual(new Float32Array([1.5, -2, 3.25, 0, 1e-30]));
    expect(sync[1]).toEqual(new Int32Array([7, -8, 2147483647]));
    expect(async).toEqual(sync);
    backend.release(f);
    backend.release(i);
  });

  it('copies written data when write is called, so later changes to the array are not sent', () => {
    const b = backend.allocate('float32', 2);
    const data = new Float32Array([1, 2]);
    backend.write(b, data);
    data[0] = 99;
    expect(backend.read(b)).toEqual(new Float32Array([1, 2]));
    backend.release(b);
  });

  it('runs calls in order: a read sees every call queued before it, across many batches', () => {
    const b = backend.allocate('float32', 3);
    for (let k = 0; k < 600; k++) backend.fill(b, k);
    expect(backend.read(b)).toEqual(new Float32Array([599, 599, 599]));
    backend.write(b, new Float32Array([4, 5, 6]));
    expect(backend.read(b)).toEqual(new Float32Array([4, 5, 6]));
    backend.release(b);
  });

  it('gives readAsync the value at the time of the call, not after calls queued later', async () => {
    const b = backend.allocate('float32', 2);
    backend.fill(b, 1);
    const early = backend.readAsync(b);
    backend.fill(b, 2);
    expect(backend.read(b)).toEqual(new Float32Array([2, 2]));
    expect(await early).toEqual(new Float32Array([1, 1]));
    backend.release(b);
  });

  it("surfaces a worker's error at the next read, once, naming the kernel, and keeps running later calls", () => {
    const dead = backend.allocate('float32', 4);
    const out = backend.allocate('float32', 4);
    backend.release(dead);
    const view = { buffer: dead, shape: [2, 2], strides: [2, 1], offset: 0 };
    const spec = {
      m: 2,
      n: 2,
      k: 2,
      transA: false,
      transB: false,
      batchShape: [],
      aBatchStrides: [],
      bBatchStrides: [],
    };
    backend.matmul(view, view, spec, out);
    backend.fill(out, 3);
    expect(messageOf(() => backend.read(out), Error)).toBe(
      `webgpu worker: matmul failed: buffer #${(dead as unknown as { id: number }).id} is not allocated (released, or its allocation failed)`,
    );
    expect(backend.read(out)).toEqual(new Float32Array([3, 3, 3, 3]));
    backend.release(out);
  });

  it("keeps the backend's error class and message (a write larger than its buffer), surfaced by flush", () => {
    const b = backend.allocate('float32', 3);
    backend.write(b, new Float32Array(5));
    expect(messageOf(() => backend.flush(), RangeError)).toBe(
      'webgpu worker: write failed: webgpu: write of 5 elements into a buffer of 3',
    );
    expect(() => backend.flush()).not.toThrow();
    backend.release(b);
  });

  it('rejects readAsync with an earlier error of the worker', async () => {
    const b = backend.allocate('int32', 1);
    backend.write(b, new Int32Array(2));
    await expect(backend.readAsync(b)).rejects.toThrow(
      'webgpu worker: write failed: webgpu: write of 2 elements',
    );
    backend.release(b);
  });

  it('counts bytes in use on the calling thread: allocate adds, release subtracts once', () => {
    const before = backend.bytesInUse();
    const a = backend.allocate('float32', 10);
    const b = backend.allocate('int32', 3);
    expect(backend.bytesInUse()).toBe(before + 52);
    backend.release(a);
    backend.release(a);
    expect(backend.bytesInUse()).toBe(before + 12);
    backend.release(b);
    expect(backend.bytesInUse()).toBe(before);
  });

  it('refuses float64 and buffers of other backends at the call, naming what is accepted', () => {
    expect(backend.supports('float64')).toBe(false);
    expect(messageOf(() => backend.allocate('float64', 2), TypeError)).toBe(
      'webgpu: float64 is not stored on this backend (float32 and int32 are)',
    );
    const foreign = new ReferenceBackend().allocate('float32', 2);
    expect(messageOf(() => backend.fill(foreign, 1), TypeError)).toBe(
      'webgpu: a buffer of another backend was passed to the WebGPU backend',
    );
    expect(messageOf(() => backend.read(foreign), TypeError)).toBe(
      'webgpu: a buffer of another backend was passed to the WebGPU backend',
    );
  });

  it("describes itself as the worker's WebGpuBackend does: name, adapter, precision, fused kernels", () => {
    const d = direct as NonNullable<typeof direct>;
    expect(backend.name).toBe('webgpu');
    expect(backend.adapterName).toBe(d.adapterName);
    expect(backend.precision).toEqual(d.precision);
    const present = (b: object) =>
      FUSED_KERNELS.filter((k) => typeof (b as Record<string, unknown>)[k] === 'function');
    expect(present(backend)).toEqual(present(d));
  });

  it('never keeps the process alive: the worker is unref’d, and held only while a readAsync is pending', async () => {
    const b = backend.allocate('float32', 1);
    backend.read(b);
    expect(liveThreadResources()).toBe(baseline);
    const pending = backend.readAsync(b);
    expect(liveThreadResources()).toBeGreaterThan(baseline);
    await pending;
    expect(liveThreadResources()).toBe(baseline);
    backend.release(b);
  });
});

describe.skipIf(direct === null)(`createBlockingWebGpuBackend's options and destroy${skipped}`, () => {
  it('refuses an unknown option and a bad timeout, naming them', async () => {
    await expect(createBlockingWebGpuBackend({ timeout: 5 } as never)).rejects.toThrow(
      "createBlockingWebGpuBackend: unknown option 'timeout'; accepted: powerPreference, timeoutMs",
    );
    await expect(createBlockingWebGpuBackend({ timeoutMs: 0 })).rejects.toThrow(
      'createBlockingWebGpuBackend: timeoutMs must be a positive number of milliseconds, got 0',
    );
  });

  it('when the worker dies, a read throws at once, not after the timeout, and so does every call after', async () => {
    const backend = await createBlockingWebGpuBackend({ timeoutMs: 60_000 });
    const b = backend.allocate('float32', 2);
    backend.read(b);
    // A batch the worker cannot run: its message handler throws and the thread exits.
    (backend as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage({
      type: 'batch',
      calls: null,
    });
    // Block this thread meanwhile, so only the shared flag (not the worker's exit event) can tell.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    const start = performance.now();
    expect(messageOf(() => backend.read(b), Error)).toBe(
      'webgpu: the WebGPU worker has exited before answering a read',
    );
    expect(messageOf(() => backend.read(b), Error)).toBe(
      'webgpu: the WebGPU worker has exited; create a new backend',
    );
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('after destroy, refuses every call but release (a no-op) and rejects the reads still pending', async () => {
    const backend = await createBlockingWebGpuBackend();
    const b = backend.allocate('float32', 1);
    const pending = backend.readAsync(b);
    backend.destroy();
    await expect(pending).rejects.toThrow('webgpu: the WebGPU backend was destroyed');
    expect(messageOf(() => backend.read(b), Error)).toBe(
      'webgpu: the WebGPU backend was destroyed; create a new backend',
    );
    expect(messageOf(() => backend.allocate('float32', 1), Error)).toBe(
      'webgpu: the WebGPU backend was destroyed; create a new backend',
    );
    // A tensor's finalizer may release its buffer after the backend is gone.
    backend.release(b);
    expect(backend.bytesInUse()).toBe(0);
  });
});
