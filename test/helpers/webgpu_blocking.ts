/**
 * The blocking WebGPU backend (src/backend/webgpu/node/blocking_backend.ts) that test/backends.ts adds
 * to every spec, or null where there is none. Like test/helpers/webgpu_device.ts (the direct, async
 * backend the WebGPU kernel tests share), a missing adapter skips the entry on a developer's machine
 * and is an error under CI=true, so CI cannot silently drop the WebGPU suite.
 *
 * DESCENT_TEST_WEBGPU=0 leaves the entry out on purpose (a quick local run on the CPU backends alone);
 * CI refuses it.
 *
 * One backend per test process: it is kept on globalThis, so test files that Vitest runs in the same
 * process share its worker and device instead of starting one each (a device and its compiled
 * pipelines take a while on SwiftShader).
 */

import { createBlockingWebGpuBackend } from '../../src/backend/webgpu/node/blocking_backend.js';
import type { Backend } from '../../src/index.js';

type Create = () => Promise<Backend>;
type Env = Readonly<Record<string, string | undefined>>;

const KEY = Symbol.for('descent.test.blockingWebGpu');

/** The shared blocking backend for this process, or null (see the file comment). */
export function blockingWebGpuForTests(): Promise<Backend | null> {
  const store = globalThis as { [KEY]?: Promise<Backend | null> };
  store[KEY] ??= openBlockingWebGpu(createBlockingWebGpuBackend, process.env);
  return store[KEY];
}

/** The decision itself, with the factory and the environment injected (tested in bridge_ci.test.ts). */
export async function openBlockingWebGpu(create: Create, env: Env): Promise<Backend | null> {
  const ci = env.CI === 'true';
  if (env.DESCENT_TEST_WEBGPU === '0') {
    if (ci)
      throw new Error('DESCENT_TEST_WEBGPU=0 cannot leave the WebGPU backend out of the suite under CI=true');
    return null;
  }
  try {
    return await create();
  } catch (error) {
    if (ci) {
      throw new Error(
        `CI=true requires a WebGPU adapter for the suite's webgpu entry: ${(error as Error).message}`,
      );
    }
    return null;
  }
}
