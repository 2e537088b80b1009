/**
 * Fused optimizer updates on WebGPU (src/backend/optimizer_update.ts defines each kind, its buffers
 * and its arithmetic): one dispatch per parameter, recorded into the step's one submission, the
 * per-step scalars (learning rate, bias corrections, divisors) rounded to float32 in the uniform block.
 *
 * Bits: every line is the reference's float32 operation in its order (reference/optimizer_update.ts).
 * WGSL's + − × are correctly rounded; a product that feeds a sum is multiplied by a uniform 1 first
 * (`mr`), so a compiler fusing the multiply and the add into an FMA fuses only that multiply by 1 and
 * the rounding stays the reference's. ÷ and √ are not correctly rounded in WGSL: `divCr` and `sqrtCr`
 * correct the device's estimate once from its exact residual (df64 TwoProduct), which rounds like
 * IEEE ÷ and √ except in near-tie cases (about one in a million) and below 2⁻⁷⁶, where the device's
 * result stands. So updates agree with the reference to the bit almost always, and within an ulp per
 * operation otherwise.
 *
 * Flags (maximize, weight decay, momentum, Nesterov, AMSGrad, ε inside the root, centered…) are bits of
 * a uniform, not shader variants: one pipeline per kind, whatever the options and the step (the first
 * step's momentum initialization included). Absent state buffers are bound to a scratch element.
 */
import type { BufferHandle } from '../../backend.js';
import {
  type AdagradUpdateCall,
  type AdamUpdateCall,
  checkOptimizerUpdate,
  type OptimizerUpdateCall,
  type RmspropUpdateCall,
  type SgdUpdateCall,
} from '../../optimizer_update.js';
import { type KernelContext, type StorageBinding, Uniforms } from '../kernel_context.js';
import { DF64_WGSL } from '../wgsl/df64.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

/** One bit per option; the shaders test `(params.flags & F_…) != 0u`. */
const F = {
  maximize: 1,
  decay: 2,
  momentum: 4,
  nesterov: 8,
  init: 16,
  amsgrad: 32,
  epsInside: 64,
  correct1: 128,
  decoupled: 256,
  centered: 512,
  divide: 1024,
} as const;

function flagBits(flags: Partial<Record<keyof typeof F, boolean>>): number {
  let bits = 0;
  for (const [name, on] of Object.entries(flags)) if (on) bits |= F[name as keyof typeof F];
  return bits;
}

/** A kind's flags and float32 scalars (in the order of its shader's `s` fields). */
interface KindUniforms {
  readonly flags: number;
  readonly scalars: readonly number[];
}

function sgdUniforms(c: SgdUpdateCall): KindUniforms {
  const flags = flagBits({
    maximize: c.maximize,
    decay: c.weightDecay !== 0,
    momentum: c.momentum !== 0,
    nesterov: c.nesterov,
    init: c.initMomentum,
  });
  return { flags, scalars: [c.weightDecay, c.momentum, c.oneMinusDampening, -c.lr] };
}

function adamUniforms(c: AdamUpdateCall): KindUniforms {
  const flags = flagBits({
    maximize: c.maximize,
    decay: c.kind === 'adam' && c.weightDecay !== 0,
    decoupled: c.kind === 'adamw' && c.weightDecay !== 0,
    correct1: c.biasCorrection1 !== 1,
    amsgrad: c.amsgrad,
    epsInside: c.epsInsideSqrt,
  });
  const { weightDecay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps } = c;
  const { biasCorrection1, biasCorrection2, sqrtBiasCorrection2 } = c;
  return {
    flags,
    scalars: [weightDecay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, biasCorrection1].concat([
      biasCorrection2,
      sqrtBiasCorrection2,
      -c.lr,
    ]),
  };
}

function rmspropUniforms(c: RmspropUpdateCall): KindUniforms {
  const flags = flagBits({
    maximize: c.maximize,
    decay: c.weightDecay !== 0,
    centered: c.centered,
    epsInside: c.epsInsideSqrt,
    momentum: c.momentum !== 0,
    init: c.initMomentum,
  });
  return { flags, scalars: [c.weightDecay, c.alpha, c.oneMinusAlpha, c.eps, c.momentum, -c.lr] };
}

function adagradUniforms(c: AdagradUpdateCall): KindUniforms {
  const flags = flagBits({
    maximize: c.maximize,
    decay: c.weightDecay !== 0,
    epsInside: c.epsInsideSqrt,
    divide: c.stepSizeDivisor !== 1,
  });
  return { flags, scalars: [c.weightDecay, c.eps, c.stepSizeDivisor, -c.lr] };
}

