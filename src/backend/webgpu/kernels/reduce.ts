/**
 * Reductions along the middle axis of a contiguous [outer, length, inner] block on WebGPU, with the
 * reference backend's meaning (backend.ts): float sums in double-float (df64, wgsl/df64.ts) rounded
 * once, so they give the reference's float64-then-float32 result almost always; int32 sums wrap as the
 * reference's Int32Array store does; max and min let the first NaN win; every extremum keeps the first
 * occurrence among equals (which also picks the reference's −0 or +0), and the arg-reductions write
 * its int32 index.
 *
 * Two shapes of launch, both with a fixed combination order, so results are deterministic:
 * - serial (short rows, or many strided ones): one invocation per output walks its row in order;
 * - tree: one workgroup of TREE_WORKGROUP (64) per output; invocation t folds elements t, t + 64, …
 *   then the 64 partial results meet in a fixed binary tree in workgroup memory. Extrema compare
 *   indices explicitly, so the tree picks the same element as the in-order walk. 64, not 256: SwiftShader
 *   runs every invocation of a workgroup through each barrier, and a 256-wide tree cost ~4 ms per
 *   output there (100 rows of 784: 410 ms per call, 32 ms at 64).
 */
import type { ReduceCall, ReduceOp } from '../../backend.js';
import { gridFor, type KernelContext, Uniforms, wgslType } from '../kernel_context.js';
import { DF64_WGSL } from '../wgsl/df64.js';
import { EXACT_WGSL } from '../wgsl/exact.js';

/** Rows up to this length are reduced by one invocation each; longer ones by a workgroup… */
const SERIAL_MAX_LENGTH = 64;
/**
 * …unless they are strided (inner > 1) and there are at least this many: then neighbouring
 * invocations read neighbouring elements (coalesced) and the rows alone fill the device, as in the
 * bias gradient's sum over the batch axis.
 */
const SERIAL_MIN_STRIDED_ROWS = 1024;
const SERIAL_WORKGROUP = 64;
const TREE_WORKGROUP = 64;

export function reduce(ctx: KernelContext, call: ReduceCall): void {
  const { op, x, outer, length, inner, out } = call;
  const count = outer * inner;
  if (count === 0) return;
  const type = wgslType(x.buffer.dtype);
  const tree = length > SERIAL_MAX_LENGTH && (inner === 1 || count < SERIAL_MIN_STRIDED_ROWS);
  const limit = ctx.limits.maxWorkgroupsPerDimension;
  ctx.dispatch({
    key: `reduce:${op}:${type}:${tree ? 'tree' : 'serial'}`,
    wgsl: () => reduceWgsl(op, type, tree),
    bindings: [{ buffer: x.buffer }, { buffer: out, write: true }],
    uniforms: new Uniforms().u32(outer).u32(length).u32(inner).u32(x.offset),
    workgroups: tree ? gridFor(count, limit) : gridFor(Math.ceil(count / SERIAL_WORKGROUP), limit),
  });
}

/** The accumulator of one reduction: its WGSL type, start value, fold of one element, merge, result. */
function accumulatorWgsl(op: ReduceOp, type: 'f32' | 'i32'): string {
  if (op === 'sum' && type === 'f32') return FLOAT_SUM_WGSL;
  if (op === 'sum') {
    return `
alias Acc = i32;
fn accInit() -> Acc { return 0; }
fn accPush(a: Acc, v: i32, j: u32) -> Acc { return a + v; }
fn accMerge(a: Acc, b: Acc) -> Acc { return a + b; }
fn accResult(a: Acc) -> i32 { return a; }`;
  }
  const beats = op === 'max' || op === 'argmax' ? '>' : '<';
  const arg = op === 'argmax' || op === 'argmin';
  const isNan = type === 'f32' ? 'return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;' : 'return false;';
  // Floats compare by their bits ordered as integers (±0 equal): a device that flushes subnormals
  // (SwiftShader) would otherwise call 1e-40 and 0 equal.
  const key =
    type === 'f32' ? 'let b = bitcast<i32>(v); return select(b, -(b & 0x7fffffff), b < 0);' : 'return v;';
  return `
struct Acc { v: ${type}, i: i32 }
fn isNanV(v: ${type}) -> bool { ${isNan} }
fn keyOf(v: ${type}) -> i32 { ${key} }
fn accInit() -> Acc { return Acc(${type}(0), -1); }
// b replaces a when it is NaN and a is not, or beats it, or equals it at a lower index (the first
// NaN and the first of equal extrema win, as the reference's in-order walk picks them).
fn accMerge(a: Acc, b: Acc) -> Acc {
  if (a.i < 0) { return b; }
  if (b.i < 0) { return a; }
  let an = isNanV(a.v);
  let bn = isNanV(b.v);
  var takeB: bool;
  if (an != bn) { takeB = bn; }
  else if (an || keyOf(a.v) == keyOf(b.v)) { takeB = b.i < a.i; }
  else { takeB = keyOf(b.v) ${beats} keyOf(a.v); }
  if (takeB) { return b; }
  return a;
}
fn accPush(a: Acc, v: ${type}, j: u32) -> Acc { return accMerge(a, Acc(v, i32(j))); }
fn accResult(a: Acc) -> ${arg ? 'i32' : type} { return a.${arg ? 'i' : 'v'}; }`;
}

