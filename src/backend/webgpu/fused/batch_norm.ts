/**
 * Training-mode batch normalization on WebGPU, forward and backward, with the reference's meaning
 * (backend.ts, reference/fused.ts). One workgroup per channel: its invocations take every 256th of the
 * channel's outer × inner elements, and the channel's sums meet in a fixed tree in workgroup memory,
 * so results are deterministic. Everything the reference computes in float64 (μ, Σ(x − μ)², σ², the
 * running statistics, 1/√(σ² + ε), the shift, Σg and Σg·x̂ and the backward's coefficients) is computed
 * in double-float (wgsl/df64.ts) and rounded once, so it rounds as the reference does almost always;
 * the per-element passes are the reference's float32 operations, each product multiplied by a uniform 1
 * before it is added so that no FMA contraction changes the rounding.
 *
 * Optional operands (γ, β, the running statistics, dγ, dβ) are switched by uniform flags rather than
 * by shader variants, so each direction is one pipeline (a df64 shader takes about a second to compile
 * on SwiftShader); an absent one is bound to a stand-in: x for a read, a scratch element for a write.
 */
import type { BatchNormBackwardCall, BatchNormForwardCall, BufferHandle } from '../../backend.js';
import { gridFor, type KernelContext, type StorageBinding, Uniforms } from '../kernel_context.js';
import { DF64_WGSL, splitDf64 } from '../wgsl/df64.js';

/** Invocations per channel in the tree launch (a power of two). */
const WORKGROUP = 64;
/**
 * Channels of up to this many elements are normalized by one invocation each, with no workgroup
 * barrier (SwiftShader makes each barrier costly: a [16, 100] batch took ~0.9 s per call through a
 * 256-wide tree); larger ones by a workgroup each.
 */
const SERIAL_MAX_COUNT = 1024;
const SERIAL_WORKGROUP = 64;

function isTree(spec: BatchNormForwardCall['spec']): boolean {
  return spec.outer * spec.inner > SERIAL_MAX_COUNT;
}

function channelGrid(ctx: KernelContext, channels: number, tree: boolean): [number, number, number] {
  return gridFor(
    tree ? channels : Math.ceil(channels / SERIAL_WORKGROUP),
    ctx.limits.maxWorkgroupsPerDimension,
  );
}

/**
 * The entry point: `body` sees the channel `c`, this invocation's first element `t`, the stride
 * `step` between its elements, `combine(t, v)`, the channel's total of every invocation's v (the
 * workgroup tree, or v itself when one invocation walks the channel), and `share(t, v)`, the first
 * invocation's v.
 */
function entryWgsl(tree: boolean, body: string): string {
  if (!tree) {
    return /* wgsl */ `
fn combine(t: u32, v: vec2<f32>) -> vec2<f32> { return v; }
fn share(t: u32, v: vec3<f32>) -> vec3<f32> { return v; }
@compute @workgroup_size(${SERIAL_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let c = (wid.x + wid.y * nwg.x) * ${SERIAL_WORKGROUP}u + lid.x;
  if (c >= params.channels) { return; }
  let t = 0u;
  let step = 1u;
${body}
}`;
  }
  return /* wgsl */ `
var<workgroup> part: array<vec2<f32>, ${WORKGROUP}>;

// The workgroup's df64 sum of every invocation's v, in a fixed tree; every invocation gets it.
fn combine(t: u32, v: vec2<f32>) -> vec2<f32> {
  part[t] = v;
  workgroupBarrier();
  for (var s = ${WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { part[t] = dfAdd(part[t], part[t + s]); }
    workgroupBarrier();
  }
  let total = part[0];
  workgroupBarrier();
  return total;
}

var<workgroup> firstOfGroup: vec3<f32>;

// The first invocation's v, for every invocation.
fn share(t: u32, v: vec3<f32>) -> vec3<f32> {
  if (t == 0u) { firstOfGroup = v; }
  workgroupBarrier();
  let all = firstOfGroup;
  workgroupBarrier();
  return all;
}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let c = wid.x + wid.y * nwg.x;
  if (c >= params.channels) { return; }
  let t = lid.x;
  let step = ${WORKGROUP}u;
${body}
}`;
}

