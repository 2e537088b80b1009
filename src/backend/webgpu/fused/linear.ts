/**
 * The fused linear kernel on WebGPU: out = act(x·Wᵀ + bias) in one dispatch, the GEMM (kernels/
 * gemm_wgsl.ts) with W read transposed in place and an epilogue that adds the bias to the float32
 * sum (one rounding, as the unfused add) and then applies the activation.
 */
import type { LinearCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';
import { matrixOperand } from '../kernels/gemm_wgsl.js';
import { recordGemm } from '../kernels/matmul.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { MATH_WGSL } from '../wgsl/math.js';

export function linear(ctx: KernelContext, call: LinearCall): void {
  const { x, weight, bias, m, n, k, activation, out } = call;
  recordGemm(ctx, {
    a: x.buffer,
    b: weight.buffer,
    bias: bias?.buffer ?? null,
    out,
    m,
    n,
    k,
    aOffset: x.offset,
    bOffset: weight.offset,
    biasOffset: bias?.offset ?? 0,
    batch: { shape: [], aStrides: [], bStrides: [] },
    aOperand: matrixOperand('A', false),
    bOperand: matrixOperand('B', true),
    epilogue: { bias: bias === null ? 'none' : 'col', activation },
    ...(activation === 'sigmoid' || activation === 'tanh' ? { library: ACTIVATION_WGSL } : {}),
  });
}

/**
 * sigmoid and tanh for the epilogue: the elementwise kernels' float32 polynomials (wgsl/math.ts), so
 * the fused and unfused activations agree and stay within the ulps precision.ts declares for them
 * (WGSL's own exp may be off by 3 + 2|x| ulp: 16 ulp of sigmoid measured on SwiftShader).
 */
const ACTIVATION_WGSL = `${EXACT_WGSL}
${MATH_WGSL}
fn act_sigmoid(x: f32) -> f32 { return m_sigmoid(x); }
fn act_tanh(x: f32) -> f32 { return m_tanh(x); }`;
