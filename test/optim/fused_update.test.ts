/**
 * Fused optimizer updates (Backend.optimizerUpdate, src/optim/fused.ts) against the chains they
 * replace: SGD, Adam, AdamW, RMSprop and Adagrad give the same bits fused and unfused, on every
 * backend, over 12 steps of parameters of sizes 1, 3, 4, 5, 17, 33, 100 and 257 (the SIMD tails),
 * for many option combinations, with hyperparameters and lazy state changing between steps; the state
 * is the same tensors either way (stateDict, switching paths mid-run); the kernels of every wasm build
 * equal the reference kernel bit for bit; what cannot be fused falls back to the chain; the kernels'
 * argument errors.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { hasFused, type WithFused } from '../../src/backend/capabilities.js';
import type { OptimizerUpdateCall } from '../../src/backend/optimizer_update.js';
import { isExact, type Precision } from '../../src/backend/precision.js';
import { WasmBuffer } from '../../src/backend/wasm/wasm_backend.js';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  OneCycleLR,
  type Optimizer,
  ReferenceBackend,
  RMSprop,
  SGD,
  scope,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { rng, wasmBackends } from '../backend/wasm_helpers.js';
import { backends } from '../backends.js';

type Make = (params: Tensor[] | { params: Tensor[] }[]) => Optimizer<{ lr: number }>;

interface Case {
  name: string;
  make: Make;
  /** Changes hyperparameters before step k (as a schedule or a user would), on both optimizers alike. */
  before?: (k: number, opt: Optimizer<{ lr: number }>) => void;
}

const opt = <O>(Cls: new (p: never, o: O) => Optimizer<{ lr: number }>, o: O): Make => {
  return (p) => new Cls(p as never, o);
};
const group = (opt: Optimizer<{ lr: number }>) => opt.paramGroups[0] as unknown as Record<string, unknown>;

const CASES: Case[] = [
  { name: 'SGD lr 0.1', make: opt(SGD, { lr: 0.1 }) },
  { name: 'SGD momentum', make: opt(SGD, { lr: 0.05, momentum: 0.9 }) },
  {
    name: 'SGD momentum, dampening, weightDecay',
    make: opt(SGD, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }),
  },
  {
    name: 'SGD nesterov, weightDecay',
    make: opt(SGD, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
  },
  { name: 'SGD maximize', make: opt(SGD, { lr: 0.1, momentum: 0.5, weightDecay: 0.02, maximize: true }) },
  {
    name: 'SGD momentum switched on at step 5, lr changed at step 8',
    make: opt(SGD, { lr: 0.01 }),
    before: (k, o) => {
      if (k === 5) group(o).momentum = 0.9;
      if (k === 8) o.lr = 0.003;
    },
  },
  { name: 'Adam defaults', make: opt(Adam, {}) },
  {
    name: 'Adam betas, eps, weightDecay (L2)',
    make: opt(Adam, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.01 }),
  },
  { name: 'Adam amsgrad', make: opt(Adam, { lr: 0.01, amsgrad: true }) },
  { name: 'Adam maximize, weightDecay', make: opt(Adam, { lr: 0.01, maximize: true, weightDecay: 0.1 }) },
  { name: 'Adam biasCorrection false', make: opt(Adam, { lr: 0.1, biasCorrection: false }) },
  { name: 'Adam epsInsideSqrt', make: opt(Adam, { lr: 0.1, epsInsideSqrt: true, eps: 1e-4 }) },
  {
    name: 'Adam textbook (no bias correction, ε inside √) with amsgrad',
    make: opt(Adam, { lr: 0.05, biasCorrection: false, epsInsideSqrt: true, amsgrad: true }),
  },
  {
    name: 'Adam amsgrad switched on at step 6, betas changed at step 3',
    make: opt(Adam, { lr: 0.02 }),
    before: (k, o) => {
      if (k === 3) group(o).betas = [0.7, 0.9];
      if (k === 6) group(o).amsgrad = true;
    },
  },
  { name: 'AdamW defaults (weightDecay 0.01)', make: opt(AdamW, {}) },
  { name: 'AdamW weightDecay 0.1, amsgrad', make: opt(AdamW, { lr: 0.01, weightDecay: 0.1, amsgrad: true }) },
  { name: 'AdamW no decay, maximize', make: opt(AdamW, { lr: 0.01, weightDecay: 0, maximize: true }) },
  {
    name: 'AdamW textbook forms',
    make: opt(AdamW, { lr: 0.01, epsInsideSqrt: true, biasCorrection: false, betas: [0.5, 0.75] }),
  },
  { name: 'RMSprop defaults', make: opt(RMSprop, {}) },
  { name: 'RMSprop momentum', make: opt(RMSprop, { lr: 0.01, momentum: 0.9 }) },
  { name: 'RMSprop centered', make: opt(RMSprop, { lr: 0.01, centered: true }) },
  {
    name: 'RMSprop centered, momentum, weightDecay, alpha',
    make: opt(RMSprop, { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.01, alpha: 0.9 }),
  },
  {
    name: 'RMSprop epsInsideSqrt, maximize',
    make: opt(RMSprop, { lr: 0.01, epsInsideSqrt: true, maximize: true }),
  },
  {
    name: 'RMSprop centered and momentum switched on at steps 4 and 7',
    make: opt(RMSprop, { lr: 0.01, eps: 0.1, epsInsideSqrt: true }),
    before: (k, o) => {
      if (k === 4) group(o).centered = true;
      if (k === 7) group(o).momentum = 0.5;
    },
  },
  { name: 'Adagrad defaults', make: opt(Adagrad, {}) },
  { name: 'Adagrad lrDecay', make: opt(Adagrad, { lr: 0.1, lrDecay: 0.01 }) },
  {
    name: 'Adagrad initialAccumulatorValue, weightDecay',
    make: opt(Adagrad, { lr: 0.1, initialAccumulatorValue: 0.1, weightDecay: 0.01 }),
  },
  {
    name: 'Adagrad epsInsideSqrt, maximize, lrDecay',
    make: opt(Adagrad, { lr: 0.1, eps: 1e-6, epsInsideSqrt: true, maximize: true, lrDecay: 0.05 }),
  },
];

