/**
 * The WebAssembly backend's own float32 exp, log, tanh and sigmoid (assembly/math.ts) hold the accuracy
 * their documentation states, against float64 Math rounded to float32, over 2^20 points spread over
 * each function's range (uniform and log-spaced), and get the special values right.
 */
import { describe, expect, it } from 'vitest';
import type { UnaryCall } from '../../src/backend/backend.js';
import { ulps, wasmBackends } from './wasm_helpers.js';

const N = 1 << 20;

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const functions: { op: UnaryCall['op']; f: (x: number) => number; lo: number; hi: number; ulps: number }[] = [
  { op: 'exp', f: Math.exp, lo: -110, hi: 90, ulps: 1 },
  { op: 'log', f: Math.log, lo: 0, hi: 3.4e38, ulps: 2 },
  { op: 'tanh', f: Math.tanh, lo: -12, hi: 12, ulps: 2 },
  { op: 'sigmoid', f: sigmoid, lo: -110, hi: 40, ulps: 2 },
];

const specials: Record<string, [number, number][]> = {
  exp: [
    [0, 1],
    [Number.NEGATIVE_INFINITY, 0],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    [89, Number.POSITIVE_INFINITY],
    [-200, 0],
    [Number.NaN, Number.NaN],
  ],
  log: [
    [1, 0],
    [0, Number.NEGATIVE_INFINITY],
    [-0, Number.NEGATIVE_INFINITY],
    [-1, Number.NaN],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    [1e-45, Math.fround(Math.log(Math.fround(1e-45)))],
    [Number.NaN, Number.NaN],
  ],
  tanh: [
    [0, 0],
    [-0, -0],
    [Number.POSITIVE_INFINITY, 1],
    [Number.NEGATIVE_INFINITY, -1],
    [Number.NaN, Number.NaN],
  ],
  sigmoid: [
    [0, 0.5],
    [Number.POSITIVE_INFINITY, 1],
    [Number.NEGATIVE_INFINITY, 0],
    [Number.NaN, Number.NaN],
  ],
};

describe.each(wasmBackends)('float32 math of the $variant build', ({ backend }) => {
  for (const { op, f, lo, hi, ulps: allowed } of functions) {
    it(`${op} is within ${allowed} ulp and handles special values`, () => {
      const input = backend.allocate('float32', N);
      const out = backend.allocate('float32', N);
      const x = new Float32Array(N);
      for (let i = 0; i < N; i++) {
        if (i & 1) x[i] = lo + (hi - lo) * (i / N);
        else {
          const m = Math.min(Math.exp(-80 + 170 * (i / N)), Math.max(Math.abs(lo), hi));
          x[i] = op === 'log' || i & 2 ? m : -m;
        }
      }
      backend.write(input, x);
      backend.unary({ op } as UnaryCall, { buffer: input, shape: [N], strides: [1], offset: 0 }, out);
      const y = backend.read!(out);
      let worst = 0;
      let worstAt = 0;
      for (let i = 0; i < N; i++) {
        const u = ulps(y[i]!, Math.fround(f(x[i]!)));
        if (u > worst) {
          worst = u;
          worstAt = x[i]!;
        }
      }
      expect(worst, `${op} is ${worst} ulp off at ${worstAt}`).toBeLessThanOrEqual(allowed);

      const cases = specials[op]!;
      backend.write(
        input,
        Float32Array.from({ length: N }, (_, i) => cases[i % cases.length]![0]),
      );
      backend.unary({ op } as UnaryCall, { buffer: input, shape: [N], strides: [1], offset: 0 }, out);
      const s = backend.read!(out);
      for (let i = 0; i < cases.length * 2; i++) {
        const [arg, want] = cases[i % cases.length]!;
        expect(
          Object.is(s[i], want) || (Number.isNaN(s[i]!) && Number.isNaN(want)),
          `${op}(${arg}) = ${s[i]}`,
        ).toBe(true);
      }
      backend.release(input);
      backend.release(out);
    });
  }
});
