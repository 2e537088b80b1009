/**
 * Max pooling on WebGPU, forward and backward, with the reference's rules exactly (backend.ts): the
 * forward walks each window in row-major order, padding never wins, the first maximum wins, a NaN
 * replaces the best so far (so the last NaN wins, PyTorch's `val > max || isnan(val)`), and a window
 * entirely in the padding gets −∞ and index −1; one invocation per output. NaN is tested on the bits,
 * since WGSL lets a compiler assume comparisons never see one.
 *
 * The backward clears each plane and adds g[o] at indices[o] in order of o, one invocation per plane:
 * the same float32 additions in the same order as the reference (x_add, exact with subnormals too),
 * so the same bits, deterministically
 * and without atomics, whatever the indices hold (an index outside [0, H·W), such as the −1 of an
 * all-padding window, passes nothing). A gather per input pixel would be more parallel, but it can
 * only see indices inside the windows covering the pixel, which the interface does not promise.
 */
import type { MaxPool2dBackwardCall, MaxPool2dForwardCall, WindowSpec } from '../../backend.js';
import { type KernelContext, Uniforms } from '../kernel_context.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

/** The window geometry as the shaders' `Geometry` fields, in order. */
function geometry(spec: WindowSpec): Uniforms {
  return new Uniforms()
    .u32(spec.batch * spec.channels)
    .u32(spec.height)
    .u32(spec.width)
    .u32(spec.outHeight)
    .u32(spec.outWidth)
    .u32(spec.kernel[0])
    .u32(spec.kernel[1])
    .u32(spec.stride[0])
    .u32(spec.stride[1])
    .u32(spec.padding[0])
    .u32(spec.padding[1])
    .u32(spec.dilation[0])
    .u32(spec.dilation[1]);
}

const GEOMETRY = `planes: u32, height: u32, width: u32, outHeight: u32, outWidth: u32,
  kh: u32, kw: u32, sh: u32, sw: u32, ph: u32, pw: u32, dh: u32, dw: u32`;

export function maxPool2dForward(ctx: KernelContext, call: MaxPool2dForwardCall): void {
  const { x, spec, out, indices } = call;
  if (out.length === 0) return;
  ctx.dispatch({
    key: 'maxPool2dForward',
    wgsl: forwardWgsl,
    bindings: [{ buffer: x.buffer }, { buffer: out, write: true }, { buffer: indices, write: true }],
    uniforms: geometry(spec).u32(x.offset).u32(out.length),
    workgroups: elementGrid(ctx, out.length),
  });
}

function forwardWgsl(): string {
  return /* wgsl */ `
struct Params { ${GEOMETRY}, xOffset: u32, n: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> indices: array<i32>;
@group(0) @binding(3) var<uniform> params: Params;

fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
// The bits ordered like the values (±0 equal): a device that flushes subnormals would call 1e-40 and
// 0 equal in a float comparison.
fn keyOf(v: f32) -> i32 {
  let b = bitcast<i32>(v);
  return select(b, -(b & 0x7fffffff), b < 0);
}

${ELEMENTWISE_ENTRY} {
  let o = globalIndex(wid, nwg, lid);
  if (o >= params.n) { return; }
  let length = params.outHeight * params.outWidth;
  let plane = o / length;
  let oy = (o % length) / params.outWidth;
  let ox = o % params.outWidth;
  let base = params.xOffset + plane * params.height * params.width;
  var negInf = 0xff800000u;
  var best = bitcast<f32>(negInf);
  var index = -1;
  for (var i = 0u; i < params.kh; i++) {
    let y = i32(oy * params.sh + i * params.dh) - i32(params.ph);
    if (y < 0 || y >= i32(params.height)) { continue; }
    for (var j = 0u; j < params.kw; j++) {
      let xx = i32(ox * params.sw + j * params.dw) - i32(params.pw);
      if (xx < 0 || xx >= i32(params.width)) { continue; }
      let at = y * i32(params.width) + xx;
      let v = x[base + u32(at)];
      if (index < 0 || isNan(v) || (!isNan(best) && keyOf(v) > keyOf(best))) {
        best = v;
        index = at;
      }
    }
  }
  out[o] = best;
  indices[o] = index;
}`;
}

export function maxPool2dBackward(ctx: KernelContext, call: MaxPool2dBackwardCall): void {
  const { g, indices, spec, out } = call;
  const planes = spec.batch * spec.channels;
  if (planes === 0 || out.length === 0) return;
  ctx.dispatch({
    key: 'maxPool2dBackward',
    wgsl: backwardWgsl,
    bindings: [{ buffer: g.buffer }, { buffer: indices.buffer }, { buffer: out, write: true }],
    uniforms: geometry(spec).u32(g.offset).u32(indices.offset),
    workgroups: elementGrid(ctx, planes),
  });
}

function backwardWgsl(): string {
  return /* wgsl */ `
struct Params { ${GEOMETRY}, gOffset: u32, indicesOffset: u32 }
@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read> indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
${EXACT_WGSL}

${ELEMENTWISE_ENTRY} {
  x_zero = nwg.x >> 31u;
  let plane = globalIndex(wid, nwg, lid);
  if (plane >= params.planes) { return; }
  let size = params.height * params.width;
  let base = plane * size;
  for (var i = 0u; i < size; i++) { out[base + i] = 0.0; }
  let length = params.outHeight * params.outWidth;
  for (var o = 0u; o < length; o++) {
    let q = plane * length + o;
    let index = indices[params.indicesOffset + q];
    if (index < 0 || index >= i32(size)) { continue; }
    let at = base + u32(index);
    out[at] = x_add(out[at], g[params.gOffset + q]);
  }
}`;
}
