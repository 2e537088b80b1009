import { it as base, describe, expect } from 'vitest';
import {
  AdamToSGD,
  type Backend,
  Lookahead,
  type OptimizerLike,
  ReferenceBackend,
  runTrajectory,
  SGD,
  type SurfaceName,
  surfaces,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { backends } from '../backends.js';

describe.each(backends)('optimizer wrappers on $name', ({ backend }) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);
  // These specs check hand-worked float64 steps to 12 digits: on the backends that store float64
  // (the float32 check of the same optimizers on every backend is the describe below).
  const f64 = backend.supports('float64');
  const it = (title: string, fn: () => void) =>
    base.skipIf(!f64)(`${title} (float64; skipped where the backend stores none)`, fn);

  it(
    'Lookahead: k fast SGD steps, then the slow weights move α of the way and the fast ones restart there',
    run(() => {
      const p = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
      const opt = new Lookahead(new SGD([p], { lr: 0.1 }), { k: 2, alpha: 0.5 });
      const g = [0.5, 1];
      // Hand computation: two SGD steps θ ← θ − 0.1·g, then φ ← φ + 0.5(θ − φ), θ ← φ.
      let theta = [1, -2];
      const phi = [1, -2];
      for (let s = 1; s <= 4; s++) {
        p.grad = tensor(g, { dtype: 'float64' });
        opt.step();
        theta = theta.map((t, i) => t - 0.1 * g[i]!);
        if (s % 2 === 0) {
          for (let i = 0; i < 2; i++) phi[i] = phi[i]! + 0.5 * (theta[i]! - phi[i]!);
          theta = phi.slice();
        }
        const got = Array.from(p.data());
        for (const [i, v] of got.entries()) expect(v).toBeCloseTo(theta[i]!, 12);
      }
      expect(opt.lr).toBe(0.1);
      opt.lr = 0.05;
      expect(opt.paramGroups[0]!.lr).toBe(0.05);
      expect(() => new Lookahead(new SGD([p], { lr: 1 }), { k: 0 })).toThrow(
        'Lookahead: k must be a positive integer, got 0',
      );
    }),
  );

  it(
    'AdamToSGD switches at switchAt and carries the SWATS learning-rate estimate to SGD',
    run(() => {
      const theta = tensor([-4, 1], { requiresGrad: true });
      const opt = new AdamToSGD([theta], { adam: { lr: 0.1 }, switchAt: 20 });
      for (let s = 0; s < 25; s++) {
        opt.zeroGrad();
        surfaces.quadratic.loss(theta).backward();
        opt.step();
        if (s < 19) expect(opt.phase).toBe('adam');
      }
      expect(opt.phase).toBe('sgd');
      expect(opt.switchedAt).toBe(20);
      const est = opt.sgdLrEstimates[0]!;
      expect(est).toBeGreaterThan(0);
      // SWATS's rule: SGD with momentum β1 and lr (1 − β1)·Λ/(1 − β2^k).
      expect(opt.paramGroups[0]!.lr).toBeCloseTo((1 - 0.9) * est, 12);
      expect((opt.paramGroups[0] as unknown as { momentum: number }).momentum).toBe(0.9);
    }),
  );

  it(
    'AdamToSGD switches by itself at the first step k > 1 where the SWATS estimate has settled',
    run(() => {
      const theta = tensor([-4, 1], { dtype: 'float64', requiresGrad: true });
      const tolerance = 1e-3;
      const opt = new AdamToSGD([theta], { adam: { lr: 0.05 }, tolerance });
      // Independent bookkeeping of SWATS: γ_k = pᵀp / (−pᵀg), Λ_k = β2Λ + (1 − β2)γ_k.
      let lambda = 0;
      let expectedSwitch: number | null = null;
      let lossAtSwitch = Number.NaN;
      let loss = Number.NaN;
      for (let k = 1; k <= 300; k++) {
        opt.zeroGrad();
        const l = surfaces.quadratic.loss(theta);
        loss = l.item();
        l.backward();
        const g = Array.from(theta.grad!.data());
        const before = Array.from(theta.data());
        const phase = opt.phase;
        opt.step();
        if (phase === 'adam') {
          const step = Array.from(theta.data()).map((v, i) => v - before[i]!);
          const pp = step.reduce((acc, v) => acc + v * v, 0);
          const pg = step.reduce((acc, v, i) => acc + v * g[i]!, 0);
          const gamma = pp / -pg;
          lambda = 0.999 * lambda + 0.001 * gamma;
          const est = lambda / (1 - 0.999 ** k);
          expect(opt.sgdLrEstimates[0]).toBeCloseTo(est, 10);
          if (expectedSwitch === null && k > 1 && est > 0 && Math.abs(est - gamma) < tolerance) {
            expectedSwitch = k;
            lossAtSwitch = loss;
          }
        }
      }
      expect(expectedSwitch).not.toBeNull();
      expect(opt.switchedAt).toBe(expectedSwitch);
      expect(opt.phase).toBe('sgd');
      expect(loss).toBeLessThan(lossAtSwitch);
    }),
  );

  it(
    'AdamToSGD: an explicit SGD lr overrides the estimate; state round-trips across the switch',
    run(() => {
      const make = () => tensor([1.5, -0.5], { dtype: 'float64', requiresGrad: true });
      const a = make();
      const optA = new AdamToSGD([a], { adam: { lr: 0.05 }, sgd: { lr: 0.01 }, switchAt: 3 });
      const stepOn = (p: ReturnType<typeof make>, o: AdamToSGD) => {
        o.zeroGrad();
        surfaces.rosenbrock.loss(p).backward();
        o.step();
      };
      for (let s = 0; s < 5; s++) stepOn(a, optA);
      expect(optA.lr).toBe(0.01);
      const b = make();
      b.assign(a.detach());
      const optB = new AdamToSGD([b], { adam: { lr: 0.05 }, sgd: { lr: 0.01 }, switchAt: 3 });
      optB.loadStateDict(JSON.parse(JSON.stringify(optA.stateDict())) as never);
      for (let s = 0; s < 3; s++) {
        stepOn(a, optA);
        stepOn(b, optB);
      }
      expect(Array.from(b.data())).toEqual(Array.from(a.data()));
    }),
  );

  base(
    'the surface runner reproduces a trajectory exactly when run twice',
    run(() => {
      const r1 = runTrajectory({ fn: 'beale', optimizer: 'adam', options: { lr: 0.01 }, steps: 20 });
      const r2 = runTrajectory({ fn: 'beale', optimizer: 'adam', options: { lr: 0.01 }, steps: 20 });
      expect(r2).toEqual(r1);
    }),
  );
});

