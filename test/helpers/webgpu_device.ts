/**
 * The WebGPU backend the WebGPU tests share: one device per test worker (creating devices is slow and
 * each holds GPU memory). Without an adapter `testWebGpuBackend()` resolves to null and the tests skip
 * with `webgpuSkipReason` in their titles; under CI=true a missing adapter is an error instead, so CI
 * cannot silently skip the WebGPU suite. vitest.config.ts points Dawn at SwiftShader (Vulkan on the
 * CPU) when it is installed, so these tests run on machines without a GPU.
 */
import { requestWebGpuDevice } from '../../src/backend/webgpu/adapter.js';
import { WebGpuBackend } from '../../src/backend/webgpu/webgpu_backend.js';

export const webgpuSkipReason =
  'no WebGPU adapter (install the webgpu package and a Vulkan driver, or SwiftShader: see vitest.config.ts)';

let shared: Promise<WebGpuBackend | null> | undefined;

/** The shared backend, or null when this machine has no WebGPU adapter (an error under CI=true). */
export function testWebGpuBackend(): Promise<WebGpuBackend | null> {
  shared ??= open();
  return shared;
}

async function open(): Promise<WebGpuBackend | null> {
  try {
    const { device, adapterName } = await requestWebGpuDevice();
    return new WebGpuBackend({ device, adapterName });
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`CI=true requires a WebGPU adapter for the WebGPU tests: ${(error as Error).message}`);
    }
    return null;
  }
}
