/**
 * PyTorch's NaN and infinity rules (issue 13) on the reference backend and on every WebAssembly build
 * (scalar, simd, relaxed-simd), forward and backward.
 *
 * The PyTorch goldens (test/fixtures/ops.json, the 'edge/…' cases of gen_ops.py) hold the reference
 * backend and the default wasm build to PyTorch; here a few facts are checked directly on every build
 * (expected values from PyTorch 1.13, the expression in each comment), then every build is held to
 * the reference backend on special values placed in SIMD bodies and scalar tails: bit for bit where
 * the reference gives NaN, ±∞ or ±0, within a few ulps (or 1e-6) elsewhere (the float32 exp, log and
 * tanh of the kernels differ from the reference's float64 ones by that much).
 */
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  type Backend,
  clamp,
  crossEntropy,
  div,
  elu,
  erf,
  exp,
  gelu,
  leakyRelu,
  linear,
  log,
  logSoftmax,
  max,
  maximum,
  min,
  minimum,
  mul,
  neg,
  pow,
  ReferenceBackend,
  relu,
  rsqrt,
  sigmoid,
  sign,
  softmax,
  softplus,
  sqrt,
  square,
  std,
  type Tensor,
  tanh,
  tensor,
  variance,
  withBackend,
} from '../../src/index.js';
import { ulps, wasmBackends } from '../backend/wasm_helpers.js';

const reference = new ReferenceBackend();
const builds: { name: string; backend: Backend }[] = [
  { name: 'reference', backend: reference },
  ...wasmBackends.map(({ variant, backend }) => ({ name: `wasm ${variant}`, backend })),
];

const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
/** Special values, repeated so that each falls in 8- and 4-wide SIMD bodies and in scalar tails. */
const SPECIAL = [NAN, INF, -INF, 0, -0, 1.5, -2, NAN, 3, -INF, 0.5, -0.25, 40, -90, 7];
const LONG = [...SPECIAL, ...SPECIAL.slice(0, 8)];
/** A second operand: the same values shifted, so that every pairing of specials occurs. */
const SHIFTED = LONG.map((_, i) => LONG[(i + 3) % LONG.length]!);
/** An upstream gradient with ∞ and NaN where the input is ordinary, and ordinary values elsewhere. */
const WILD = LONG.map((_, i) => [INF, NAN, -INF, 1, -0.5, 2][i % 6]!);

interface Result {
  y: number[];
  grads: number[][];
}

/** f's output and the gradients of its inputs for the given upstream (ones by default), on one backend. */
function run(
  backend: Backend,
  inputs: readonly (readonly number[])[],
  f: (...xs: Tensor[]) => Tensor,
  upstream?: readonly number[],
  shapes?: readonly (readonly number[])[],
): Result {
  return withBackend(backend, () => {
    const xs = inputs.map((v, i) => tensor([...v], { shape: shapes?.[i] ?? [v.length], requiresGrad: true }));
    const y = f(...xs);
    y.backward(upstream === undefined ? y.onesLike() : tensor([...upstream], { shape: y.shape }));
    return { y: Array.from(y.data()), grads: xs.map((x) => Array.from(x.grad!.data())) };
  });
}

/** NaN, ±∞ and ±0 of the reference exactly (the sign of zero too); finite values within `maxUlps`. */
function expectLikeReference(actual: number[], expected: number[], what: string, maxUlps = 4): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const exact = !Number.isFinite(e) || e === 0;
    // Derivatives such as y(1 − y) near saturation amplify the kernels' ulps: an absolute bound too.
    const near = ulps(a, e) <= maxUlps || Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e));
    if (exact ? !Object.is(a, e) : !near) {
      expect.fail(`${what}: element ${i} is ${a}, the reference backend gives ${e}`);
    }
  }
}

function expectBuildsAgree(
  what: string,
  inputs: readonly (readonly number[])[],
  f: (...xs: Tensor[]) => Tensor,
  upstream?: readonly number[],
  shapes?: readonly (readonly number[])[],
): void {
  const want = run(reference, inputs, f, upstream, shapes);
  for (const { variant, backend } of wasmBackends) {
    const got = run(backend, inputs, f, upstream, shapes);
    expectLikeReference(got.y, want.y, `${what} on wasm ${variant}: output`);
    got.grads.forEach((g, k) => {
      expectLikeReference(g, want.grads[k]!, `${what} on wasm ${variant}: gradient of input ${k}`);
    });
  }
}