/** Parameter shapes covering sizes 1, 3, 4, 5, 17, 33, 100, 257 (SIMD bodies and tails). */
const SHAPES: number[][] = [[1], [3], [4], [5], [17], [33], [4, 25], [257]];
const STEPS = 12;

/** Seeded values of mixed magnitudes and signs (some exact zeros). */
function values(n: number, seed: number, scale = 1): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => {
    const u = next();
    if (u < 0.05) return 0;
    return (next() - 0.5) * scale * 10 ** Math.floor(next() * 4 - 2);
  });
}

type DType = 'float32' | 'float64';

function makeParams(dtype: DType, shapes = SHAPES): Tensor[] {
  return shapes.map((shape, i) =>
    tensor(
      values(
        shape.reduce((a, b) => a * b, 1),
        100 + i,
      ),
      { shape, dtype, requiresGrad: true },
    ),
  );
}

function setGrads(params: Tensor[], step: number, dtype: DType, special?: number[]): void {
  params.forEach((p, i) => {
    const v = values(p.size, 1000 * step + i, 4);
    for (const [j, s] of (special ?? []).entries()) if (j < v.length) v[(j * 7) % v.length] = s;
    p.grad?.dispose();
    p.grad = tensor(v, { shape: p.shape, dtype });
  });
}

/** Index and values of the first element whose bits differ (NaNs count as equal), or null. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}]: ${a[i]} vs ${b[i]}`;
  return null;
}

/** Like firstDifference, within |a − b| ≤ atol + rtol·|b| (NaNs equal, infinities exact). */
function firstBeyond(a: ArrayLike<number>, b: ArrayLike<number>, p: Precision): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (!Number.isFinite(y) || Math.abs(x - y) > p.atol + p.rtol * Math.abs(y)) return `[${i}]: ${x} vs ${y}`;
  }
  return null;
}

/**
 * Bit for bit, or within the backend's declared rtol/atol where its precision does not declare the
 * fused update exact (`tolerant`: WebGPU devices may flush subnormal results to zero).
 */
function expectSameBits(a: Tensor[], b: Tensor[], where: string, tolerant: Precision | null = null): void {
  a.forEach((t, i) => {
    const d = tolerant
      ? firstBeyond(t.data(), b[i]!.data(), tolerant)
      : firstDifference(t.data(), b[i]!.data());
    expect(d, `${where}, parameter ${i} [${t.shape.join(', ')}]`).toBeNull();
  });
}

