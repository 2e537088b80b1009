/**
 * fill on WebGPU: every element of `out` set to `value`, rounded to float32 or wrapped to int32 as a
 * typed array stores it. The shader stores the bit pattern, so NaN, −0 and subnormals are kept exactly.
 */
import type { BufferHandle } from '../../backend.js';
import { type KernelContext, Uniforms, wgslType } from '../kernel_context.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

export function fill(ctx: KernelContext, out: BufferHandle, value: number): void {
  const bits = new Uint32Array(1);
  if (wgslType(out.dtype) === 'f32') new Float32Array(bits.buffer)[0] = value;
  else new Int32Array(bits.buffer)[0] = value;
  const uniforms = new Uniforms().u32(out.length).u32(bits[0]!);
  ctx.dispatch({
    key: 'fill',
    wgsl: fillWgsl,
    bindings: [{ buffer: out, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, out.length),
  });
}

function fillWgsl(): string {
  return /* wgsl */ `
struct Params { n: u32, value: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;
${ELEMENTWISE_ENTRY} {
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  out[i] = params.value;
}`;
}