describe.each(builds)('PyTorch 1.13 facts on $name', ({ backend }) => {
  it('relu and elu pass the gradient of a NaN input; abs gives it 0', () => {
    // torch.relu(x).backward(ones) for x = [nan, 0, -1, 2] → x.grad = [1, 0, 0, 1]
    expect(run(backend, [[NAN, 0, -1, 2]], (x) => relu(x)).grads[0]).toEqual([1, 0, 0, 1]);
    // F.elu(x, 2.0) for x = [nan, 0, -1] → x.grad = [1, 2, 2·e⁻¹]
    const e = run(backend, [[NAN, 0, -1]], (x) => elu(x, 2)).grads[0]!;
    expect(e.slice(0, 2)).toEqual([1, 2]);
    expect(e[2]).toBeCloseTo(2 / Math.E, 6);
    // torch.abs(x) for x = [nan, 0, -3] → x.grad = [0, 0, -1]
    expect(run(backend, [[NAN, 0, -3]], (x) => abs(x)).grads[0]).toEqual([0, 0, -1]);
  });

  it('relu keeps −0 and NaN (PyTorch computes x < 0 ? 0 : x)', () => {
    // torch.relu(torch.tensor([-0.] * 9)) keeps the sign bits; relu(nan) = nan
    const y = run(backend, [[...new Array<number>(9).fill(-0), NAN, -1]], (x) => relu(x)).y;
    expect(y.map((v) => Object.is(v, -0))).toEqual([...new Array<boolean>(9).fill(true), false, false]);
    expect(y.slice(9)).toEqual([NAN, 0]);
  });

  it('clamp keeps x where it equals a bound, the sign of zero included', () => {
    // torch.clamp(torch.full((9,), -0.), 0, 1) keeps −0; torch.clamp(torch.zeros(9), -1, -0.) keeps +0
    const neg = run(backend, [new Array<number>(9).fill(-0)], (x) => clamp(x, 0, 1)).y;
    expect(neg.every((v) => Object.is(v, -0))).toBe(true);
    const pos = run(backend, [new Array<number>(9).fill(0)], (x) => clamp(x, -1, -0)).y;
    expect(pos.every((v) => Object.is(v, 0))).toBe(true);
  });

  it('sign maps NaN and −0 to +0, and its gradient is zero even for a NaN or infinite upstream', () => {
    // torch.sign([nan, -0., 0., -2., inf]) = [0., 0., 0., -1., 1.] (no sign bit on the zeros)
    const r = run(backend, [[NAN, -0, 0, -2, INF]], (x) => sign(x), [NAN, INF, 1, -INF, 2]);
    expect(r.y.map((v) => Object.is(v, 0))).toEqual([true, true, true, false, false]);
    expect(r.y.slice(3)).toEqual([-1, 1]);
    expect(r.grads[0]!.every((g) => Object.is(g, 0))).toBe(true);
  });

  it('maximum and minimum give a NaN operand’s gradient to both sides and mask the loser', () => {
    // torch.maximum(a, b).backward(g), a = [nan, 1, 1, 2], b = [1, nan, 2, 2], g = [1, 1, inf, 4]
    // → a.grad = [1, 1, 0, 2], b.grad = [1, 1, inf, 2]
    const up = [1, 1, INF, 4];
    const mx = run(
      backend,
      [
        [NAN, 1, 1, 2],
        [1, NAN, 2, 2],
      ],
      (a, b) => maximum(a, b),
      up,
    );
    expect(mx.grads).toEqual([
      [1, 1, 0, 2],
      [1, 1, INF, 2],
    ]);
    // torch.minimum: a.grad = [1, 1, inf, 2], b.grad = [1, 1, 0, 2]
    const mn = run(
      backend,
      [
        [NAN, 1, 1, 2],
        [1, NAN, 2, 2],
      ],
      (a, b) => minimum(a, b),
      up,
    );
    expect(mn.grads).toEqual([
      [1, 1, INF, 2],
      [1, 1, 0, 2],
    ]);
  });

  it('clamp masks the gradient outside [min, max], an infinite upstream included', () => {
    // torch.clamp(x, 0.5, 1).backward([inf, inf, nan, 2]) for x = [-1, 2, 0, 0.75] → [0, 0, 0, 2]
    expect(run(backend, [[-1, 2, 0, 0.75]], (x) => clamp(x, 0.5, 1), [INF, INF, NAN, 2]).grads[0]).toEqual([
      0, 0, 0, 2,
    ]);
  });

  it('pow follows C: 1^y = x^0 = (−1)^±∞ = 1, even for NaN', () => {
    // torch.pow([1, 1, -1, -1, 1, nan, -1], [inf, -inf, inf, -inf, nan, 0, nan]) = [1, 1, 1, 1, 1, 1, nan]
    const r = run(
      backend,
      [
        [1, 1, -1, -1, 1, NAN, -1],
        [INF, -INF, INF, -INF, NAN, 0, NAN],
      ],
      (a, b) => pow(a, b),
    );
    expect(r.y).toEqual([1, 1, 1, 1, 1, 1, NAN]);
    // d/da at (1, ±inf) is b·1^(b−1) = ±inf; d/db there is 1·log 1 = 0.
    expect(r.grads[0]!.slice(0, 2)).toEqual([INF, -INF]);
    expect(r.grads[1]!.slice(0, 2)).toEqual([0, 0]);
  });

  it('the divisor’s gradient is −g·((a/b)/b), finite where a/b² overflows', () => {
    // (a / b).backward() for a = 3e38, b = -1e4: b.grad = -3.000000196258126e+30 (PyTorch, float32)
    const r = run(backend, [[3e38], [-1e4]], (a, b) => div(a, b));
    expect(r.grads[1]![0]).toBe(-3.000000196258126e30);
  });

  it('softmax and logSoftmax turn a row with +∞ (or all −∞) into NaN', () => {
    // F.softmax([1, inf, 2, 0, -1], 0) and F.log_softmax(…) are all nan, as is softmax of all -inf.
    for (const f of [softmax, logSoftmax]) {
      const r = run(backend, [[1, INF, 2, 0, -1, -INF, -INF, -INF, -INF, -INF]], (x) =>
        f(x.reshape(2, 5), 1),
      );
      expect(r.y.every(Number.isNaN)).toBe(true);
      expect(r.grads[0]!.every(Number.isNaN)).toBe(true);
    }
    // A −∞ logit alone is fine: F.softmax([-inf, 0, 0]) = [0, ½, ½].
    expect(run(backend, [[-INF, 0, 0]], (x) => softmax(x, 0)).y).toEqual([0, 0.5, 0.5]);
  });

  it('crossEntropy (the fused softmax kernel) is NaN for a row with +∞ or only −∞, as log-softmax is', () => {
    // F.cross_entropy([[1, inf, 2]], [0]) = nan, grad all nan; likewise for a row of −∞.
    for (const row of [
      [1, INF, 2],
      [-INF, -INF, -INF],
    ]) {
      const r = withBackend(backend, () => {
        const x = tensor([row], { requiresGrad: true });
        const loss = crossEntropy(x, tensor([0], { dtype: 'int32' }));
        loss.backward();
        return { loss: loss.item(), grad: Array.from(x.grad!.data()) };
      });
      expect(r.loss).toBeNaN();
      expect(r.grad.every(Number.isNaN)).toBe(true);
    }
    // A −∞ logit alone is fine: F.cross_entropy([[-inf, 0]], [1]) = 0, grad [0, 0].
    const ok = withBackend(backend, () => {
      const x = tensor([[-INF, 0]], { requiresGrad: true });
      const loss = crossEntropy(x, tensor([1], { dtype: 'int32' }));
      loss.backward();
      return [loss.item(), ...Array.from(x.grad!.data())];
    });
    expect(ok).toEqual([0, 0, 0]);
  });

  it('the fused linear + relu passes the gradient of a NaN pre-activation', () => {
    // torch.relu(F.linear(x, w)).backward() for x = [[nan, 1]], w = [[1, 1]] → x.grad = [[1, 1]]
    const r = run(
      backend,
      [
        [NAN, 1],
        [1, 1],
      ],
      (x, w) => linear(x, w, null, 'relu'),
      undefined,
      [
        [1, 2],
        [1, 2],
      ],
    );
    expect(r.y).toEqual([NAN]);
    expect(r.grads[0]).toEqual([1, 1]);
  });
});

