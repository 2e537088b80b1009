/**
 * binary on WebGPU: every BinaryOp on float32 and int32 strided views of the output's shape.
 *
 * float32: + − × are WGSL's (correctly rounded); ÷ is exact (wgsl/exact.ts); pow is C's (wgsl/math.ts); + − × take an exact path where a subnormal is
 * involved (devices flush them);
 * maximum and minimum propagate NaN and order −0 below +0 as Math.max/min do; comparisons (on the bit patterns)
 * write 1 or 0.
 * int32: + − × wrap (two's complement, as the reference's Math.imul and Int32Array stores); ÷
 * truncates toward zero with x/0 = 0 (the reference's ±∞ and NaN stored as 0) and −2³¹/−1 = −2³¹;
 * pow multiplies by squaring, wrapping, with a negative exponent giving 1/aⁿ truncated (1, ±1 or 0;
 * 0 for a = 0), which is the reference's value whenever |aⁿ| < 2⁵³.
 */
import type { BinaryOp, BufferHandle, View } from '../../backend.js';
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

const FLOAT_BODIES: Record<BinaryOp, string> = {
  add: 'x_add(a, b)',
  sub: 'x_add(a, x_neg(b))',
  mul: 'x_mul(a, b)',
  div: 'x_div(a, b)',
  pow: 'm_pow(a, b)',
  maximum: 'maxf(a, b)',
  minimum: 'minf(a, b)',
  gt: 'select(0.0, 1.0, x_lt(b, a))',
  ge: 'select(0.0, 1.0, x_le(b, a))',
  lt: 'select(0.0, 1.0, x_lt(a, b))',
  le: 'select(0.0, 1.0, x_le(a, b))',
  eq: 'select(0.0, 1.0, x_eq(a, b))',
  ne: 'select(1.0, 0.0, x_eq(a, b))',
};

const INT_BODIES: Record<BinaryOp, string> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'select(a / b, 0, b == 0)',
  pow: 'powi(a, b)',
  maximum: 'max(a, b)',
  minimum: 'min(a, b)',
  gt: 'select(0, 1, a > b)',
  ge: 'select(0, 1, a >= b)',
  lt: 'select(0, 1, a < b)',
  le: 'select(0, 1, a <= b)',
  eq: 'select(0, 1, a == b)',
  ne: 'select(0, 1, a != b)',
};

const FLOAT_HELPERS = /* wgsl */ `
fn maxf(a: f32, b: f32) -> f32 {
  if (x_isNan(a) || x_isNan(b)) { return x_nan(); }
  if (x_lt(b, a)) { return a; }
  if (x_lt(a, b)) { return b; }
  return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b));
}
fn minf(a: f32, b: f32) -> f32 {
  if (x_isNan(a) || x_isNan(b)) { return x_nan(); }
  if (x_lt(a, b)) { return a; }
  if (x_lt(b, a)) { return b; }
  return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b));
}
`;

const INT_HELPERS = /* wgsl */ `
fn powi(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var base = a;
  var e = u32(b);
  var r = 1;
  while (e != 0u) {
    if ((e & 1u) == 1u) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
`;

export function binary(ctx: KernelContext, op: BinaryOp, a: View, b: View, out: BufferHandle): void {
  if (out.length === 0) return;
  const isInt = out.dtype === 'int32';
  const plan = planViews(a.shape, [a, b]);
  const uniforms = new Uniforms().u32(out.length);
  planUniforms(uniforms, plan);
  ctx.dispatch({
    key: `binary:${op}:${isInt ? 'i32' : 'f32'}:${planKey(plan)}`,
    wgsl: () => binaryWgsl(op, isInt, plan),
    bindings: [{ buffer: a.buffer }, { buffer: b.buffer }, { buffer: out, write: true }],
    uniforms,
    workgroups: elementGrid(ctx, out.length),
  });
}

function binaryWgsl(op: BinaryOp, isInt: boolean, plan: ViewPlan): string {
  const type = isInt ? 'i32' : 'f32';
  const library = isInt ? INT_HELPERS : `${EXACT_WGSL}\n${op === 'pow' ? MATH_WGSL : ''}\n${FLOAT_HELPERS}`;
  return /* wgsl */ `
struct Params {
  n: u32,
  ${planFields(plan, ['a', 'b'])}
}
@group(0) @binding(0) var<storage, read> as_: array<${type}>;
@group(0) @binding(1) var<storage, read> bs: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@group(0) @binding(3) var<uniform> params: Params;
${library}
${planFunctions(plan, ['a', 'b'])}
${ELEMENTWISE_ENTRY} {
  ${isInt ? '' : 'x_zero = nwg.x >> 31u;'}
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  let a = as_[at_a(i)];
  let b = bs[at_b(i)];
  out[i] = ${isInt ? INT_BODIES[op] : FLOAT_BODIES[op]};
}`;
}
