/** fill on WebGPU: every element of `out` set to `value` (rounded to float32, or wrapped to int32, as a typed array stores it). */
import type { BufferHandle } from '../../backend.js';
import { type KernelContext, Uniforms, wgslType } from '../kernel_context.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

export function fill(ctx: KernelContext, out: BufferHandle, value: number): void {
  const type = wgslType(out.dtype);
  const uniforms = new Uniforms().u32(out.length);
  if (type === 'f32') uniforms.f32(value);
  else uniforms.i32(value);
  ctx.dispatch({
    key: `fill:${type}`,
    wgsl: () => fillWgsl(type),
    bindings: [{ buffer: out, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, out.length),
  });
}

function fillWgsl(type: 'f32' | 'i32'): string {
  return /* wgsl */ `
struct Params { n: u32, value: ${type} }
@group(0) @binding(0) var<storage, read_write> out: array<${type}>;
@group(0) @binding(1) var<uniform> params: Params;
${ELEMENTWISE_ENTRY} {
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  out[i] = params.value;
}`;
}
