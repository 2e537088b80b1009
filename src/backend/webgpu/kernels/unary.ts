/**
 * unary on WebGPU: every UnaryCall op on float32 (the WGSL math library in wgsl/math.ts and erf.ts,
 * division and square root exact by wgsl/exact.ts), and on int32 the ops the op layer allows there
 * (neg, abs, sign, square, relu), wrapping as the reference's Int32Array stores do. A float64
 * parameter (leakyRelu's slope, elu's alpha, softplus's beta) is passed as two float32s so the product
 * is rounded about once, as the reference multiplies by the float64 parameter.
 */
import type { BufferHandle, UnaryCall, UnaryOp, View } from '../../backend.js';
import { type KernelContext, Uniforms } from '../kernel_context.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';
import { MATH_WGSL } from '../wgsl/math.js';
import {
  planFields,
  planFunctions,
  planKey,
  planUniforms,
  planViews,
  type ViewPlan,
} from '../wgsl/strided.js';

/** The WGSL expression of each op on float32 x, with its parameters in params.p0…p2. */
const FLOAT_BODIES: Record<UnaryOp, string> = {
  neg: 'x_neg(x)',
  abs: 'x_abs(x)',
  sign: 'select(select(0.0, -1.0, x_lt(x, 0.0)), 1.0, x_lt(0.0, x))',
  exp: 'm_exp(x)',
  log: 'm_log(x)',
  sqrt: 'x_sqrt(x)',
  rsqrt: 'x_div(1.0, x_sqrt(x))',
  square: 'x_mul(x, x)',
  sigmoid: 'm_sigmoid(x)',
  tanh: 'm_tanh(x)',
  relu: 'select(x, 0.0, x_lt(x, 0.0))',
  erf: 'm_erf(x)',
  leakyRelu: 'select(m_mulD(x, vec2<f32>(params.p0, params.p1)), x, x_lt(0.0, x))',
  elu: 'select(m_mulD(m_expm1(x), vec2<f32>(params.p0, params.p1)), x, x_lt(0.0, x))',
  softplus: 'softplus(x)',
  clamp: 'clampf(x)',
  gelu: 'select(m_gelu(x), m_geluTanh(x), params.p2 != 0.0)',
};

const INT_BODIES: Partial<Record<UnaryOp, string>> = {
  neg: '0 - x',
  abs: 'abs(x)',
  sign: 'select(select(0, -1, x < 0), 1, x > 0)',
  square: 'x * x',
  relu: 'max(x, 0)',
};

/** Helpers for the parameterized ops (reference formulas in src/backend/reference_backend.ts). */
const PARAM_HELPERS = /* wgsl */ `
fn softplus(x: f32) -> f32 {
  let t = m_mulD(x, vec2<f32>(params.p0, params.p1));
  if (t > params.p2) { return x; }
  var v: f32;
  if (t > 15.0) { v = t + m_exp(-t); } else { v = m_log1p(m_exp(t)); }
  return x_div(v, params.p0);
}

fn clampf(x: f32) -> f32 {
  let low = select(x, params.p0, x_lt(x, params.p0));
  return select(low, params.p1, x_lt(params.p1, low));
}
`;

export function unary(ctx: KernelContext, call: UnaryCall, x: View, out: BufferHandle): void {
  if (out.length === 0) return;
  const isInt = out.dtype === 'int32';
  if (isInt && INT_BODIES[call.op] === undefined) {
    throw new TypeError(
      `webgpu: unary ${call.op} is not defined on int32 tensors here (neg, abs, sign, square and relu are)`,
    );
  }
  const plan = planViews(x.shape, [x]);
  const uniforms = new Uniforms().u32(out.length);
  for (const p of parameters(call)) uniforms.f32(p);
  planUniforms(uniforms, plan);
  ctx.dispatch({
    key: `unary:${call.op}:${isInt ? 'i32' : 'f32'}:${planKey(plan)}`,
    wgsl: () => unaryWgsl(call.op, isInt, plan),
    bindings: [{ buffer: x.buffer }, { buffer: out, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, out.length),
  });
}

/** A float64 as float32 hi + lo, for m_mulD. */
function split(value: number): [number, number] {
  const hi = Math.fround(value);
  return [hi, Number.isFinite(hi) ? value - hi : 0];
}

/** p0, p1, p2 of each op. */
function parameters(call: UnaryCall): [number, number, number] {
  switch (call.op) {
    case 'leakyRelu':
      return [...split(call.negativeSlope), 0];
    case 'elu':
      return [...split(call.alpha), 0];
    case 'softplus':
      return [...split(call.beta), call.threshold];
    case 'clamp':
      return [call.min, call.max, 0];
    case 'gelu':
      return [0, 0, call.approximate === 'tanh' ? 1 : 0];
    default:
      return [0, 0, 0];
  }
}

function unaryWgsl(op: UnaryOp, isInt: boolean, plan: ViewPlan): string {
  const type = isInt ? 'i32' : 'f32';
  const body = isInt ? INT_BODIES[op]! : FLOAT_BODIES[op];
  return /* wgsl */ `
struct Params {
  n: u32,
  p0: f32,
  p1: f32,
  p2: f32,
  ${planFields(plan, ['x'])}
}
@group(0) @binding(0) var<storage, read> xs: array<${type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<uniform> params: Params;
${isInt ? '' : `${EXACT_WGSL}\n${MATH_WGSL}\n${PARAM_HELPERS}`}
${planFunctions(plan, ['x'])}
${ELEMENTWISE_ENTRY} {
  ${isInt ? '' : 'x_zero = nwg.x >> 31u;'}
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  let x = xs[at_x(i)];
  out[i] = ${body};
}`;
}
