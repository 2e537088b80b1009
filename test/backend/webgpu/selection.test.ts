/**
 * DESCENT_BACKEND: the names it accepts (webgpu and auto among them), its refusal of others, and the
 * synchronous default it gives on import, which cannot be a GPU (a device is only acquired
 * asynchronously: `await initBackend()` and the CLI honour webgpu and auto).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_NAMES, requestedBackend } from '../../../src/backend/registry.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The default backend's name when registry.ts is imported with DESCENT_BACKEND=`value`. */
async function defaultOnImport(value: string): Promise<string> {
  vi.stubEnv('DESCENT_BACKEND', value);
  vi.resetModules();
  const registry = await import('../../../src/backend/registry.js');
  return registry.getBackend().name;
}

describe('DESCENT_BACKEND', () => {
  it('accepts reference, wasm, webgpu and auto; unset or empty means no request', () => {
    expect(BACKEND_NAMES).toEqual(['reference', 'wasm', 'webgpu', 'auto']);
    for (const name of BACKEND_NAMES) {
      vi.stubEnv('DESCENT_BACKEND', name);
      expect(requestedBackend()).toBe(name);
    }
    vi.stubEnv('DESCENT_BACKEND', '');
    expect(requestedBackend()).toBeUndefined();
  });

  it('refuses another name, listing the accepted ones', () => {
    vi.stubEnv('DESCENT_BACKEND', 'gpu');
    expect(() => requestedBackend()).toThrow(
      'DESCENT_BACKEND=gpu is not a backend; accepted: reference, wasm, webgpu, auto',
    );
  });

  it('webgpu and auto leave the synchronous default on wasm; reference takes effect on import', async () => {
    expect(await defaultOnImport('webgpu')).toBe('wasm');
    expect(await defaultOnImport('auto')).toBe('wasm');
    expect(await defaultOnImport('reference')).toBe('reference');
  });
});