/** Bindings for optional operands: the buffer when present, else a stand-in (see the file comment). */
class StandIns {
  private readonly scratch: BufferHandle[] = [];

  constructor(
    private readonly ctx: KernelContext,
    private readonly readStandIn: BufferHandle,
  ) {}

  read(view: { buffer: BufferHandle } | null): StorageBinding {
    return { buffer: view?.buffer ?? this.readStandIn };
  }

  write(buffer: BufferHandle | null): StorageBinding {
    if (buffer !== null) return { buffer, write: true };
    const stand = this.ctx.allocate('float32', 1);
    this.scratch.push(stand);
    return { buffer: stand, write: true };
  }

  /** Returns the scratch elements to the pool (safe once the dispatch is recorded). */
  release(): void {
    for (const b of this.scratch) this.ctx.release(b);
  }
}

/** WGSL shared by both directions: the element address of (channel, k), the count, 1/√(σ² + ε). */
const CHANNEL_WGSL = /* wgsl */ `
// The offset of element k (of outer × inner) of channel c within an [outer, channels, inner] block.
fn at(c: u32, k: u32) -> u32 {
  let o = k / params.inner;
  return (o * params.channels + c) * params.inner + k % params.inner;
}

fn countDf() -> vec2<f32> { return vec2<f32>(params.countHi, params.countLo); }

// 1/√(σ² + ε) from the stored float32 σ², in df64 (the reference's invStdOf, both directions).
fn invStdOf(v: f32) -> vec2<f32> {
  return dfDiv(vec2<f32>(1.0, 0.0), dfSqrt(dfAdd(vec2<f32>(v, 0.0), vec2<f32>(params.epsHi, params.epsLo))));
}
`;

/** Uniform fields common to both directions, in this order at the head of Params. */
const COMMON_PARAMS = `channels: u32, inner: u32, count: u32, xOffset: u32,
  countHi: f32, countLo: f32, epsHi: f32, epsLo: f32, one: f32`;

function commonUniforms(spec: BatchNormForwardCall['spec'], x: { offset: number }): Uniforms {
  const count = spec.outer * spec.inner;
  const [countHi, countLo] = splitDf64(count);
  const [epsHi, epsLo] = splitDf64(spec.eps);
  return new Uniforms()
    .u32(spec.channels)
    .u32(spec.inner)
    .u32(count)
    .u32(x.offset)
    .f32(countHi)
    .f32(countLo)
    .f32(epsHi)
    .f32(epsLo)
    .f32(1);
}

export function batchNormForward(ctx: KernelContext, call: BatchNormForwardCall): void {
  const { x, gamma, beta, spec, out, mean, variance, running } = call;
  if (spec.channels === 0) return;
  const stand = new StandIns(ctx, x.buffer);
  const bindings = [
    { buffer: x.buffer },
    stand.read(gamma),
    stand.read(beta),
    { buffer: out, write: true },
    { buffer: mean, write: true },
    { buffer: variance, write: true },
    stand.write(running?.mean.buffer ?? null),
    stand.write(running?.variance.buffer ?? null),
  ];
  const momentum = running?.momentum ?? 0;
  const uniforms = commonUniforms(spec, x)
    .u32(gamma === null ? 0 : 1)
    .u32(beta === null ? 0 : 1)
    .u32(running === null ? 0 : 1)
    .u32(gamma?.offset ?? 0)
    .u32(beta?.offset ?? 0)
    .u32(running?.mean.offset ?? 0)
    .u32(running?.variance.offset ?? 0);
  for (const v of [momentum, 1 - momentum, spec.outer * spec.inner - 1]) {
    const [hi, lo] = splitDf64(v);
    uniforms.f32(hi).f32(lo);
  }
  const tree = isTree(spec);
  ctx.dispatch({
    key: `batchNormForward:${tree ? 'tree' : 'serial'}`,
    wgsl: () => forwardWgsl(tree),
    bindings,
    uniforms,
    workgroups: channelGrid(ctx, spec.channels, tree),
  });
  stand.release();
}

