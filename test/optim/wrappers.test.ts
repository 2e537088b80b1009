import { it as base, describe, expect } from 'vitest';
import { AdamToSGD, Lookahead, runTrajectory, SGD, surfaces, tensor, withBackend } from '../../src/index.js';
import { backends } from '../backends.js';

describe.each(backends)('optimizer wrappers on $name', ({ backend }) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);
  // These specs check hand-worked float64 steps to 12 digits: on the backends that store float64.
  const it = base.skipIf(!backend.supports('float64'));

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