function kindUniforms(call: OptimizerUpdateCall): KindUniforms {
  switch (call.kind) {
    case 'sgd':
      return sgdUniforms(call);
    case 'adam':
    case 'adamw':
      return adamUniforms(call);
    case 'rmsprop':
      return rmspropUniforms(call);
    case 'adagrad':
      return adagradUniforms(call);
  }
}

/** Storage bindings: param (written), grad, then three state slots (absent ones a scratch element). */
const STATE_SLOTS = 3;

export function optimizerUpdate(
  ctx: KernelContext,
  call: OptimizerUpdateCall,
  buffers: readonly BufferHandle[],
): void {
  checkOptimizerUpdate(call, buffers);
  const [param, grad, ...state] = buffers;
  const n = param!.length;
  if (n === 0) return;
  const scratch: BufferHandle[] = [];
  const slots: StorageBinding[] = [];
  for (let i = 0; i < STATE_SLOTS; i++) {
    let buffer = state[i];
    if (buffer === undefined) {
      buffer = ctx.allocate('float32', 1);
      scratch.push(buffer);
    }
    slots.push({ buffer, write: true });
  }
  const { flags, scalars } = kindUniforms(call);
  const uniforms = new Uniforms().u32(n).u32(flags).f32(1);
  for (const s of scalars) uniforms.f32(s);
  const kind = call.kind === 'adamw' ? 'adam' : call.kind;
  ctx.dispatch({
    key: `optimizerUpdate:${kind}`,
    wgsl: () => updateWgsl(kind),
    bindings: [{ buffer: param!, write: true }, { buffer: grad! }, ...slots],
    uniforms,
    workgroups: elementGrid(ctx, n),
  });
  for (const b of scratch) ctx.release(b);
}

/** Rounded arithmetic shared by every kind (see the file comment). */
const ARITHMETIC_WGSL = /* wgsl */ `
${DF64_WGSL}
fn on(flag: u32) -> bool { return (params.flags & flag) != 0u; }

// a·b rounded before any sum it feeds.
fn mr(a: f32, b: f32) -> f32 { return (a * b) * params.one; }

fn maxNan(a: f32, b: f32) -> f32 {
  if (dfIsNan(a)) { return a; }
  if (dfIsNan(b)) { return b; }
  return max(a, b);
}

// q·b = p + e exactly for normal operands (Dekker's product, no guards: the callers select).
fn productResidual(q: f32, b: f32) -> vec2<f32> {
  let p = dfOpaque(q * b);
  let sq = dfSplit(q);
  let sb = dfSplit(b);
  return vec2<f32>(p, (((sq.x * sb.x - p) + sq.x * sb.y) + sq.y * sb.x) + sq.y * sb.y);
}

// Whether a correction from productResidual(q, b) can be trusted: q and b normal and not tiny (the
// partial products would underflow) nor huge (q·b would overflow).
fn correctable(q: f32, b: f32) -> bool {
  let m = min(abs(q), abs(b));
  return dfIsFinite(q * b) && m >= 7.888609052210118e-31 && abs(q * b) >= 1.3234889800848443e-23;
}

// a / b rounded to nearest: the device's quotient corrected by its exact residual a − q·b, computed
// without branches (SwiftShader runs divergent branches on both sides). Division by zero is spelled
// out (WGSL leaves it undefined): ±∞, or NaN for 0/0 and NaN/0.
fn divCr(a: f32, b: f32) -> f32 {
  let q = a / b;
  let r = productResidual(q, b);
  let fixed = q + ((a - r.x) - r.y) / b;
  let inf = bitcast<f32>(0x7f800000u | ((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u));
  let byZero = select(inf, dfNan(), a == 0.0 || dfIsNan(a));
  return select(select(q, fixed, correctable(q, b) && dfIsFinite(a)), byZero, b == 0.0);
}

// √a rounded to nearest: the device's root corrected by its exact residual a − s²; NaN below 0.
fn sqrtCr(a: f32) -> f32 {
  let s = sqrt(max(a, 0.0));
  let r = productResidual(s, s);
  let fixed = s + ((a - r.x) - r.y) / (2.0 * s);
  let plain = select(s, a, a == 0.0 || !dfIsFinite(a));
  return select(select(plain, fixed, correctable(s, s) && dfIsFinite(a)), dfNan(), dfIsNan(a) || a < 0.0);
}
`;

