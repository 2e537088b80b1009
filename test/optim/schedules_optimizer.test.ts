/**
 * Schedulers on descent's real optimizers (the other schedule tests use a stand-in optimizer): the
 * optimizer classes satisfy `SchedulableOptimizer`, read `group.lr` (and Adam's `betas`) at every step,
 * and carry `initialLr` through their own `stateDict()`.
 */
import { describe, expect, it } from 'vitest';
import { Adam } from '../../src/optim/optimizers/adam.js';
import { SGD } from '../../src/optim/optimizers/sgd.js';
import {
  CosineAnnealingLR,
  CyclicLR,
  LinearLR,
  OneCycleLR,
  withWarmup,
} from '../../src/optim/schedules/index.js';
import { tensor } from '../../src/tensor/creation.js';

describe('schedulers on the real optimizers', () => {
  it('SGD: the scheduled lr is the one the next step uses', () => {
    const w = tensor([1], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    const sched = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    // initialLr is added by the scheduler; ParamGroup's type does not declare it.
    expect((opt.paramGroups[0] as { initialLr?: number }).initialLr).toBe(0.1);
    const lrs: number[] = [];
    let before = w.item();
    for (let k = 0; k < 3; k++) {
      w.grad = null;
      w.mul(1).sum().backward(); // gradient 1: the step moves w by exactly lr
      opt.step();
      lrs.push(before - w.item());
      before = w.item();
      sched.step();
    }
    expect(lrs[0]).toBeCloseTo(0.05, 7);
    expect(lrs[1]).toBeCloseTo(0.075, 7);
    expect(lrs[2]).toBeCloseTo(0.1, 7);
  });

  it('Adam: OneCycleLR cycles betas[0] and keeps betas[1]', () => {
    const w = tensor([1], { requiresGrad: true });
    const opt = new Adam([w], { lr: 1e-3, betas: [0.9, 0.99] });
    const sched = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 });
    expect(opt.paramGroups[0]!.betas).toEqual([0.95, 0.99]);
    for (let k = 0; k < 3; k++) sched.step();
    expect(opt.paramGroups[0]!.betas[0]).toBeLessThan(0.95);
    expect(opt.paramGroups[0]!.betas[1]).toBe(0.99);
  });

  it('SGD: CyclicLR cycles the momentum the next step uses; Adam is refused, as PyTorch 1.13', () => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.5 });
    const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    expect([opt.paramGroups[0]!.lr, opt.paramGroups[0]!.momentum]).toEqual([0.01, 0.9]);
    sched.step();
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.055, 15);
    expect(opt.paramGroups[0]!.momentum).toBeCloseTo(0.85, 15);
    const adam = new Adam([tensor([1], { requiresGrad: true })], { lr: 1e-3 });
    expect(() => new CyclicLR(adam, { baseLr: 1e-4, maxLr: 1e-3 })).toThrow(
      'CyclicLR: cycleMomentum needs an optimizer with a momentum option (SGD, RMSprop)',
    );
    new CyclicLR(adam, { baseLr: 1e-4, maxLr: 1e-3, cycleMomentum: false });
    expect(adam.paramGroups[0]!.betas[0]).toBe(0.9);
  });

  it('stateDict round trip through SGD.stateDict resumes the schedule exactly', () => {
    const make = () => {
      const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
      return {
        opt,
        sched: withWarmup(new CosineAnnealingLR(opt, { tMax: 10, etaMin: 1e-3 }), { warmupSteps: 3 }),
      };
    };
    const straight = make();
    const expected: number[] = [];
    for (let k = 0; k < 12; k++) {
      straight.sched.step();
      expected.push(straight.opt.lr);
    }
    const first = make();
    for (let k = 0; k < 5; k++) first.sched.step();
    const optState = JSON.parse(JSON.stringify(first.opt.stateDict()));
    const schedState = JSON.parse(JSON.stringify(first.sched.stateDict()));
    const second = make();
    second.opt.loadStateDict(optState);
    second.sched.loadStateDict(schedState);
    const resumed = expected.slice(0, 5);
    for (let k = 5; k < 12; k++) {
      second.sched.step();
      resumed.push(second.opt.lr);
    }
    expect(resumed).toEqual(expected);
  });
});
