/**
 * gather on WebGPU: out[o, j, i] = x[o, index[o, j, i], i], one invocation per output element. A move,
 * so it gives the reference's bits (float32 or int32 x); the indices were validated by the op layer.
 */
import type { GatherCall } from '../../backend.js';
import { type KernelContext, Uniforms, wgslType } from '../kernel_context.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

export function gather(ctx: KernelContext, call: GatherCall): void {
  const { x, index, outer, xLength, indexLength, inner, out } = call;
  const count = outer * indexLength * inner;
  const type = wgslType(x.buffer.dtype);
  ctx.dispatch({
    key: `gather:${type}`,
    wgsl: () => gatherWgsl(type),
    bindings: [{ buffer: x.buffer }, { buffer: index.buffer }, { buffer: out, write: true }],
    uniforms: new Uniforms()
      .u32(count)
      .u32(x.offset)
      .u32(index.offset)
      .u32(xLength)
      .u32(indexLength)
      .u32(inner),
    workgroups: elementGrid(ctx, count),
  });
}

function gatherWgsl(type: 'f32' | 'i32'): string {
  return /* wgsl */ `
struct Params { n: u32, xOffset: u32, indexOffset: u32, xLength: u32, indexLength: u32, inner: u32 }
@group(0) @binding(0) var<storage, read> x: array<${type}>;
@group(0) @binding(1) var<storage, read> index: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@group(0) @binding(3) var<uniform> params: Params;
${ELEMENTWISE_ENTRY} {
  let k = globalIndex(wid, nwg, lid);
  if (k >= params.n) { return; }
  let q = k % params.inner;
  let p = k / (params.indexLength * params.inner);
  let row = u32(index[params.indexOffset + k]);
  out[k] = x[params.xOffset + (p * params.xLength + row) * params.inner + q];
}`;
}
