/**
 * Softmax and log-softmax along the middle axis of a contiguous [outer, length, inner] block on WebGPU,
 * following the reference backend (backend.ts): m = the row's maximum (NaN if any element is NaN; an
 * infinite maximum is subtracted as it is, which makes the row NaN as in PyTorch), z = x − m, the sum
 * Σ e^z in double-float (df64), then e^z / Σ or z − log Σ, each rounded once from df64.
 *
 * Where it departs from float64: e^z is the float32 polynomial (exp_log_wgsl.ts) of z's high part,
 * corrected to first order by z's low part (e^(h + l) ≈ e^h·(1 + l)), and log Σ is the float32 log of
 * Σ's high part plus lo/hi; so results are within a few ulps of the reference (declared as the
 * backend's rtol/atol), not bit-identical.
 *
 * Launch shapes as in reduce.ts: one invocation per row up to SERIAL_MAX_LENGTH, else one workgroup per
 * row (64 invocations, see reduce.ts for why not more) whose invocations take every 64th element and
 * combine the maximum and the sum in a fixed tree.
 */
import type { SoftmaxCall } from '../../backend.js';
import { gridFor, type KernelContext, Uniforms } from '../kernel_context.js';
import { DF64_WGSL } from '../wgsl/df64.js';
import { EXP_LOG_WGSL } from './exp_log_wgsl.js';

const SERIAL_MAX_LENGTH = 64;
const SERIAL_WORKGROUP = 64;
const TREE_WORKGROUP = 64;

export function softmax(ctx: KernelContext, call: SoftmaxCall): void {
  const { x, outer, length, inner, log, out } = call;
  const count = outer * inner;
  if (count === 0 || length === 0) return;
  const tree = treeRows(length);
  ctx.dispatch({
    key: `softmax:${log ? 'log' : 'exp'}:${tree ? 'tree' : 'serial'}`,
    wgsl: () => softmaxWgsl(log, tree),
    bindings: [{ buffer: x.buffer }, { buffer: out, write: true }],
    uniforms: new Uniforms().u32(outer).u32(length).u32(inner).u32(x.offset),
    workgroups: rowsGrid(ctx, count, tree),
  });
}

/**
 * WGSL shared by softmax and the softmax cross-entropy: the maximum with NaN propagating, e^(x − m)
 * from the exact difference, and log of a df64 sum as a df64.
 */
export const SOFTMAX_ROW_WGSL = /* wgsl */ `
${DF64_WGSL}
${EXP_LOG_WGSL}
// max that lets NaN win (WGSL's max may return either operand for NaN).
fn maxNan(a: f32, b: f32) -> f32 {
  if (dfIsNan(a)) { return a; }
  if (dfIsNan(b)) { return b; }
  return max(a, b);
}

// x − m exactly, as a df64.
fn shifted(v: f32, m: f32) -> vec2<f32> {
  return dfTwoSum(v, -m);
}

// e^z for z a df64 with |lo| ≤ ½ulp(hi): e^hi·(1 + lo).
fn expDf(z: vec2<f32>) -> f32 {
  let e = expSm(z.x);
  return e + e * z.y;
}

// log Σ as a df64, Σ ≥ 1 a df64: log hi + lo/hi.
fn logDf(s: vec2<f32>) -> vec2<f32> {
  return dfFastTwoSum(logSm(s.x), s.y / s.x);
}
`;

function softmaxWgsl(log: boolean, tree: boolean): string {
  const write = log
    ? 'out[k - params.offset] = dfSub(shifted(x[k], m), logSum).x;'
    : 'out[k - params.offset] = dfMulF(inv, expDf(shifted(x[k], m))).x;';
  const head = `
struct Params { outer: u32, length: u32, inner: u32, offset: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;`;
  const writePart = `
fn writePart(row: u32, start: u32, first: u32, step: u32, m: f32, sum: vec2<f32>) {
  let logSum = logDf(sum);
  let inv = dfDiv(vec2<f32>(1.0, 0.0), sum);
  for (var j = first; j < params.length; j += step) {
    let k = start + j * params.inner;
    ${write}
  }
}`;
  return softmaxRowsWgsl({ head, writePart, tree });
}

/**
 * A shader that walks rows of a softmax: `head` declares `x` (the float32 input), `params` (whose
 * first fields are outer, length, inner and offset, as softmax's) and any other bindings;
 * `writePart(row, start, first, step, m, sum)` writes the results of elements first, first + step, …
 * of a row from its maximum m and its df64 sum Σ e^(x − m). Used by softmax and the softmax
 * cross-entropy (fused/softmax_cross_entropy.ts).
 */
export function softmaxRowsWgsl(spec: { head: string; writePart: string; tree: boolean }): string {
  return `${spec.head}
${SOFTMAX_ROW_WGSL}

fn rowStart(row: u32) -> u32 {
  let p = row / params.inner;
  let q = row % params.inner;
  return params.offset + p * params.length * params.inner + q;
}

fn partMax(start: u32, first: u32, step: u32) -> f32 {
  var m = smBits(0xff800000u);
  for (var j = first; j < params.length; j += step) { m = maxNan(m, x[start + j * params.inner]); }
  return m;
}

fn partSum(start: u32, first: u32, step: u32, m: f32) -> vec2<f32> {
  var s = vec2<f32>(0.0, 0.0);
  for (var j = first; j < params.length; j += step) {
    s = dfAddF(s, expDf(shifted(x[start + j * params.inner], m)));
  }
  return s;
}
${spec.writePart}
${spec.tree ? TREE_MAIN : SERIAL_MAIN}`;
}

/** Whether rows of this length are walked by a workgroup each (else by one invocation each). */
export function treeRows(length: number): boolean {
  return length > SERIAL_MAX_LENGTH;
}

/** Workgroup counts for `rows` rows. */
export function rowsGrid(ctx: KernelContext, rows: number, tree: boolean): [number, number, number] {
  const limit = ctx.limits.maxWorkgroupsPerDimension;
  return tree ? gridFor(rows, limit) : gridFor(Math.ceil(rows / SERIAL_WORKGROUP), limit);
}

const SERIAL_MAIN = /* wgsl */ `
@compute @workgroup_size(${SERIAL_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let row = (wid.x + wid.y * nwg.x) * ${SERIAL_WORKGROUP}u + lid.x;
  if (row >= params.outer * params.inner) { return; }
  let start = rowStart(row);
  let m = partMax(start, 0u, 1u);
  writePart(row, start, 0u, 1u, m, partSum(start, 0u, 1u, m));
}
`;

const TREE_MAIN = /* wgsl */ `
var<workgroup> maxima: array<f32, ${TREE_WORKGROUP}>;
var<workgroup> sums: array<vec2<f32>, ${TREE_WORKGROUP}>;

@compute @workgroup_size(${TREE_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.outer * params.inner) { return; }
  let start = rowStart(row);
  let t = lid.x;
  maxima[t] = partMax(start, t, ${TREE_WORKGROUP}u);
  workgroupBarrier();
  for (var s = ${TREE_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { maxima[t] = maxNan(maxima[t], maxima[t + s]); }
    workgroupBarrier();
  }
  let m = maxima[0];
  sums[t] = partSum(start, t, ${TREE_WORKGROUP}u, m);
  workgroupBarrier();
  for (var s = ${TREE_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { sums[t] = dfAdd(sums[t], sums[t + s]); }
    workgroupBarrier();
  }
  writePart(row, start, t, ${TREE_WORKGROUP}u, m, sums[0]);
}
`;
