/**
 * requestWebGpuDevice in Node when the `webgpu` package is missing, fails to load, or loads but Dawn
 * finds no adapter: the message names what was tried and what to do. The package is mocked, or its
 * loader's errors given to dawnLoadError, so these run the same with or without a GPU.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

/** adapter.ts imported afresh (as a process would) with a `webgpu` package whose Dawn finds no adapter. */
async function adapterWithoutAdapters(): Promise<typeof import('../../../src/backend/webgpu/adapter.js')> {
  vi.resetModules();
  vi.doMock('webgpu', () => ({
    create: () => ({ requestAdapter: async () => null }) as unknown as GPU,
    globals: {},
  }));
  return import('../../../src/backend/webgpu/adapter.js');
}

afterEach(() => {
  vi.doUnmock('webgpu');
  vi.resetModules();
});

describe('the webgpu package', () => {
  it('loaded, but Dawn found no adapter: names the package and the SwiftShader variables', async () => {
    const adapter = await adapterWithoutAdapters();
    const error = await adapter.requestWebGpuDevice().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(adapter.WebGpuUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^WebGPU is not available: the `webgpu` package \(Dawn\) loaded but found no adapter/,
    );
    expect(message).toContain('VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json');
    expect(message).toContain('LD_LIBRARY_PATH=/usr/lib/chromium');
    expect(message).toContain('or use the wasm backend');
  });

  it('not installed: says to install it', async () => {
    const { dawnLoadError } = await import('../../../src/backend/webgpu/adapter.js');
    // Node's error for a missing package, as import('webgpu') throws it.
    const missing = Object.assign(new Error("Cannot find package 'webgpu' imported from /app/adapter.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(dawnLoadError(missing).message).toBe(
      'WebGPU is not available in Node: the optional package `webgpu` (Dawn) is not installed; install it with `npm install webgpu`, or use the wasm backend',
    );
  });

  it("installed but its native addon does not load: quotes the loader's error, never says 'not installed'", async () => {
    const { dawnLoadError, isWebGpuUnavailable } = await import('../../../src/backend/webgpu/adapter.js');
    // The package's own require of dawn.node fails with the same code when there is no build for the platform.
    const noBuild = Object.assign(
      new Error("Cannot find module '/app/node_modules/webgpu/dist/freebsd-x64/dawn.node'"),
      {
        code: 'MODULE_NOT_FOUND',
      },
    );
    const broken = new Error('dawn.node: invalid ELF header');
    for (const error of [noBuild, broken]) {
      const wrapped = dawnLoadError(error);
      expect(isWebGpuUnavailable(wrapped)).toBe(true);
      expect(wrapped.message).toContain('the package `webgpu` is installed but failed to load');
      expect(wrapped.message).toContain(error.message);
      expect(wrapped.message).not.toContain('not installed');
    }
  });
});