/**
 * A float sum in df64, in two parts so that subnormals count (a device may flush them, SwiftShader
 * does): elements of magnitude ≥ 2⁻⁶⁰ are summed as they are (xy), smaller ones scaled by 2⁶⁴ on their
 * bits (zw). The small part is scaled back on the bits at the end; where the large part is 0 the
 * result is the small part alone, exact when it is subnormal (a sum of multiples of 2⁻¹⁴⁹ below 2⁻¹²⁶).
 */
const FLOAT_SUM_WGSL = /* wgsl */ `
${EXACT_WGSL}
alias Acc = vec4<f32>;
fn accInit() -> Acc { return vec4<f32>(0.0, 0.0, 0.0, 0.0); }
fn accPush(a: Acc, v: f32, j: u32) -> Acc {
  if ((bitcast<u32>(v) & 0x7fffffffu) < 0x21800000u) { return vec4<f32>(a.xy, dfAddF(a.zw, x_scale64(v))); }
  return vec4<f32>(dfAddF(a.xy, v), a.zw);
}
fn accMerge(a: Acc, b: Acc) -> Acc { return vec4<f32>(dfAdd(a.xy, b.xy), dfAdd(a.zw, b.zw)); }
fn down64(v: f32) -> f32 {
  if (x_isZero(v)) { return v; }
  return x_ldexp(v, -64);
}
fn accResult(a: Acc) -> f32 {
  if (x_isZero(a.z) || !dfIsFinite(a.x)) { return a.x; }
  if (x_isZero(a.x)) { return down64(a.z); }
  return dfAdd(a.xy, vec2<f32>(down64(a.z), down64(a.w))).x;
}`;

function reduceWgsl(op: ReduceOp, type: 'f32' | 'i32', tree: boolean): string {
  const outType = op === 'argmax' || op === 'argmin' ? 'i32' : type;
  const head = `
struct Params { outer: u32, length: u32, inner: u32, offset: u32 }
@group(0) @binding(0) var<storage, read> x: array<${type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
@group(0) @binding(2) var<uniform> params: Params;
${DF64_WGSL}
${accumulatorWgsl(op, type)}

fn rowStart(row: u32) -> u32 {
  let p = row / params.inner;
  let q = row % params.inner;
  return params.offset + p * params.length * params.inner + q;
}
`;
  return head + (tree ? TREE_MAIN : SERIAL_MAIN);
}

const SERIAL_MAIN = /* wgsl */ `
@compute @workgroup_size(${SERIAL_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let row = (wid.x + wid.y * nwg.x) * ${SERIAL_WORKGROUP}u + lid.x;
  if (row >= params.outer * params.inner) { return; }
  let start = rowStart(row);
  var acc = accInit();
  for (var j = 0u; j < params.length; j++) {
    acc = accPush(acc, x[start + j * params.inner], j);
  }
  out[row] = accResult(acc);
}
`;

const TREE_MAIN = /* wgsl */ `
var<workgroup> partial: array<Acc, ${TREE_WORKGROUP}>;

@compute @workgroup_size(${TREE_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.outer * params.inner) { return; }
  let start = rowStart(row);
  var acc = accInit();
  for (var j = lid.x; j < params.length; j += ${TREE_WORKGROUP}u) {
    acc = accPush(acc, x[start + j * params.inner], j);
  }
  partial[lid.x] = acc;
  workgroupBarrier();
  for (var s = ${TREE_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { partial[lid.x] = accMerge(partial[lid.x], partial[lid.x + s]); }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out[row] = accResult(partial[0]); }
}
`;
