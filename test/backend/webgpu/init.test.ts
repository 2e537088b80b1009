/**
 * initWebGpuBackend and initBackend: which backend each name gives, auto's one-line fallback, the
 * refusals, and DESCENT_BACKEND when no name is given. A `gpu` option whose requestAdapter returns
 * null stands in for a machine without a GPU; the real adapter (SwiftShader without a GPU) for one with.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference_backend.js';
import { getBackend, setBackend } from '../../../src/backend/registry.js';
import { WasmBackend } from '../../../src/backend/wasm/wasm_backend.js';
import { WebGpuUnavailableError } from '../../../src/backend/webgpu/adapter.js';
import { autoFallbackLine, initBackend, initWebGpuBackend } from '../../../src/backend/webgpu/init.js';
import { WebGpuBackend } from '../../../src/backend/webgpu/webgpu_backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';

const gpu = await testWebGpuBackend();

/** A machine without a GPU, as far as the adapter request can tell. */
const noAdapter = { requestAdapter: async () => null } as unknown as GPU;

let previous: Backend;
beforeEach(() => {
  previous = getBackend();
});
afterEach(() => {
  const current = getBackend();
  setBackend(previous);
  if (current instanceof WebGpuBackend) current.destroy();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('initBackend', () => {
  it('auto without an adapter falls back to wasm and says so in one line', async () => {
    const notes: string[] = [];
    const backend = await initBackend('auto', { gpu: noAdapter, onFallback: (line) => notes.push(line) });
    expect(backend).toBeInstanceOf(WasmBackend);
    expect(getBackend()).toBe(backend);
    expect(notes).toEqual([
      'backend auto: using wasm, no WebGPU device (WebGPU is not available: the GPU object passed as the `gpu` option returned no adapter)',
    ]);
  });

  it("auto's note goes to console.warn unless onFallback is given", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await initBackend('auto', { gpu: noAdapter });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^backend auto: using wasm, no WebGPU device \(/);
  });

  it('the fallback note is one line even when the reason has several', () => {
    expect(autoFallbackLine(new Error('first line\nsecond line'))).toBe(
      'backend auto: using wasm, no WebGPU device (first line)',
    );
  });

  it('webgpu without an adapter fails with the adapter’s message and leaves the default alone', async () => {
    const before = getBackend();
    const error = await initBackend('webgpu', { gpu: noAdapter }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebGpuUnavailableError);
    expect((error as Error).message).toContain('returned no adapter');
    expect(getBackend()).toBe(before);
  });

  it('reference and wasm make those the default', async () => {
    expect(await initBackend('reference')).toBeInstanceOf(ReferenceBackend);
    expect(getBackend()).toBeInstanceOf(ReferenceBackend);
    expect(await initBackend('wasm')).toBeInstanceOf(WasmBackend);
    expect(getBackend()).toBeInstanceOf(WasmBackend);
  });

  it('refuses an unknown name, listing the accepted ones', async () => {
    const error = await initBackend('cuda' as never).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "initBackend: 'cuda' is not a backend; accepted: reference, wasm, webgpu, auto",
    );
  });

  it('without a name follows DESCENT_BACKEND (webgpu is honoured here, not by the synchronous default)', async () => {
    vi.stubEnv('DESCENT_BACKEND', 'reference');
    expect(await initBackend()).toBeInstanceOf(ReferenceBackend);
    vi.stubEnv('DESCENT_BACKEND', 'webgpu');
    const error = await initBackend(undefined, { gpu: noAdapter }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebGpuUnavailableError);
  });

  it('without a name or DESCENT_BACKEND gives wasm, the default', async () => {
    vi.stubEnv('DESCENT_BACKEND', '');
    setBackend(new ReferenceBackend());
    expect(await initBackend()).toBeInstanceOf(WasmBackend);
  });
});

describe('with a WebGPU adapter', () => {
  it.skipIf(!gpu)(
    `initWebGpuBackend makes a WebGpuBackend the default and names its adapter (${webgpuSkipReason})`,
    async () => {
      const backend = await initWebGpuBackend();
      expect(backend).toBeInstanceOf(WebGpuBackend);
      expect(getBackend()).toBe(backend);
      expect(backend.adapterName).toBe(gpu!.adapterName);
    },
  );

  it.skipIf(!gpu)(`auto picks WebGPU and says nothing (${webgpuSkipReason})`, async () => {
    const notes: string[] = [];
    const backend = await initBackend('auto', { onFallback: (line) => notes.push(line) });
    expect(backend).toBeInstanceOf(WebGpuBackend);
    expect(notes).toEqual([]);
  });
});
