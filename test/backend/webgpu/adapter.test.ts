/**
 * requestWebGpuDevice: where the GPU comes from, the limits it asks for, the adapter's name, and the
 * errors when there is no adapter or the device is lost later. Fake GPUs stand in for the cases a
 * machine cannot be put in; the real adapter (SwiftShader without a GPU) checks the limits and globals.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  describeAdapter,
  deviceLostError,
  isWebGpuDeviceLost,
  isWebGpuUnavailable,
  requestWebGpuDevice,
  WebGpuDeviceLostError,
  WebGpuUnavailableError,
} from '../../../src/backend/webgpu/adapter.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';

const gpu = await testWebGpuBackend();

/** A GPU whose requestAdapter resolves to `adapter`, recording the options it was asked with. */
function fakeGpu(adapter: GPUAdapter | null): GPU & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    requestAdapter: async (options?: unknown) => {
      asked.push(options);
      return adapter;
    },
  } as unknown as GPU & { asked: unknown[] };
}

interface FakeAdapter {
  adapter: GPUAdapter;
  /** The descriptors requestDevice was called with. */
  requested: GPUDeviceDescriptor[];
  /** Resolves the device's `lost` promise. */
  lose(info: { reason: string; message: string }): void;
  device: GPUDevice;
}

function fakeAdapter(info: Partial<GPUAdapterInfo>, limits: Record<string, number> = {}): FakeAdapter {
  let lose!: (info: { reason: string; message: string }) => void;
  const lost = new Promise<{ reason: string; message: string }>((resolve) => {
    lose = resolve;
  });
  const device = { lost } as unknown as GPUDevice;
  const requested: GPUDeviceDescriptor[] = [];
  const adapter = {
    info,
    limits,
    requestDevice: async (descriptor: GPUDeviceDescriptor) => {
      requested.push(descriptor);
      return device;
    },
  } as unknown as GPUAdapter;
  return { adapter, requested, lose, device };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('requestWebGpuDevice without an adapter', () => {
  it('names the gpu option when the GPU passed in returns no adapter', async () => {
    const error = await requestWebGpuDevice({ gpu: fakeGpu(null) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebGpuUnavailableError);
    expect(isWebGpuUnavailable(error)).toBe(true);
    expect((error as Error).message).toBe(
      'WebGPU is not available: the GPU object passed as the `gpu` option returned no adapter',
    );
  });

  it('names navigator.gpu and the Chromium flags when navigator.gpu returns no adapter', async () => {
    vi.stubGlobal('navigator', { gpu: fakeGpu(null) });
    const error = await requestWebGpuDevice().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebGpuUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('navigator.gpu returned no adapter');
    expect(message).toContain('--enable-unsafe-webgpu');
    expect(message).toContain('--use-webgpu-adapter=swiftshader');
    expect(message).toContain('or use the wasm backend');
  });

  it('says navigator.gpu is absent in a browser that does not expose WebGPU', async () => {
    // A browser: no process.versions.node. The check runs synchronously inside the call, so the
    // globals are restored before anything else in the test process can see them.
    vi.stubGlobal('process', { env: {} });
    vi.stubGlobal('navigator', {});
    const pending = requestWebGpuDevice();
    vi.unstubAllGlobals();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebGpuUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/^WebGPU is not available: navigator\.gpu is absent/);
    expect(message).toContain('secure context');
    expect(message).toContain('--enable-unsafe-webgpu');
  });

  it('recognises the error by name after it crossed a thread (the blocking backend rebuilds it)', () => {
    const rebuilt = new Error('WebGPU is not available: …');
    Object.defineProperty(rebuilt, 'name', { value: 'WebGpuUnavailableError' });
    expect(isWebGpuUnavailable(rebuilt)).toBe(true);
    expect(isWebGpuUnavailable(new Error('webgpu worker: matmul failed'))).toBe(false);
    expect(isWebGpuUnavailable(undefined)).toBe(false);
  });
});

describe('requestWebGpuDevice with an adapter', () => {
  it('prefers the gpu option to navigator.gpu, and passes powerPreference to requestAdapter', async () => {
    const fake = fakeAdapter({ description: 'Option GPU' });
    const option = fakeGpu(fake.adapter);
    const navigatorGpu = fakeGpu(fakeAdapter({ description: 'Navigator GPU' }).adapter);
    vi.stubGlobal('navigator', { gpu: navigatorGpu });
    const got = await requestWebGpuDevice({ gpu: option, powerPreference: 'high-performance' });
    expect(got.adapterName).toBe('Option GPU');
    expect(got.device).toBe(fake.device);
    expect(option.asked).toEqual([{ powerPreference: 'high-performance' }]);
    expect(navigatorGpu.asked).toEqual([]);
  });

  it('uses navigator.gpu when present (browsers, Deno)', async () => {
    vi.stubGlobal('navigator', { gpu: fakeGpu(fakeAdapter({ description: 'Navigator GPU' }).adapter) });
    expect((await requestWebGpuDevice()).adapterName).toBe('Navigator GPU');
  });

  it("asks for the adapter's maximum of the limits that bound tensor sizes and tiles, and no others", async () => {
    const fake = fakeAdapter(
      { description: 'Big GPU' },
      {
        maxStorageBufferBindingSize: 2 ** 31,
        maxBufferSize: 2 ** 32,
        maxComputeWorkgroupStorageSize: 65536,
        maxComputeInvocationsPerWorkgroup: 1024,
        maxComputeWorkgroupSizeX: 1024,
        maxComputeWorkgroupsPerDimension: 65535,
        maxStorageBuffersPerShaderStage: 16,
        maxTextureDimension2D: 32768,
      },
    );
    await requestWebGpuDevice({ gpu: fakeGpu(fake.adapter) });
    expect(fake.requested).toEqual([
      {
        requiredLimits: {
          maxStorageBufferBindingSize: 2 ** 31,
          maxBufferSize: 2 ** 32,
          maxComputeWorkgroupStorageSize: 65536,
          maxComputeInvocationsPerWorkgroup: 1024,
          maxComputeWorkgroupSizeX: 1024,
          maxComputeWorkgroupsPerDimension: 65535,
          maxStorageBuffersPerShaderStage: 16,
        },
      },
    ]);
  });

  it('names the adapter by its description, else vendor, architecture and device', () => {
    const name = (info: Partial<GPUAdapterInfo>) => describeAdapter(fakeAdapter(info).adapter);
    expect(name({ description: '  NVIDIA H100  ', vendor: 'nvidia' })).toBe('NVIDIA H100');
    expect(name({ description: '', vendor: 'apple', architecture: 'metal-3', device: '' })).toBe(
      'apple metal-3',
    );
    expect(name({})).toBe('unnamed WebGPU adapter');
  });
});

describe('a device lost after it was acquired', () => {
  it('becomes an error naming the adapter and what to do; destroy() is not a loss', async () => {
    const lost = fakeAdapter({ description: 'Flaky GPU' });
    const { device } = await requestWebGpuDevice({ gpu: fakeGpu(lost.adapter) });
    expect(deviceLostError(device)).toBeNull();
    lost.lose({ reason: 'unknown', message: 'the driver was reset' });
    await vi.waitFor(() => expect(deviceLostError(device)).not.toBeNull());
    const error = deviceLostError(device)!;
    expect(error).toBeInstanceOf(WebGpuDeviceLostError);
    expect(error.message).toBe(
      'the WebGPU device (Flaky GPU) was lost: the driver was reset; its tensors are gone. Start again with a new backend (initWebGpuBackend), or use the wasm backend',
    );

    const destroyed = fakeAdapter({ description: 'Closed GPU' });
    const closed = await requestWebGpuDevice({ gpu: fakeGpu(destroyed.adapter) });
    destroyed.lose({ reason: 'destroyed', message: '' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(deviceLostError(closed.device)).toBeNull();
  });

  it('is recognised through the errors training wraps it in, and by name after crossing a thread', () => {
    const lost = new WebGpuDeviceLostError('the WebGPU device (GPU) was lost');
    const wrapped = new Error('fit: epoch 1, batch 0: the WebGPU device (GPU) was lost', { cause: lost });
    expect(isWebGpuDeviceLost(lost)).toBe(true);
    expect(isWebGpuDeviceLost(new Error('summary: …', { cause: wrapped }))).toBe(true);
    const rebuilt = new Error('webgpu worker: read failed: the WebGPU device (GPU) was lost');
    Object.defineProperty(rebuilt, 'name', { value: 'WebGpuDeviceLostError' });
    expect(isWebGpuDeviceLost(rebuilt)).toBe(true);
    expect(
      isWebGpuDeviceLost(new Error('webgpu worker: matmul failed', { cause: new RangeError('x') })),
    ).toBe(false);
    expect(isWebGpuDeviceLost('lost')).toBe(false);
  });
});

describe('the webgpu package in Node', () => {
  it.skipIf(!gpu)(
    `gets a device with the raised limits and installs the WebGPU globals (${webgpuSkipReason})`,
    async () => {
      const { device, adapterName } = await requestWebGpuDevice();
      try {
        expect(adapterName.length).toBeGreaterThan(0);
        expect(adapterName).not.toBe('unnamed WebGPU adapter');
        // WebGPU's default binding limit is 128 MiB; the adapter's maximum is asked for.
        expect(device.limits.maxStorageBufferBindingSize).toBeGreaterThan(128 * 1024 * 1024);
        expect(device.limits.maxStorageBuffersPerShaderStage).toBeGreaterThan(8);
        const g = globalThis as Record<string, unknown>;
        expect((g.GPUBufferUsage as { STORAGE: number }).STORAGE).toBe(0x80);
        expect((g.GPUMapMode as { READ: number }).READ).toBe(1);
        // Only the globals the backend uses: not the whole WebGPU namespace.
        expect(g.GPUCanvasContext).toBeUndefined();
      } finally {
        device.destroy();
      }
    },
  );
});
