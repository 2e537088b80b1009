/**
 * im2col and col2im on WebGPU, both with the reference's bits (src/backend/reference/windows.ts).
 * im2col is a move: one invocation per column element. col2im gathers instead of scattering: one
 * invocation per image element sums, from 0 and in the reference's order (kernel offsets row-major),
 * the column elements whose window covers it, so it needs neither atomics nor a cleared output; its
 * float32 adds are x_add (exact also where a subnormal is involved, which devices may flush to zero).
 */
import type { Col2imCall, Im2colCall, WindowSpec } from '../../backend.js';
import { type KernelContext, Uniforms, wgslType } from '../kernel_context.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

/** Unfolds x [N, C, H, W] into columns (NKL or KNL); padding reads padValue. */
export function im2col(ctx: KernelContext, call: Im2colCall): void {
  const { x, spec, padValue, out } = call;
  const count = out.length;
  const type = wgslType(out.dtype);
  const layout = spec.columnLayout ?? 'NKL';
  const uniforms = windowUniforms(spec, count, x.offset);
  if (type === 'f32') uniforms.f32(padValue);
  else uniforms.i32(padValue);
  ctx.dispatch({
    key: `im2col:${type}:${layout}`,
    wgsl: () => im2colWgsl(type, layout),
    bindings: [{ buffer: x.buffer }, { buffer: out, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, count),
  });
}

/** Sums columns back into out [N, C, H, W]; elements no window covers get 0. */
export function col2im(ctx: KernelContext, call: Col2imCall): void {
  const { cols, spec, out } = call;
  const count = out.length;
  const type = wgslType(out.dtype);
  const layout = spec.columnLayout ?? 'NKL';
  ctx.dispatch({
    key: `col2im:${type}:${layout}`,
    wgsl: () => col2imWgsl(type, layout),
    bindings: [{ buffer: cols.buffer }, { buffer: out, write: true }],
    uniforms: windowUniforms(spec, count, cols.offset),
    workgroups: elementGrid(ctx, count),
  });
}

/** The geometry, in the order of WINDOW_PARAMS. */
function windowUniforms(spec: WindowSpec, count: number, offset: number): Uniforms {
  return new Uniforms()
    .u32(count)
    .u32(offset)
    .u32(spec.batch)
    .u32(spec.channels)
    .u32(spec.height)
    .u32(spec.width)
    .u32(spec.kernel[0])
    .u32(spec.kernel[1])
    .i32(spec.stride[0])
    .i32(spec.stride[1])
    .i32(spec.padding[0])
    .i32(spec.padding[1])
    .i32(spec.dilation[0])
    .i32(spec.dilation[1])
    .i32(spec.outHeight)
    .i32(spec.outWidth);
}

const WINDOW_PARAMS = `count: u32, offset: u32, batch: u32, channels: u32, height: u32, width: u32, kh: u32, kw: u32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, outH: i32, outW: i32`;

/** WGSL: the index of column element (b, row, l) in the layout's order. */
function columnIndex(layout: 'NKL' | 'KNL'): string {
  const rows = 'params.channels * params.kh * params.kw';
  const length = 'u32(params.outH * params.outW)';
  return layout === 'KNL'
    ? `fn columnIndex(b: u32, row: u32, l: u32) -> u32 { return (row * params.batch + b) * ${length} + l; }`
    : `fn columnIndex(b: u32, row: u32, l: u32) -> u32 { return (b * ${rows} + row) * ${length} + l; }`;
}

function im2colWgsl(type: 'f32' | 'i32', layout: 'NKL' | 'KNL'): string {
  // The column element's (b, row, l) from its index, as columnIndex lays them out.
  const split =
    layout === 'KNL'
      ? 'let b = rest % params.batch; let row = rest / params.batch;'
      : 'let row = rest % rows; let b = rest / rows;';
  return /* wgsl */ `
struct Params { ${WINDOW_PARAMS}, padValue: ${type} }
@group(0) @binding(0) var<storage, read> x: array<${type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<uniform> params: Params;
${ELEMENTWISE_ENTRY} {
  let k = globalIndex(wid, nwg, lid);
  if (k >= params.count) { return; }
  let length = u32(params.outH * params.outW);
  let rows = params.channels * params.kh * params.kw;
  let l = k % length;
  let rest = k / length;
  ${split}
  let kj = i32(row % params.kw);
  let ki = i32((row / params.kw) % params.kh);
  let c = row / (params.kw * params.kh);
  let y = i32(l / u32(params.outW)) * params.sh - params.ph + ki * params.dh;
  let xx = i32(l % u32(params.outW)) * params.sw - params.pw + kj * params.dw;
  if (y < 0 || y >= i32(params.height) || xx < 0 || xx >= i32(params.width)) {
    out[k] = params.padValue;
    return;
  }
  out[k] = x[params.offset + ((b * params.channels + c) * params.height + u32(y)) * params.width + u32(xx)];
}`;
}

function col2imWgsl(type: 'f32' | 'i32', layout: 'NKL' | 'KNL'): string {
  return /* wgsl */ `
struct Params { ${WINDOW_PARAMS} }
@group(0) @binding(0) var<storage, read> cols: array<${type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<uniform> params: Params;
${columnIndex(layout)}
${type === 'f32' ? EXACT_WGSL : ''}
${ELEMENTWISE_ENTRY} {
  let k = globalIndex(wid, nwg, lid);
  if (k >= params.count) { return; }
  let xx = i32(k % params.width);
  let y = i32((k / params.width) % params.height);
  let c = (k / (params.width * params.height)) % params.channels;
  let b = k / (params.width * params.height * params.channels);
  var s: ${type} = ${type}(0);
  for (var ki = 0u; ki < params.kh; ki = ki + 1u) {
    let ty = y + params.ph - i32(ki) * params.dh;
    if (ty < 0 || ty % params.sh != 0 || ty / params.sh >= params.outH) { continue; }
    for (var kj = 0u; kj < params.kw; kj = kj + 1u) {
      let tx = xx + params.pw - i32(kj) * params.dw;
      if (tx < 0 || tx % params.sw != 0 || tx / params.sw >= params.outW) { continue; }
      let l = u32((ty / params.sh) * params.outW + tx / params.sw);
      let v = cols[params.offset + columnIndex(b, (c * params.kh + ki) * params.kw + kj, l)];
      s = ${type === 'f32' ? 'x_add(s, v)' : 's + v'};
    }
  }
  out[k] = s;
}`;
}