/** Every number in a state dict, flattened in order (tensors' data included). */
function stateNumbers(sd: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(sd);
  return out;
}

function countCalls(backend: Backend) {
  return vi.spyOn(backend, 'optimizerUpdate');
}

afterEach(() => {
  vi.restoreAllMocks();
});

interface PairRun {
  readonly dtype: DType;
  readonly backend: Backend;
  /** Values planted in every gradient (zeros, subnormals, infinities). */
  readonly special?: number[];
  readonly steps?: number;
}

/**
 * Runs `steps` steps of a fused and an unfused optimizer side by side, checking bits after each
 * (with special values, within the declared tolerance on a backend whose fused update is not exact).
 */
function runPair(c: Case, { dtype, backend, special, steps = STEPS }: PairRun): void {
  const tolerant = special && !isExact(backend.precision, 'optimizerUpdate') ? backend.precision : null;
  const fusedParams = makeParams(dtype);
  const chainParams = makeParams(dtype);
  const fused = c.make(fusedParams);
  const chain = c.make(chainParams);
  chain.fusedUpdates = false;
  const spy = countCalls(backend);
  for (let k = 1; k <= steps; k++) {
    c.before?.(k, fused);
    c.before?.(k, chain);
    setGrads(fusedParams, k, dtype, special);
    setGrads(chainParams, k, dtype, special);
    const before = spy.mock.calls.length;
    scope(() => fused.step());
    expect(spy.mock.calls.length - before, 'one fused call per parameter').toBe(SHAPES.length);
    scope(() => chain.step());
    expect(spy.mock.calls.length - before, 'the chain makes no fused call').toBe(SHAPES.length);
    expectSameBits(fusedParams, chainParams, `step ${k}`, tolerant);
  }
  const [a, b] = [stateNumbers(fused.stateDict()), stateNumbers(chain.stateDict())];
  expect(tolerant ? firstBeyond(a, b, tolerant) : firstDifference(a, b), 'state dicts').toBeNull();
  // Not vacuous: the parameters moved.
  expect(firstDifference(fusedParams[7]!.data(), makeParams(dtype)[7]!.data())).not.toBeNull();
}

/** The backends with the fused kernel (the core-only one composes every update from the chain). */
const fusedBackends = backends.flatMap(({ name, backend }) =>
  hasFused(backend, 'optimizerUpdate') ? [{ name, backend: backend as WithFused<'optimizerUpdate'> }] : [],
);

/** Every third case, which still meets every update kind and most options: the special-value runs. */
const EVERY_THIRD = CASES.filter((_, i) => i % 3 === 0);

/**
 * One case per update kind, the one with the most options on: what the webgpu entry runs (SwiftShader
 * spends about 0.2 ms on every dispatch, and a chain step is some forty of them).
 */
const ONE_PER_KIND = CASES.filter((c) =>
  [
    'SGD nesterov, weightDecay',
    'Adam textbook (no bias correction, ε inside √) with amsgrad',
    'AdamW weightDecay 0.1, amsgrad',
    'RMSprop centered, momentum, weightDecay, alpha',
    'Adagrad epsInsideSqrt, maximize, lrDecay',
  ].includes(c.name),
);

