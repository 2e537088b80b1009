/**
 * The WebGPU backend's precision contract against the reference backend (src/backend/precision.ts).
 * Storage and arithmetic are float32.
 *
 * The elementwise kernels do not trust the device's float arithmetic where WGSL does not promise IEEE
 * results: ÷ (2.5 ulp in WGSL), √, conversions and comparisons are done on the bit patterns
 * (wgsl/exact.ts), and + − × take an exact path when a subnormal is involved (SwiftShader and many
 * GPUs flush subnormals to zero). So moves, fills, conversions, where, + − × ÷ √, min/max and the
 * comparisons give the reference's bits. The transcendental functions are float32 polynomials
 * (wgsl/math.ts, erf.ts); their bounds below are the largest errors measured against the reference
 * over 2·10⁵ inputs per op spread over the float32 range, edge values included
 * (test/backend/webgpu/elementwise.test.ts keeps them), with a unit of margin where the measured
 * maximum was reached only once:
 *
 * - exp 1, log 2, tanh 2, sigmoid 2 (the WebAssembly backend's polynomials), rsqrt 1 (√ then ÷, two
 *   roundings), erf 2, leakyRelu 1 (the float64 slope as two float32s), elu 3 and softplus 4 (Kahan's
 *   expm1 and log1p), pow 3 (exp of a two-float b·log a; 2 measured).
 * - GELU 3 for x ≥ −5.5, the only declaration the Precision type can carry. Below (|GELU| < 3·10⁻⁷),
 *   NOT covered by it: the kernel is within 16 ulps, and the reference's float64 formulas round
 *   1 + erf(x/√2) and 1 + tanh(u) to multiples of 2⁻⁵³ (tiny there, so each step is many float32
 *   ulps); the kernel rounds to the same grid and may land one step (2⁻⁵³·|x|/2 absolute) away.
 *
 * Reductions, softmax and the fused kernels are declared by their authors below (sums in double-float
 * "df64", matrix products accumulated in float32).
 */
import type { KernelName } from '../capabilities.js';
import type { Precision } from '../precision.js';

const EXACT: readonly KernelName[] = [
  'fill',
  'copy',
  'unary',
  'binary',
  'where',
  // H2: moves, and sums in the reference's order with its float32 roundings (kernels/gather.ts,
  // scatter_add.ts, windows.ts).
  'gather',
  'scatterAdd',
  'im2col',
  'col2im',
  // H3: reductions (df64 sums round like the reference's float64 ones; see ulps.sum), and the fused
  // kernels that keep the reference's order of operations.
  'reduce',
  'activationBackward',
  'softmaxCrossEntropyBackward',
  'maxPool2dForward',
  'maxPool2dBackward',
];

export const WEBGPU_PRECISION: Precision = {
  reference: false,
  exact: EXACT,
  ulps: {
    exp: 1,
    log: 2,
    tanh: 2,
    sigmoid: 2,
    rsqrt: 1,
    erf: 2,
    leakyRelu: 1,
    elu: 3,
    softplus: 4,
    gelu: 3,
    pow: 3,
    // H3: df64 sums give the reference's bits unless the exact sum is within ~2⁻⁴⁴ of a float32 midpoint.
    sum: 1,
  },
  accumulation: 2 ** -23,
  rtol: 2e-6,
  atol: 2e-6,
};
