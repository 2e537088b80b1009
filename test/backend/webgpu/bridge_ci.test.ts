/**
 * Whether the suite's 'webgpu' entry exists (test/helpers/webgpu_blocking.ts): skipped on a machine
 * without an adapter, an error under CI=true, so CI cannot silently run the suite without WebGPU.
 * The factory is injected, so this runs on every machine.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../src/index.js';
import { openBlockingWebGpu } from '../../helpers/webgpu_blocking.js';

const noAdapter = () => Promise.reject(new Error('WebGPU is not available: no adapter'));
const someBackend = () => Promise.resolve(new ReferenceBackend() as Backend);

describe("the suite's webgpu entry", () => {
  it('is left out when creating the backend fails outside CI', async () => {
    expect(await openBlockingWebGpu(noAdapter, {})).toBeNull();
  });

  it("is an error under CI=true when creating the backend fails, with the adapter's message", async () => {
    await expect(openBlockingWebGpu(noAdapter, { CI: 'true' })).rejects.toThrow(
      "CI=true requires a WebGPU adapter for the suite's webgpu entry: WebGPU is not available: no adapter",
    );
  });

  it('is the created backend when there is one', async () => {
    const backend = await openBlockingWebGpu(someBackend, { CI: 'true' });
    expect(backend?.name).toBe('reference');
  });

  it('is left out by DESCENT_TEST_WEBGPU=0 without trying, except under CI=true', async () => {
    let tried = false;
    const create = () => {
      tried = true;
      return someBackend();
    };
    expect(await openBlockingWebGpu(create, { DESCENT_TEST_WEBGPU: '0' })).toBeNull();
    expect(tried).toBe(false);
    await expect(openBlockingWebGpu(create, { DESCENT_TEST_WEBGPU: '0', CI: 'true' })).rejects.toThrow(
      'DESCENT_TEST_WEBGPU=0 cannot leave the WebGPU backend out of the suite under CI=true',
    );
  });
});