describe.skipIf(wasmBackends.length === 0)(
  'every wasm build computes what the reference backend does',
  () => {
    const unary: [string, (x: Tensor) => Tensor][] = [
      ['relu', (x) => relu(x)],
      ['abs', (x) => abs(x)],
      ['sign', (x) => sign(x)],
      ['neg', (x) => neg(x)],
      ['square', (x) => square(x)],
      ['exp', (x) => exp(x)],
      ['log', (x) => log(x)],
      ['sqrt', (x) => sqrt(x)],
      ['rsqrt', (x) => rsqrt(x)],
      ['sigmoid', (x) => sigmoid(x)],
      ['tanh', (x) => tanh(x)],
      ['erf', (x) => erf(x)],
      ['leakyRelu', (x) => leakyRelu(x, 0.2)],
      ['elu', (x) => elu(x, 0.5)],
      ['gelu', (x) => gelu(x)],
      ['gelu tanh', (x) => gelu(x, { approximate: 'tanh' })],
      ['softplus', (x) => softplus(x)],
      ['clamp', (x) => clamp(x, -0.5, 0.7)],
    ];

    it.each(unary)('%s at NaN, ±∞ and ±0, and with a NaN/∞ upstream gradient', (name, f) => {
      expectBuildsAgree(name, [LONG], f);
      expectBuildsAgree(`${name} (wild upstream)`, [LONG], f, WILD);
    });

    const binary: [string, (a: Tensor, b: Tensor) => Tensor][] = [
      ['add', (a, b) => add(a, b)],
      ['mul', (a, b) => mul(a, b)],
      ['div', (a, b) => div(a, b)],
      ['pow', (a, b) => pow(a, b)],
      ['maximum', (a, b) => maximum(a, b)],
      ['minimum', (a, b) => minimum(a, b)],
    ];

    it.each(binary)('%s over every pairing of special values, and with a NaN/∞ upstream', (name, f) => {
      expectBuildsAgree(name, [LONG, SHIFTED], f);
      expectBuildsAgree(`${name} (wild upstream)`, [LONG, SHIFTED], f, WILD);
      expectBuildsAgree(`${name} (ones and minus ones)`, [LONG, LONG.map((_, i) => (i % 2 ? 1 : -1))], f);
    });

    it('softmax and logSoftmax along a contiguous and a strided axis', () => {
      for (const f of [softmax, logSoftmax]) {
        // [3, 23]: rows with specials (length past the SIMD width); axis 0 runs the strided kernel.
        const data = [...LONG, ...SHIFTED, ...LONG.map((v) => (Number.isFinite(v) ? v : 1))];
        expectBuildsAgree(`${f.name} axis 1`, [data], (x) => f(x.reshape(3, 23), 1));
        expectBuildsAgree(`${f.name} axis 0`, [data], (x) => f(x.reshape(3, 23), 0));
      }
    });

    it('max and min with ties and NaN, over everything, an axis list and one axis', () => {
      const data = [3, 1, 3, NAN, 2, 2, -1, 2, 0, 0, 0, 0, 5, -INF, 5, INF, INF, 1];
      for (const f of [max, min]) {
        expectBuildsAgree(`${f.name}()`, [data], (x) => f(x));
        expectBuildsAgree(`${f.name}() without NaN`, [data.map((v) => (Number.isNaN(v) ? 3 : v))], (x) =>
          f(x),
        );
        expectBuildsAgree(`${f.name} [1]`, [data], (x) => f(x.reshape(3, 6), [1]));
        expectBuildsAgree(`${f.name} [0, 1]`, [data], (x) => f(x.reshape(3, 2, 3), [0, 2], true));
        expectBuildsAgree(`${f.name} axis 1`, [data], (x) => f(x.reshape(3, 6), 1));
      }
    });

    it('variance and std at σ = 0 and with correction ≥ N', () => {
      const data = [2, 2, 2, 1, 5, -3, 4, 4, 4, 0, 0, 7];
      for (const f of [variance, std]) {
        for (const correction of [0, 1, 3, 4, 6]) {
          expectBuildsAgree(`${f.name} axis 1 correction ${correction}`, [data], (x) =>
            f(x.reshape(4, 3), 1, { correction }),
          );
          expectBuildsAgree(`${f.name} axis 0 correction ${correction}`, [data], (x) =>
            f(x.reshape(4, 3), 0, { correction }),
          );
        }
        expectBuildsAgree(`${f.name} of a size-1 axis`, [data], (x) =>
          f(x.reshape(12, 1), 1, { correction: 0 }),
        );
      }
    });

    it('the fused linear layer with NaN and ∞ in its input', () => {
      const x = [NAN, 1, -1, 2, INF, 0.5, -INF, 1, 0, 0, 3, -2];
      const w = [1, -1, 0.5, 2, -0.5, 1, 1, 1, -1, 0.25, 2, -2];
      for (const activation of ['relu', 'sigmoid', 'tanh'] as const) {
        expectBuildsAgree(
          `linear ${activation}`,
          [x, w],
          (a, b) => linear(a, b, null, activation),
          undefined,
          [
            [6, 2],
            [6, 2],
          ],
        );
      }
    });
  },
);