/**
 * The wrappers in float32 on every backend (the default one, wasm, stores no float64) against the
 * same run in float64 on the reference backend. Tolerance: every coordinate within 1e-4 relative plus
 * 1e-6 absolute of the float64 run after every step. Over these 40–60 steps float32 round-off stays
 * below 2e-5 relative (below 1e-6 for the SGD runs); what differs between the two runs (float32
 * state, the wasm kernels, the SWATS estimate in float32) would show as 1e-3 or more. Where the
 * trajectory is simple enough, it is also held to a plain float64 computation written here, so that a
 * wrong step fails on the default backend too, not only in the float64 specs above.
 */
interface WrapperRun {
  surface: SurfaceName;
  steps: number;
  make: (p: Tensor) => OptimizerLike;
  /** The trajectory computed independently in float64, where given. */
  byHand?: () => number[][];
}

/** Lookahead (k, α) over plain SGD (lr) on the quadratic 0.5·(x² + 25y²), whose gradient is (x, 25y). */
function lookaheadOnQuadratic(lr: number, k: number, alpha: number, steps: number): number[][] {
  let fast = [...surfaces.quadratic.start];
  let slow = fast.slice();
  const out: number[][] = [];
  for (let s = 1; s <= steps; s++) {
    fast = [fast[0]! - lr * fast[0]!, fast[1]! - lr * 25 * fast[1]!];
    if (s % k === 0) {
      slow = slow.map((v, i) => v + alpha * (fast[i]! - v));
      fast = slow.slice();
    }
    out.push(fast.slice());
  }
  return out;
}

