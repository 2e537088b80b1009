/**
 * copy on WebGPU: a strided view into a strided view of the same shape, any rank. Same-dtype copies
 * move bit patterns (u32), so NaN payloads, −0 and subnormals survive on devices that flush them;
 * float32 → int32 truncates toward zero and wraps as an Int32Array store does (NaN and ±∞ give 0),
 * int32 → float32 rounds to nearest-even; both as the reference backend's typed arrays do.
 */
import type { View } from '../../backend.js';
import { type KernelContext, Uniforms } from '../kernel_context.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';
import {
  planFields,
  planFunctions,
  planKey,
  planUniforms,
  planViews,
  type ViewPlan,
} from '../wgsl/strided.js';

type Conversion = 'move' | 'toInt32' | 'toFloat32';

export function copy(ctx: KernelContext, src: View, dst: View): void {
  let n = 1;
  for (const d of dst.shape) n *= d;
  if (n === 0) return;
  const conversion: Conversion =
    src.buffer.dtype === dst.buffer.dtype ? 'move' : dst.buffer.dtype === 'int32' ? 'toInt32' : 'toFloat32';
  const plan = planViews(dst.shape, [src, dst]);
  const uniforms = new Uniforms().u32(n);
  planUniforms(uniforms, plan);
  ctx.dispatch({
    key: `copy:${conversion}:${planKey(plan)}`,
    wgsl: () => copyWgsl(conversion, plan),
    bindings: [{ buffer: src.buffer }, { buffer: dst.buffer, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, n),
  });
}

function copyWgsl(conversion: Conversion, plan: ViewPlan): string {
  const types = { move: ['u32', 'u32'], toInt32: ['f32', 'i32'], toFloat32: ['i32', 'f32'] }[conversion];
  const value = conversion === 'move' ? 'v' : conversion === 'toInt32' ? 'x_toInt32(v)' : 'x_toFloat32(v)';
  return /* wgsl */ `
struct Params {
  n: u32,
  ${planFields(plan, ['src', 'dst'])}
}
@group(0) @binding(0) var<storage, read> src: array<${types[0]}>;
@group(0) @binding(1) var<storage, read_write> dst: array<${types[1]}>;
@group(0) @binding(2) var<uniform> params: Params;
${EXACT_WGSL}
${planFunctions(plan, ['src', 'dst'])}
${ELEMENTWISE_ENTRY} {
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  let v = src[at_src(i)];
  dst[at_dst(i)] = ${value};
}`;
}
