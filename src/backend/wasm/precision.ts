/**
 * The WebAssembly backend's precision contract against the reference backend (see
 * src/backend/precision.ts), as its kernels keep it (docs/ARCHITECTURE.md, Numerics):
 *
 * - The same bits: moves, fills, conversions, where, gather, scatter-add, the window unfold, the
 *   correctly rounded elementwise ops (+ − × ÷ √, min/max, comparisons), max/min/arg reductions, and
 *   the fused kernels that keep the reference's order of operations (activation backward, batch norm
 *   both ways, max pooling both ways, the softmax cross-entropy backward, the optimizer updates); the
 *   direct convolution forward too, except on the relaxed-SIMD build, which fuses its multiply-adds.
 * - Within ulps: exp 1, log, tanh and sigmoid 2 (float32 polynomials of their own); erf, elu,
 *   softplus, GELU and pow 1 (float64, rounded once); sums 1 (float64 in eight lanes).
 * - Float32 accumulation: matmul, linear and the convolution gradients sum in their own order.
 * - Relative: softmax and the softmax cross-entropy forward (float32 exp, float64 sums).
 */
import type { KernelName } from '../capabilities.js';
import type { Precision } from '../precision.js';
import type { WasmVariant } from './features.js';

const EXACT: readonly KernelName[] = [
  'fill',
  'copy',
  'unary',
  'binary',
  'where',
  'reduce',
  'gather',
  'scatterAdd',
  'im2col',
  'col2im',
  'activationBackward',
  'batchNormForward',
  'batchNormBackward',
  'softmaxCrossEntropyBackward',
  'maxPool2dForward',
  'maxPool2dBackward',
  'optimizerUpdate',
];

/** The contract of one build: the relaxed-SIMD build's direct convolution is not exact (FMA). */
export function wasmPrecision(variant: WasmVariant): Precision {
  return {
    reference: false,
    exact: variant === 'relaxed-simd' ? EXACT : [...EXACT, 'conv2d'],
    ulps: {
      exp: 1,
      log: 2,
      tanh: 2,
      sigmoid: 2,
      erf: 1,
      elu: 1,
      softplus: 1,
      gelu: 1,
      pow: 1,
      sum: 1,
    },
    accumulation: 2 ** -23,
    rtol: 2e-6,
    atol: 2e-6,
  };
}