describe.each(fusedBackends)('fused optimizer updates on $name', ({ name, backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);
  const cases = name === 'webgpu' ? ONE_PER_KIND : CASES;
  // Six steps on the webgpu entry (a CPU emulation here): a state's second and later uses are met.
  const steps = name === 'webgpu' ? 6 : STEPS;

  describe(`fused equals the chain bit for bit (float32, ${steps} steps, sizes 1–257)${name === 'webgpu' ? ', one case per update kind' : ''}`, () => {
    for (const c of cases) it(c.name, () => on(() => runPair(c, { dtype: 'float32', backend, steps })));
  });

  describe('with zeros, −0, subnormals, huge and infinite gradients', () => {
    const special = [0, -0, 1e-41, -3e-39, 1e30, -1e25, 3.4e38, Number.POSITIVE_INFINITY];
    for (const c of name === 'webgpu' ? ONE_PER_KIND : EVERY_THIRD) {
      it(c.name, () => on(() => runPair(c, { dtype: 'float32', backend, special, steps })));
    }
  });

  it.skipIf(!backend.supports('float64'))('float64 parameters: the same bits as the float64 chain', () =>
    on(() => {
      for (const c of CASES) runPair(c, { dtype: 'float64', backend });
    }),
  );

  it('learning-rate and momentum schedules (OneCycleLR, CosineAnnealingLR) change every step alike', () =>
    on(() => {
      for (const [make, Sched] of [
        [opt(Adam, { lr: 1e-3, betas: [0.9, 0.99] }), OneCycleLR],
        [opt(SGD, { lr: 0.1, momentum: 0.9 }), OneCycleLR],
        [opt(RMSprop, { lr: 0.01, momentum: 0.5 }), CosineAnnealingLR],
      ] as const) {
        const pa = makeParams('float32');
        const pb = makeParams('float32');
        const a = make(pa);
        const b = make(pb);
        b.fusedUpdates = false;
        const options = Sched === OneCycleLR ? { maxLr: 0.05, totalSteps: 10 } : { tMax: 10 };
        const sa = new (Sched as typeof OneCycleLR)(a as never, options as never);
        const sb = new (Sched as typeof OneCycleLR)(b as never, options as never);
        for (let k = 1; k <= 10; k++) {
          setGrads(pa, k, 'float32');
          setGrads(pb, k, 'float32');
          scope(() => a.step());
          scope(() => b.step());
          sa.step();
          sb.step();
          expectSameBits(pa, pb, `step ${k}`);
        }
      }
    }));

  it(`switching between fused and chain steps, and a stateDict JSON round trip, continue seamlessly${name === 'webgpu' ? ' (one case per update kind)' : ''}`, () =>
    on(() => {
      for (const c of cases) {
        const straight = makeParams('float32');
        const a = c.make(straight);
        const mixed = makeParams('float32');
        let b = c.make(mixed);
        for (let k = 1; k <= STEPS; k++) {
          c.before?.(k, a);
          c.before?.(k, b);
          b.fusedUpdates = k % 4 === 1 || k % 4 === 2; // two fused steps, two chain steps, …
          if (k === 7) {
            // Resume from a saved state dict in a fresh optimizer on copies of the parameters.
            const saved = JSON.parse(JSON.stringify(b.stateDict()));
            const copies = mixed.map((p) =>
              tensor(Array.from(p.data()), { shape: p.shape, requiresGrad: true }),
            );
            mixed.splice(0, mixed.length, ...copies);
            b = c.make(mixed);
            b.loadStateDict(saved);
          }
          setGrads(straight, k, 'float32');
          setGrads(mixed, k, 'float32');
          scope(() => a.step());
          scope(() => b.step());
          expectSameBits(straight, mixed, `${c.name}, step ${k}`);
        }
      }
    }));

  it('parameter groups, a parameter without gradient, a strided gradient and a strided parameter', () =>
    on(() => {
      const build = () => {
        const [w, b, frozen] = makeParams('float32', [[5, 7], [7], [3]]) as [Tensor, Tensor, Tensor];
        // A parameter that is a view at an offset into a larger buffer cannot go to the kernel.
        const base = tensor(values(40, 7), { shape: [40] });
        const view = base.index('3:20').detach().requiresGrad_();
        return { w, b, frozen, view, all: [w, b, frozen, view] };
      };
      const x = build();
      const y = build();
      const make = (p: ReturnType<typeof build>) =>
        new Adam(
          [
            { params: [p.w, p.frozen], lr: 0.05, amsgrad: true },
            { params: [p.b, p.view], lr: 0.01, weightDecay: 0.1 },
          ],
          {},
        );
      const fused = make(x);
      const chain = make(y);
      chain.fusedUpdates = false;
      const spy = countCalls(backend);
      for (let k = 1; k <= 6; k++) {
        for (const p of [x, y]) {
          // w's gradient is the transpose of a [7, 5] tensor: strided, copied before the kernel.
          p.w.grad = tensor(values(35, k), { shape: [7, 5] }).transpose(0, 1);
          p.b.grad = tensor(values(7, k + 50), { shape: [7] });
          p.view.grad = tensor(values(17, k + 90), { shape: [17] });
        }
        const before = spy.mock.calls.length;
        scope(() => fused.step());
        expect(spy.mock.calls.length - before).toBe(2); // w and b; not frozen (no grad), not view
        scope(() => chain.step());
        expectSameBits(x.all, y.all, `step ${k}`);
      }
      expect(Array.from(x.frozen.data())).toEqual(
        Array.from(makeParams('float32', [[5, 7], [7], [3]])[2]!.data()),
      );
      expect(Object.keys(fused.stateDict().state)).toEqual(['0', '2', '3']);
    }));

  it("SGD's look-ahead Nesterov form keeps using the chain (and its closure)", () =>
    on(() => {
      const w = tensor([1, -2, 3], { requiresGrad: true });
      const o = new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' });
      const spy = countCalls(backend);
      for (let k = 0; k < 3; k++) {
        o.step(() => {
          o.zeroGrad();
          const loss = w.mul(w).sum();
          loss.backward();
          return loss;
        });
      }
      expect(spy).not.toHaveBeenCalled();
      expect(Array.from(w.data()).every((v, i) => Math.abs(v) < Math.abs([1, -2, 3][i]!))).toBe(true);
    }));

  it.skipIf(backend.name !== 'wasm')('a fused step allocates nothing once the state exists', () =>
    on(() => {
      const params = makeParams('float32');
      const o = new Adam(params, { lr: 0.01, amsgrad: true });
      setGrads(params, 1, 'float32');
      scope(() => o.step());
      const bytes = backend.bytesInUse();
      for (let k = 2; k <= 5; k++) scope(() => o.step());
      expect(backend.bytesInUse()).toBe(bytes);
    }),
  );
});

