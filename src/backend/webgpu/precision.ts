/**
 * The WebGPU backend's precision contract against the reference backend (src/backend/precision.ts).
 * Storage and arithmetic are float32. WGSL's + − × are correctly rounded, so the kernels built from
 * them alone (moves, fills, conversions, where, comparisons, min/max, add/sub/mul) give the
 * reference's bits; ÷, √ and the transcendental functions are not correctly rounded in WGSL, so the
 * elementwise kernels compute them with float32 polynomials of their own (ported from the WebAssembly
 * backend's) and the bounds below are what was measured against the reference over many inputs
 * (test/backend/webgpu/elementwise*.test.ts). Sums use double-float (two-f32) accumulation; matrix
 * products accumulate in float32.
 */
import type { KernelName } from '../capabilities.js';
import type { Precision } from '../precision.js';

const EXACT: readonly KernelName[] = [
  'fill',
  'copy',
  'where',
  // H2: moves, and sums in the reference's order with its float32 roundings (kernels/gather.ts,
  // scatter_add.ts, windows.ts).
  'gather',
  'scatterAdd',
  'im2col',
  'col2im',
];

export const WEBGPU_PRECISION: Precision = {
  reference: false,
  exact: EXACT,
  ulps: {},
  accumulation: 2 ** -23,
  rtol: 2e-6,
  atol: 2e-6,
};