function trajectory(backend: Backend, dtype: 'float32' | 'float64', run: WrapperRun): number[][] {
  return withBackend(backend, () => {
    const surface = surfaces[run.surface];
    const p = tensor([...surface.start], { dtype, requiresGrad: true });
    const opt = run.make(p);
    const out: number[][] = [];
    for (let s = 0; s < run.steps; s++) {
      opt.zeroGrad();
      surface.loss(p).backward();
      opt.step();
      out.push(Array.from(p.data()));
    }
    return out;
  });
}

function expectNear(got: number[][], want: number[][], label: string): void {
  expect(got.length, `${label}: steps`).toBe(want.length);
  const worst = { step: -1, excess: 0, got: 0, want: 0 };
  for (const [s, row] of want.entries()) {
    for (const [i, w] of row.entries()) {
      const g = got[s]![i]!;
      const excess = Math.abs(g - w) - (1e-4 * Math.abs(w) + 1e-6);
      if (!(excess <= worst.excess)) Object.assign(worst, { step: s + 1, excess, got: g, want: w });
    }
  }
  expect(worst.step, `${label}: step ${worst.step} gives ${worst.got}, float64 ${worst.want}`).toBe(-1);
}

const float64Reference = new ReferenceBackend();

const wrapperRuns: [string, WrapperRun][] = [
  [
    'Lookahead over SGD (k 3, α 0.8) on the quadratic',
    {
      surface: 'quadratic',
      steps: 40,
      make: (p) => new Lookahead(new SGD([p], { lr: 0.03 }), { k: 3, alpha: 0.8 }),
      byHand: () => lookaheadOnQuadratic(0.03, 3, 0.8, 40),
    },
  ],
  [
    'Lookahead over SGD with momentum (k 5, α 0.8) on Rosenbrock',
    {
      surface: 'rosenbrock',
      steps: 60,
      make: (p) => new Lookahead(new SGD([p], { lr: 1e-4, momentum: 0.9 }), { k: 5, alpha: 0.8 }),
    },
  ],
  [
    'AdamToSGD switching at step 20 to the SWATS learning rate, on the quadratic',
    { surface: 'quadratic', steps: 40, make: (p) => new AdamToSGD([p], { adam: { lr: 0.1 }, switchAt: 20 }) },
  ],
  [
    'AdamToSGD switching at step 10 to an explicit SGD lr, on Rosenbrock',
    {
      surface: 'rosenbrock',
      steps: 40,
      make: (p) => new AdamToSGD([p], { adam: { lr: 0.05 }, sgd: { lr: 1e-4 }, switchAt: 10 }),
    },
  ],
];

describe.each(backends)('optimizer wrappers in float32 on $name against float64', ({ backend }) => {
  base.each(wrapperRuns)('%s: within 1e-4 relative + 1e-6 of the float64 trajectory', (name, run) => {
    const got = trajectory(backend, 'float32', run);
    expectNear(got, trajectory(float64Reference, 'float64', run), name);
    if (run.byHand !== undefined) expectNear(got, run.byHand(), `${name}, by hand`);
  });

  base('AdamToSGD switches at the same step in float32 as in float64 (automatic switch)', () => {
    const switchStep = (be: Backend, dtype: 'float32' | 'float64') =>
      withBackend(be, () => {
        const theta = tensor([...surfaces.quadratic.start], { dtype, requiresGrad: true });
        const opt = new AdamToSGD([theta], { adam: { lr: 0.05 }, tolerance: 1e-3 });
        for (let k = 0; k < 300 && opt.phase === 'adam'; k++) {
          opt.zeroGrad();
          surfaces.quadratic.loss(theta).backward();
          opt.step();
        }
        return { at: opt.switchedAt, lr: opt.lr };
      });
    const want = switchStep(float64Reference, 'float64');
    expect(want.at).not.toBeNull();
    const got = switchStep(backend, 'float32');
    expect(got.at).toBe(want.at);
    expect(Math.abs(got.lr - want.lr)).toBeLessThan(1e-4 * want.lr);
  });
});
