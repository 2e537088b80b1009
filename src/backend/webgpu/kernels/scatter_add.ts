/**
 * scatterAdd on WebGPU: out[o, index[o, j, i], i] += src[o, j, i], out not cleared. Deterministic and
 * with the reference's bits, without atomics: one invocation per column (o, i) walks j in order and
 * adds each source element into its row with one float32 rounding, as the reference's float32 `+=`
 * does (x_add: also where a subnormal is involved, which devices may flush to zero). Different columns
 * never touch the same output element, so the invocations are independent.
 */
import type { ScatterAddCall } from '../../backend.js';
import { type KernelContext, Uniforms, wgslType } from '../kernel_context.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

export function scatterAdd(ctx: KernelContext, call: ScatterAddCall): void {
  const { src, index, outer, outLength, indexLength, inner, out } = call;
  const columns = outer * inner;
  const type = wgslType(out.dtype);
  ctx.dispatch({
    key: `scatterAdd:${type}`,
    wgsl: () => scatterAddWgsl(type),
    bindings: [{ buffer: src.buffer }, { buffer: index.buffer }, { buffer: out, write: true }],
    uniforms: new Uniforms()
      .u32(columns)
      .u32(src.offset)
      .u32(index.offset)
      .u32(outLength)
      .u32(indexLength)
      .u32(inner),
    workgroups: elementGrid(ctx, columns),
  });
}

function scatterAddWgsl(type: 'f32' | 'i32'): string {
  return /* wgsl */ `
struct Params { columns: u32, srcOffset: u32, indexOffset: u32, outLength: u32, indexLength: u32, inner: u32 }
@group(0) @binding(0) var<storage, read> src: array<${type}>;
@group(0) @binding(1) var<storage, read> index: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@group(0) @binding(3) var<uniform> params: Params;
${type === 'f32' ? EXACT_WGSL : ''}
${ELEMENTWISE_ENTRY} {
  let column = globalIndex(wid, nwg, lid);
  if (column >= params.columns) { return; }
  let p = column / params.inner;
  let q = column % params.inner;
  for (var j = 0u; j < params.indexLength; j = j + 1u) {
    let k = (p * params.indexLength + j) * params.inner + q;
    let row = (p * params.outLength + u32(index[params.indexOffset + k])) * params.inner + q;
    out[row] = ${type === 'f32' ? 'x_add(out[row], src[params.srcOffset + k])' : 'out[row] + src[params.srcOffset + k]'};
  }
}`;
}
