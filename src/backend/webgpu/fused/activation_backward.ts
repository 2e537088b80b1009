/**
 * activationBackward on WebGPU: out = g·act′ from the activation's output y, with the reference's
 * float32 operations in its order (backend.ts): relu g where y > 0 (a NaN y passes g, as PyTorch),
 * else +0; sigmoid g·(y·(1 − y)); tanh g·(1 − y·y); none g. Every operation is a correctly rounded
 * WGSL + − ×, so the results are the reference's bits, provided the compiler does not fuse y·y into
 * the subtraction: the product is multiplied by a uniform 1 first (`params.one`), which a compiler
 * cannot fold, so at most that multiply fuses, with the product already rounded. Products whose
 * result may be subnormal use `x_mul` (wgsl/exact.ts), since SwiftShader flushes subnormals.
 */
import type { ActivationBackwardCall, FusedActivation } from '../../backend.js';
import { type KernelContext, Uniforms } from '../kernel_context.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

export function activationBackward(ctx: KernelContext, call: ActivationBackwardCall): void {
  const { activation, g, y, out } = call;
  if (out.length === 0) return;
  const uniforms = new Uniforms().u32(out.length).u32(g.offset).u32(y.offset).f32(1);
  ctx.dispatch({
    key: `activationBackward:${activation}`,
    wgsl: () => activationBackwardWgsl(activation),
    bindings: [{ buffer: g.buffer }, { buffer: y.buffer }, { buffer: out, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, out.length),
  });
}

const DERIVATIVE: Record<FusedActivation, string> = {
  none: 'gv',
  // y ≤ 0 → 0 on the bits, so that a NaN y passes g and a subnormal y counts as positive.
  relu: 'select(gv, 0.0, !x_isNan(yv) && x_key(yv) <= 0)',
  sigmoid: 'x_mul(gv, x_mul(yv, 1.0 - yv))',
  tanh: 'x_mul(gv, 1.0 - (yv * yv) * params.one)',
};

function activationBackwardWgsl(activation: FusedActivation): string {
  return /* wgsl */ `
struct Params { n: u32, gOffset: u32, yOffset: u32, one: f32 }
@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

${EXACT_WGSL}

${ELEMENTWISE_ENTRY} {
  x_zero = nwg.x >> 31u;
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  let gv = g[params.gOffset + i];
  let yv = y[params.yOffset + i];
  out[i] = ${DERIVATIVE[activation]};
}`;
}
