/**
 * Which WebAssembly build runs: relaxed SIMD wherever the runtime can run it (Node 20 included, where
 * descent turns the flag on), and DESCENT_WASM_VARIANT to pin a build.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { detectVariant, relaxedSimdProbe, requestedVariant } from '../../src/backend/wasm/features.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';

const saved = process.env.DESCENT_WASM_VARIANT;
afterEach(() => {
  if (saved === undefined) delete process.env.DESCENT_WASM_VARIANT;
  else process.env.DESCENT_WASM_VARIANT = saved;
});

describe('wasm build selection', () => {
  it('runs the relaxed-SIMD build by default, also on Node 20 (the flag is enabled at load time)', () => {
    delete process.env.DESCENT_WASM_VARIANT;
    expect(detectVariant()).toBe('relaxed-simd');
    expect(WebAssembly.validate(relaxedSimdProbe)).toBe(true);
    expect(new WasmBackend().variant).toBe('relaxed-simd');
  });

  it('DESCENT_WASM_VARIANT pins the build', () => {
    for (const v of ['simd', 'scalar', 'relaxed-simd'] as const) {
      process.env.DESCENT_WASM_VARIANT = v;
      expect(requestedVariant()).toBe(v);
      expect(detectVariant()).toBe(v);
      expect(new WasmBackend().variant).toBe(v);
    }
  });

  it('rejects a DESCENT_WASM_VARIANT that is not a build, naming the accepted ones', () => {
    process.env.DESCENT_WASM_VARIANT = 'avx512';
    expect(() => detectVariant()).toThrow(
      'DESCENT_WASM_VARIANT=avx512 is not a build; use relaxed-simd, simd, scalar',
    );
  });
});
