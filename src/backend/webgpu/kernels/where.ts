/**
 * where on WebGPU: out = cond ≠ 0 ? a : b, all three strided views of the output's shape. Moves bit
 * patterns; a float condition is nonzero unless ±0 (NaN counts as nonzero, as `c !== 0` does).
 */
import type { BufferHandle, View } from '../../backend.js';
import { type KernelContext, Uniforms } from '../kernel_context.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';
import {
  planFields,
  planFunctions,
  planKey,
  planUniforms,
  planViews,
  type ViewPlan,
} from '../wgsl/strided.js';

const NAMES = ['cond', 'a', 'b'];

export function where(ctx: KernelContext, cond: View, a: View, b: View, out: BufferHandle): void {
  if (out.length === 0) return;
  const plan = planViews(a.shape, [cond, a, b]);
  const uniforms = new Uniforms().u32(out.length);
  planUniforms(uniforms, plan);
  const floatCond = cond.buffer.dtype !== 'int32';
  ctx.dispatch({
    key: `where:${floatCond ? 'f' : 'i'}:${planKey(plan)}`,
    wgsl: () => whereWgsl(floatCond, plan),
    bindings: [
      { buffer: cond.buffer },
      { buffer: a.buffer },
      { buffer: b.buffer },
      { buffer: out, write: true },
    ],
    uniforms,
    workgroups: elementGrid(ctx, out.length),
  });
}

function whereWgsl(floatCond: boolean, plan: ViewPlan): string {
  const mask = floatCond ? '0x7fffffffu' : '0xffffffffu';
  return /* wgsl */ `
struct Params {
  n: u32,
  ${planFields(plan, NAMES)}
}
@group(0) @binding(0) var<storage, read> cond: array<u32>;
@group(0) @binding(1) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;
${planFunctions(plan, NAMES)}
${ELEMENTWISE_ENTRY} {
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  if ((cond[at_cond(i)] & ${mask}) != 0u) { out[i] = a[at_a(i)]; } else { out[i] = b[at_b(i)]; }
}`;
}