// ------------------------------------------------------------------ the kernels themselves

/** Calls covering every stage switch of every kind. */
const CALLS: OptimizerUpdateCall[] = [
  {
    kind: 'sgd',
    lr: 0.1,
    weightDecay: 0,
    momentum: 0,
    oneMinusDampening: 1,
    nesterov: false,
    initMomentum: false,
    maximize: false,
  },
  {
    kind: 'sgd',
    lr: 0.03,
    weightDecay: 0.01,
    momentum: 0.9,
    oneMinusDampening: 0.9,
    nesterov: false,
    initMomentum: false,
    maximize: true,
  },
  {
    kind: 'sgd',
    lr: 0.03,
    weightDecay: 0,
    momentum: 0.9,
    oneMinusDampening: 1,
    nesterov: true,
    initMomentum: true,
    maximize: false,
  },
  ...(['adam', 'adamw'] as const).flatMap((kind) =>
    [false, true].map(
      (flip): OptimizerUpdateCall => ({
        kind,
        lr: 1e-3,
        weightDecay: flip ? 0.01 : 0,
        beta1: 0.9,
        oneMinusBeta1: 1 - 0.9,
        beta2: 0.999,
        oneMinusBeta2: 1 - 0.999,
        eps: 1e-8,
        biasCorrection1: flip ? 1 : 1 - 0.9 ** 3,
        biasCorrection2: flip ? 1 : 1 - 0.999 ** 3,
        sqrtBiasCorrection2: flip ? 1 : Math.sqrt(1 - 0.999 ** 3),
        amsgrad: flip,
        epsInsideSqrt: flip,
        maximize: !flip,
      }),
    ),
  ),
  ...[false, true].map(
    (flip): OptimizerUpdateCall => ({
      kind: 'rmsprop',
      lr: 0.01,
      weightDecay: flip ? 0.1 : 0,
      alpha: 0.99,
      oneMinusAlpha: 1 - 0.99,
      eps: 1e-8,
      centered: flip,
      epsInsideSqrt: !flip,
      momentum: flip ? 0.9 : 0,
      initMomentum: false,
      maximize: flip,
    }),
  ),
  {
    kind: 'rmsprop',
    lr: 0.01,
    weightDecay: 0,
    alpha: 0.9,
    oneMinusAlpha: 1 - 0.9,
    eps: 1e-8,
    centered: false,
    epsInsideSqrt: false,
    momentum: 0.5,
    initMomentum: true,
    maximize: false,
  },
  ...[false, true].map(
    (flip): OptimizerUpdateCall => ({
      kind: 'adagrad',
      lr: 0.1,
      weightDecay: flip ? 0.01 : 0,
      eps: 1e-10,
      stepSizeDivisor: flip ? 1.03 : 1,
      epsInsideSqrt: flip,
      maximize: flip,
    }),
  ),
];