const FORWARD_BINDINGS = ['x', 'gamma', 'beta', 'out', 'mean', 'variance', 'runMean', 'runVar'];

function declare(names: readonly string[], written: readonly string[]): string {
  return names
    .map((name, i) => {
      const access = written.includes(name) ? 'read_write' : 'read';
      return `@group(0) @binding(${i}) var<storage, ${access}> ${name}: array<f32>;`;
    })
    .join('\n');
}

function forwardWgsl(tree: boolean): string {
  return /* wgsl */ `
struct Params {
  ${COMMON_PARAMS},
  hasGamma: u32, hasBeta: u32, hasRunning: u32,
  gammaOffset: u32, betaOffset: u32, runMeanOffset: u32, runVarOffset: u32,
  momHi: f32, momLo: f32, keepHi: f32, keepLo: f32, countM1Hi: f32, countM1Lo: f32,
}
${declare(FORWARD_BINDINGS, ['out', 'mean', 'variance', 'runMean', 'runVar'])}
@group(0) @binding(${FORWARD_BINDINGS.length}) var<uniform> params: Params;
${DF64_WGSL}
${CHANNEL_WGSL}
// The running averages, from the df64 μ and Σ(x − μ)² (the unbiased variance; 0/0 for one element).
fn updateRunning(c: u32, mu: vec2<f32>, squares: vec2<f32>) {
  let mom = vec2<f32>(params.momHi, params.momLo);
  let keep = vec2<f32>(params.keepHi, params.keepLo);
  let rm = params.runMeanOffset + c;
  runMean[rm] = dfAdd(dfMul(mom, mu), dfMulF(keep, runMean[rm])).x;
  let unbiased = dfDiv(squares, vec2<f32>(params.countM1Hi, params.countM1Lo));
  let rv = params.runVarOffset + c;
  runVar[rv] = dfAdd(dfMul(mom, unbiased), dfMulF(keep, runVar[rv])).x;
}

// Writes μ and σ² and returns (scale, shift) for channel c.
fn finish(c: u32, mu: vec2<f32>, squares: vec2<f32>) -> vec2<f32> {
  mean[c] = mu.x;
  let v = dfDiv(squares, countDf()).x;
  variance[c] = v;
  if (params.hasRunning != 0u) { updateRunning(c, mu, squares); }
  let invStd = invStdOf(v);
  var scale = invStd.x;
  if (params.hasGamma != 0u) { scale = dfMulF(invStd, gamma[params.gammaOffset + c]).x; }
  var beta0 = 0.0;
  if (params.hasBeta != 0u) { beta0 = beta[params.betaOffset + c]; }
  return vec2<f32>(scale, dfSub(vec2<f32>(beta0, 0.0), dfMulF(mu, scale)).x);
}

${entryWgsl(tree, FORWARD_BODY)}`;
}

/** The forward per channel: μ, Σ(x − μ)², then (scale, shift) from the first invocation, then out. */
const FORWARD_BODY = /* wgsl */ `
  var s = vec2<f32>(0.0, 0.0);
  for (var k = t; k < params.count; k += step) { s = dfAddF(s, x[params.xOffset + at(c, k)]); }
  let mu = dfDiv(combine(t, s), countDf());
  var q = vec2<f32>(0.0, 0.0);
  for (var k = t; k < params.count; k += step) {
    let d = dfAddF(dfNeg(mu), x[params.xOffset + at(c, k)]);
    q = dfAdd(q, dfMul(d, d));
  }
  let squares = combine(t, q);
  var mine = vec3<f32>(0.0, 0.0, 0.0);
  if (t == 0u) { mine = vec3<f32>(finish(c, mu, squares), 0.0); }
  let cf = share(t, mine).xy;
  for (var k = t; k < params.count; k += step) {
    let i = at(c, k);
    out[i] = (x[params.xOffset + i] * cf.x) * params.one + cf.y;
  }`;

