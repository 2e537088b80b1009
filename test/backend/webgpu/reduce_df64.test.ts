/**
 * The df64 (double-float) helpers the reductions, softmax and batch norm rest on (wgsl/df64.ts), run
 * on the device against float64: TwoSum and TwoProduct are error-free, and add, mul, div and sqrt carry
 * about 48 bits, also where one operand is a constant the shader compiler can see (SwiftShader
 * rewrites (1 + y) − 1 to y, which would zero an error term).
 */
import { describe, expect, it } from 'vitest';
import { Uniforms } from '../../../src/backend/webgpu/kernel_context.js';
import { DF64_WGSL } from '../../../src/backend/webgpu/wgsl/df64.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { floats, rng } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

/** Each result is a df64 pair (hi, lo); their float64 sum is compared with the float64 value. */
const OPS: [string, string, (a: number, b: number) => number][] = [
  ['twoSum(a, b)', 'dfTwoSum(a, b)', (a, b) => a + b],
  ['twoSum(1, a)', 'dfTwoSum(1.0, a)', (a) => 1 + a],
  ['twoProd(a, b)', 'dfTwoProd(a, b)', (a, b) => a * b],
  ['addF(1, a)', 'dfAddF(vec2<f32>(1.0, 0.0), a)', (a) => 1 + a],
  ['1 / (1 + a)', 'dfDiv(vec2<f32>(1.0, 0.0), dfAddF(vec2<f32>(1.0, 0.0), a))', (a) => 1 / (1 + a)],
  ['a / b', 'dfDiv(vec2<f32>(a, 0.0), vec2<f32>(b, 0.0))', (a, b) => a / b],
  ['√|a|', 'dfSqrt(vec2<f32>(abs(a), 0.0))', (a) => Math.sqrt(Math.abs(a))],
  [
    '(1 + a)·(1 + b)',
    'dfMul(dfAddF(vec2<f32>(1.0, 0.0), a), dfAddF(vec2<f32>(1.0, 0.0), b))',
    (a, b) => (1 + a) * (1 + b),
  ],
];

function shader(expression: string): string {
  return `
struct Params { n: u32 }
@group(0) @binding(0) var<storage, read> xs: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
${DF64_WGSL}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  df_zero = nwg.x >> 31u;
  let i = id.x;
  if (i >= params.n) { return; }
  let a = xs[2u * i];
  let b = xs[2u * i + 1u];
  out[i] = ${expression};
}`;
}

describe('webgpu df64 helpers', () => {
  it.skipIf(!gpu)(
    `error-free transforms are exact and add/mul/div/sqrt keep about 48 bits, constants included${skip}`,
    async () => {
      const n = 512;
      const r = rng(4);
      // Operands over many magnitudes, some tiny next to 1 (where an error term is all that is left).
      const xs = floats(2 * n, 3, 1).map((v) => v * 2 ** Math.floor(r() * 40 - 30));
      const input = gpu!.allocate('float32', 2 * n);
      gpu!.write(input, xs);
      for (const [name, expression, exact] of OPS) {
        const out = gpu!.allocate('float32', 2 * n);
        gpu!.context.dispatch({
          key: `test:df64:${name}`,
          wgsl: () => shader(expression),
          bindings: [{ buffer: input }, { buffer: out, write: true }],
          uniforms: new Uniforms().u32(n),
          workgroups: [Math.ceil(n / 64)],
        });
        const pairs = await gpu!.readAsync(out);
        gpu!.release(out);
        let worst = 0;
        for (let i = 0; i < n; i++) {
          const want = exact(xs[2 * i]!, xs[2 * i + 1]!);
          const got = pairs[2 * i]! + pairs[2 * i + 1]!;
          worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
        }
        const bound = name.startsWith('two') ? 2 ** -52 : 2 ** -44;
        expect(worst, `${name}: worst relative error ${worst}`).toBeLessThanOrEqual(bound);
      }
      gpu!.release(input);
    },
  );
});