const KIND_WGSL: Record<'sgd' | 'adam' | 'rmsprop' | 'adagrad', { fields: string; body: string }> = {
  sgd: {
    fields: 'wd: f32, rho: f32, keep: f32, negLr: f32',
    body: /* wgsl */ `
  if (on(${F.decay}u)) { u = u + mr(theta, params.wd); }
  if (on(${F.momentum}u)) {
    var bi = u;
    if (!on(${F.init}u)) { bi = mr(s0[i], params.rho) + mr(u, params.keep); }
    s0[i] = bi;
    if (on(${F.nesterov}u)) { u = u + mr(bi, params.rho); } else { u = bi; }
  }`,
  },
  adam: {
    fields: `wd: f32, b1: f32, omb1: f32, b2: f32, omb2: f32, eps: f32, bc1: f32, bc2: f32,
  sqrtBc2: f32, negLr: f32`,
    body: /* wgsl */ `
  if (on(${F.decay}u)) { u = u + mr(theta, params.wd); }
  let mi = mr(s0[i], params.b1) + mr(u, params.omb1);
  let vi = mr(s1[i], params.b2) + mr(u * params.omb2, u);
  s0[i] = mi;
  s1[i] = vi;
  var second = vi;
  if (on(${F.amsgrad}u)) {
    second = maxNan(s2[i], vi);
    s2[i] = second;
  }
  var denom = divCr(sqrtCr(second), params.sqrtBc2) + params.eps;
  if (on(${F.epsInside}u)) { denom = sqrtCr(divCr(second, params.bc2) + params.eps); }
  u = divCr(mi, denom);
  if (on(${F.correct1}u)) { u = divCr(u, params.bc1); }
  if (on(${F.decoupled}u)) { u = u + mr(theta, params.wd); }`,
  },
  rmsprop: {
    fields: 'wd: f32, alpha: f32, oma: f32, eps: f32, rho: f32, negLr: f32',
    body: /* wgsl */ `
  if (on(${F.decay}u)) { u = u + mr(theta, params.wd); }
  let si = mr(s0[i], params.alpha) + mr(u * params.oma, u);
  s0[i] = si;
  var second = si;
  if (on(${F.centered}u)) {
    let ai = mr(s1[i], params.alpha) + mr(u, params.oma);
    s1[i] = ai;
    second = si - mr(ai, ai);
  }
  var denom = sqrtCr(second) + params.eps;
  if (on(${F.epsInside}u)) { denom = sqrtCr(second + params.eps); }
  u = divCr(u, denom);
  if (on(${F.momentum}u)) {
    var bi = u;
    if (!on(${F.init}u)) { bi = mr(momentumBuffer(i), params.rho) + u; }
    setMomentumBuffer(i, bi);
    u = bi;
  }`,
  },
  adagrad: {
    fields: 'wd: f32, eps: f32, k: f32, negLr: f32',
    body: /* wgsl */ `
  if (on(${F.decay}u)) { u = u + mr(theta, params.wd); }
  let si = s0[i] + mr(u, u);
  s0[i] = si;
  var denom = sqrtCr(si) + params.eps;
  if (on(${F.epsInside}u)) { denom = sqrtCr(si + params.eps); }
  u = divCr(u, denom);
  if (on(${F.divide}u)) { u = divCr(u, params.k); }`,
  },
};

function updateWgsl(kind: keyof typeof KIND_WGSL): string {
  const { fields, body } = KIND_WGSL[kind];
  return /* wgsl */ `
struct Params { n: u32, flags: u32, one: f32, ${fields} }
@group(0) @binding(0) var<storage, read_write> p: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> s0: array<f32>;
@group(0) @binding(3) var<storage, read_write> s1: array<f32>;
@group(0) @binding(4) var<storage, read_write> s2: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;
${ARITHMETIC_WGSL}
${kind === 'rmsprop' ? RMSPROP_MOMENTUM_WGSL : ''}
${ELEMENTWISE_ENTRY} {
  df_zero = nwg.x >> 31u;
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  let theta = p[i];
  var u = g[i];
  if (on(${F.maximize}u)) { u = -u; }
${body}
  p[i] = theta + mr(u, params.negLr);
}`;
}

/** RMSprop's momentum buffer follows the gradient average when centered (buffer order, optimizer_update.ts). */
const RMSPROP_MOMENTUM_WGSL = /* wgsl */ `
fn momentumBuffer(i: u32) -> f32 {
  if (on(${F.centered}u)) { return s2[i]; }
  return s1[i];
}
fn setMomentumBuffer(i: u32, v: f32) {
  if (on(${F.centered}u)) { s2[i] = v; } else { s1[i] = v; }
}
`;