export function batchNormBackward(ctx: KernelContext, call: BatchNormBackwardCall): void {
  const { g, x, mean, variance, gamma, spec, dx, dGamma, dBeta } = call;
  if (spec.channels === 0) return;
  const stand = new StandIns(ctx, x.buffer);
  const bindings = [
    { buffer: g.buffer },
    { buffer: x.buffer },
    { buffer: mean.buffer },
    { buffer: variance.buffer },
    stand.read(gamma),
    { buffer: dx, write: true },
    stand.write(dGamma),
    stand.write(dBeta),
  ];
  const uniforms = commonUniforms(spec, x)
    .u32(gamma === null ? 0 : 1)
    .u32(dGamma === null ? 0 : 1)
    .u32(dBeta === null ? 0 : 1)
    .u32(g.offset)
    .u32(mean.offset)
    .u32(variance.offset)
    .u32(gamma?.offset ?? 0);
  const tree = isTree(spec);
  ctx.dispatch({
    key: `batchNormBackward:${tree ? 'tree' : 'serial'}`,
    wgsl: () => backwardWgsl(tree),
    bindings,
    uniforms,
    workgroups: channelGrid(ctx, spec.channels, tree),
  });
  stand.release();
}

const BACKWARD_BINDINGS = ['g', 'x', 'mean', 'variance', 'gamma', 'dx', 'dGamma', 'dBeta'];

function backwardWgsl(tree: boolean): string {
  return /* wgsl */ `
struct Params {
  ${COMMON_PARAMS},
  hasGamma: u32, hasDGamma: u32, hasDBeta: u32,
  gOffset: u32, meanOffset: u32, varianceOffset: u32, gammaOffset: u32,
}
${declare(BACKWARD_BINDINGS, ['dx', 'dGamma', 'dBeta'])}
@group(0) @binding(${BACKWARD_BINDINGS.length}) var<uniform> params: Params;
${DF64_WGSL}
${CHANNEL_WGSL}
// Writes dβ and dγ and returns the coefficients (a, b, d) of dx = a·g + b·(x − μ) + d for channel c.
fn finish(c: u32, invStd: vec2<f32>, sumG: vec2<f32>, sumGX: vec2<f32>) -> vec3<f32> {
  if (params.hasDBeta != 0u) { dBeta[c] = sumG.x; }
  if (params.hasDGamma != 0u) { dGamma[c] = sumGX.x; }
  var a64 = invStd;
  if (params.hasGamma != 0u) { a64 = dfMulF(invStd, gamma[params.gammaOffset + c]); }
  let b = dfDiv(dfMul(dfMul(dfNeg(a64), invStd), sumGX), countDf()).x;
  let d = dfDiv(dfMul(dfNeg(a64), sumG), countDf()).x;
  return vec3<f32>(a64.x, b, d);
}

${entryWgsl(tree, BACKWARD_BODY)}`;
}

/** The backward per channel: Σg and Σg·(x − μ), then the coefficients from the first invocation, then dx. */
const BACKWARD_BODY = /* wgsl */ `
  let mu = mean[params.meanOffset + c];
  let invStd = invStdOf(variance[params.varianceOffset + c]);
  var sg = vec2<f32>(0.0, 0.0);
  var sgx = vec2<f32>(0.0, 0.0);
  for (var k = t; k < params.count; k += step) {
    let i = at(c, k);
    let gv = g[params.gOffset + i];
    sg = dfAddF(sg, gv);
    sgx = dfAdd(sgx, dfMulF(dfTwoSum(x[params.xOffset + i], -mu), gv));
  }
  let sumG = combine(t, sg);
  let sumGX = dfMul(combine(t, sgx), invStd);
  var mine = vec3<f32>(0.0, 0.0, 0.0);
  if (t == 0u) { mine = finish(c, invStd, sumG, sumGX); }
  let cf = share(t, mine);
  for (var k = t; k < params.count; k += step) {
    let i = at(c, k);
    let xm = x[params.xOffset + i] - mu;
    dx[i] = ((cf.x * g[params.gOffset + i]) * params.one + (cf.y * xm) * params.one) + cf.z;
  }`;