function bufferCount(call: OptimizerUpdateCall): number {
  if (call.kind === 'sgd') return call.momentum === 0 ? 2 : 3;
  if (call.kind === 'adam' || call.kind === 'adamw') return call.amsgrad ? 5 : 4;
  if (call.kind === 'rmsprop') return 3 + (call.centered ? 1 : 0) + (call.momentum === 0 ? 0 : 1);
  return 3;
}

/** Runs `call` on fresh buffers of `backend` (param, grad, then non-negative state) and reads them all back. */
function runKernel(backend: Backend, call: OptimizerUpdateCall, n: number): Float32Array[] {
  const count = bufferCount(call);
  const buffers = Array.from({ length: count }, (_, i) => {
    const v = values(n, 17 * i + n, 2);
    const data = Float32Array.from(i >= 2 ? v.map(Math.abs) : v);
    const b = backend.allocate('float32', n);
    backend.write(b, data);
    return b;
  });
  backend.optimizerUpdate!(call, buffers);
  const out = buffers.map((b) => Float32Array.from(backend.read!(b)));
  for (const b of buffers) backend.release(b);
  return out;
}

describe('the wasm kernels of every build equal the reference kernel bit for bit', () => {
  const reference = new ReferenceBackend();
  describe.each(wasmBackends)('$variant', ({ backend }) => {
    for (const [j, call] of CALLS.entries()) {
      it(`${call.kind} #${j}`, () => {
        for (const n of [0, 1, 3, 4, 5, 17, 33, 100, 257]) {
          const want = runKernel(reference, call, n);
          const got = runKernel(backend, call, n);
          got.forEach((g, i) => {
            expect(firstDifference(g, want[i]!), `size ${n}, buffer ${i}`).toBeNull();
          });
          // Not vacuous: the parameter moved.
          if (n > 0) expect(firstDifference(got[0]!, Float32Array.from(values(n, n, 2)))).not.toBeNull();
        }
      });
    }
  });
});

describe.each(fusedBackends)('optimizerUpdate argument errors on $name', ({ backend }) => {
  const sgd = CALLS[1]!;
  const alloc = (n: number, dtype: 'float32' | 'int32' = 'float32') => backend.allocate(dtype, n);

  it('the wrong number of buffers', () => {
    expect(() => backend.optimizerUpdate(sgd, [alloc(3), alloc(3)])).toThrow(
      "optimizerUpdate: a 'sgd' update with these options takes 3 buffers (param, grad, state), got 2",
    );
  });

  it('buffers of different lengths or dtypes', () => {
    expect(() => backend.optimizerUpdate(sgd, [alloc(3), alloc(3), alloc(4)])).toThrow(
      'optimizerUpdate: every buffer must be float32 of length 3; buffer 2 is float32 of length 4',
    );
    expect(() => backend.optimizerUpdate(sgd, [alloc(3), alloc(3, 'int32'), alloc(3)])).toThrow(
      'optimizerUpdate: every buffer must be float32 of length 3; buffer 1 is int32 of length 3',
    );
  });

  it('integer buffers', () => {
    expect(() =>
      backend.optimizerUpdate(sgd, [alloc(3, 'int32'), alloc(3, 'int32'), alloc(3, 'int32')]),
    ).toThrow('optimizerUpdate: buffers must be floating-point, got int32');
  });

  it.skipIf(backend.name !== 'wasm')(
    'float64 buffers on the wasm backend (which never allocates them)',
    () => {
      const f64 = () => new WasmBuffer('float64', 3, 0, 0);
      expect(() => backend.optimizerUpdate(sgd, [f64(), f64(), f64()])).toThrow(
        'optimizerUpdate: the wasm backend updates float32 buffers, got float64',
      );
    },
  );

  it('an unknown kind', () => {
    const call = { kind: 'lion' } as unknown as OptimizerUpdateCall;
    expect(() => backend.optimizerUpdate(call, [alloc(3), alloc(3)])).toThrow(
      "optimizerUpdate: unknown update kind 'lion'",
    );
  });
});
