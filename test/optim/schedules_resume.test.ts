/**
 * PyTorch 1.13 goldens for what issue 13 added to the schedules: several param groups with one λ (or
 * bound) each, resuming with `lastEpoch`, and PyTorch's refusals that descent follows; plus every error
 * path of LambdaLR, MultiplicativeLR, CyclicLR, ChainedScheduler and `lastEpoch`, read by message.
 *
 * Fixture: test/fixtures/schedules.json (`groupCases`, `resumeCases`, `pytorchErrors`), written by
 * gen_issue13_* in test/fixtures/gen/gen_schedules.py. Tolerance as in schedules.test.ts.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  CyclicLR,
  createScheduler,
  ExponentialLR,
  LambdaLR,
  type LrScheduleSpec,
  MultiplicativeLR,
  ReduceLROnPlateau,
  type SchedulableGroup,
  type SchedulableOptimizer,
  SequentialLR,
  StepLR,
} from '../../src/optim/schedules/index.js';
import { LAMBDAS, withLambdas } from './schedules_lambdas.js';

interface GroupCase {
  name: string;
  scheduler: string;
  options: Record<string, unknown>;
  baseLrs: number[];
  momentum0: number;
  steps: number;
  lr: number[][];
  momentum: number[][];
}

interface ResumeCase {
  name: string;
  scheduler: string;
  options: Record<string, unknown>;
  lastEpoch: number;
  optimizer: 'sgd' | 'adam';
  optimizerOptions: { lr: number; momentum?: number; betas?: [number, number] };
  groupAtLastEpoch: { lr: number; initialLr: number; momentum?: number; betas?: [number, number] };
  straightLr: number[];
  straightMomentum: number[];
  resumedLr: number[];
  resumedMomentum: number[];
  continuesLr: boolean;
  continuesMomentum: boolean;
}

const fixture = JSON.parse(
  fs.readFileSync(new URL('../fixtures/schedules.json', import.meta.url), 'utf8'),
) as {
  lambdas: Record<string, string>;
  groupCases: GroupCase[];
  resumeCases: ResumeCase[];
  pytorchErrors: { name: string; pytorch: string }[];
};

const any = (x: unknown) => x as never;
const momentumOf = (g: SchedulableGroup) => (g.betas !== undefined ? g.betas[0] : g.momentum!);
const opt = (lrs = [0.1], extra: object = { momentum: 0.9 }): SchedulableOptimizer => ({
  paramGroups: lrs.map((lr) => ({ ...structuredClone(extra), lr })),
});

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const bad = expected.findIndex((b, i) => !(Math.abs(actual[i]! - b) <= 1e-12 + 1e-9 * Math.abs(b)));
  const where = bad < 0 ? 'none' : `${what}[${bad}]: got ${actual[bad]}, PyTorch ${expected[bad]}`;
  expect(where, what).toBe('none');
}

/** lr and momentum of every group after construction and after each of `steps` steps. */
function record(o: SchedulableOptimizer, step: () => void, steps: number) {
  const lr = [o.paramGroups.map((g) => g.lr)];
  const momentum = [o.paramGroups.map(momentumOf)];
  for (let k = 0; k < steps; k++) {
    step();
    lr.push(o.paramGroups.map((g) => g.lr));
    momentum.push(o.paramGroups.map(momentumOf));
  }
  return { lr, momentum };
}

it('the fixture names the same λs as the tests', () => {
  expect(Object.keys(fixture.lambdas).sort()).toEqual(Object.keys(LAMBDAS).sort());
});

describe('several param groups, one λ or bound each (PyTorch goldens)', () => {
  it.each(fixture.groupCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = opt(c.baseLrs, { momentum: c.momentum0 });
    const spec = { scheduler: c.scheduler, options: withLambdas(c.options) } as LrScheduleSpec;
    const sched = createScheduler(o, spec);
    const got = record(o, () => sched.step(), c.steps);
    for (const g of [0, 1]) {
      expectClose(
        got.lr.map((row) => row[g]!),
        c.lr.map((row) => row[g]!),
        `lr of group ${g}`,
      );
      expectClose(
        got.momentum.map((row) => row[g]!),
        c.momentum.map((row) => row[g]!),
        `momentum of group ${g}`,
      );
    }
  });
});

/** A stand-in optimizer restored as PyTorch's was after lastEpoch steps, and the resumed schedule on it. */
function resume(c: ResumeCase) {
  const g = c.groupAtLastEpoch;
  const group: SchedulableGroup = { lr: g.lr, initialLr: g.initialLr };
  if (g.betas !== undefined) group.betas = [g.betas[0], g.betas[1]];
  else group.momentum = g.momentum!;
  const o: SchedulableOptimizer = { paramGroups: [group] };
  const spec = {
    scheduler: c.scheduler,
    options: { ...withLambdas(c.options), lastEpoch: c.lastEpoch },
  } as LrScheduleSpec;
  const sched = createScheduler(o, spec);
  const got = record(o, () => sched.step(), c.resumedLr.length - 1);
  return { lr: got.lr.map((r) => r[0]!), momentum: got.momentum.map((r) => r[0]!), sched };
}

describe('lastEpoch resumes a schedule as PyTorch does (PyTorch goldens)', () => {
  it('the goldens cover every PyTorch schedule with a last_epoch', () => {
    const names = new Set(fixture.resumeCases.map((c) => c.scheduler));
    expect([...names].sort()).toEqual(
      [
        'ConstantLR',
        'CosineAnnealingLR',
        'CosineAnnealingWarmRestarts',
        'CyclicLR',
        'ExponentialLR',
        'LambdaLR',
        'LinearLR',
        'MultiStepLR',
        'MultiplicativeLR',
        'OneCycleLR',
        'PolynomialLR',
        'SequentialLR',
        'StepLR',
      ].sort(),
    );
  });

  it.each(fixture.resumeCases.map((c) => [c.name, c.lastEpoch, c] as const))(
    '%s with lastEpoch %i: the values PyTorch gives',
    (_name, _k, c) => {
      const got = resume(c);
      expectClose(got.lr, c.resumedLr, 'lr');
      expectClose(got.momentum, c.resumedMomentum, 'momentum');
    },
  );

  const continuing = fixture.resumeCases.filter((c) => c.continuesLr);
  it.each(continuing.map((c) => [c.name, c.lastEpoch, c.lastEpoch + 1, c] as const))(
    '%s with lastEpoch %i continues the uninterrupted schedule from its step %i',
    (_name, k, _next, c) => {
      const got = resume(c);
      expect(got.sched.lastEpoch).toBe(k + 1 + got.lr.length - 1);
      expectClose(got.lr, c.straightLr.slice(k + 1), 'lr');
      if (c.continuesMomentum) expectClose(got.momentum, c.straightMomentum.slice(k + 1), 'momentum');
    },
  );

  it('where PyTorch does not continue (warm restarts past the first, CyclicLR momentum, SequentialLR), neither does descent', () => {
    const odd = fixture.resumeCases.filter((c) => !c.continuesLr || !c.continuesMomentum);
    expect(odd.map((c) => c.name).sort()).toEqual([
      'CosineAnnealingWarmRestarts/k25-past-restart',
      'CyclicLR/k57',
      'SequentialLR/k4',
    ]);
    for (const c of odd) {
      const got = resume(c);
      const straight = c.continuesLr ? c.straightMomentum : c.straightLr;
      const ours = c.continuesLr ? got.momentum : got.lr;
      const differs = ours.some((v, i) => Math.abs(v - straight[c.lastEpoch + 1 + i]!) > 1e-9);
      expect(differs, c.name).toBe(true);
    }
  });
});

describe("PyTorch's refusals, followed", () => {
  const ours: Record<string, [() => unknown, string]> = {
    'CyclicLR/adam-cycle-momentum': [
      () => new CyclicLR(opt([0.001], { betas: [0.9, 0.999] }), { baseLr: 0.001, maxLr: 0.01 }),
      'CyclicLR: cycleMomentum needs a momentum in every param group, paramGroups[0] has none; pass cycleMomentum: false (as in PyTorch 1.13, Adam-like betas are not cycled)',
    ],
    'StepLR/last-epoch-without-initial-lr': [
      () => new StepLR(opt(), { stepSize: 3, lastEpoch: 5 }),
      `StepLR: lastEpoch 5 resumes a schedule, which needs paramGroups[0].initialLr (a finite non-negative number, set by the scheduler that ran before: restore the optimizer's state first), got undefined; PyTorch: "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer"`,
    ],
    'LambdaLR/lambda-count': [
      () => new LambdaLR(opt(), { lrLambda: [() => 1, () => 1] }),
      'LambdaLR: lrLambda must be a function of the step, or an array of 1 (one per param group), got 2 functions',
    ],
    'ChainedScheduler/two-optimizers': [
      () =>
        new ChainedScheduler([
          new ExponentialLR(opt(), { gamma: 0.9 }),
          new ExponentialLR(opt(), { gamma: 0.9 }),
        ]),
      'ChainedScheduler: schedulers[1] belongs to another optimizer than schedulers[0]; all must use the same one',
    ],
  };
  it.each(fixture.pytorchErrors.map((e) => [e.name, e.pytorch] as const))('%s (PyTorch: %s)', (name) => {
    const entry = ours[name];
    expect(entry, `no descent counterpart for ${name}`).toBeDefined();
    expect(entry![0]).toThrow(entry![1]);
  });

  it('a real optimizer without momentum in its defaults (Adam) is refused by its defaults, as PyTorch', () => {
    const adamLike = {
      defaults: { lr: 0.001, betas: [0.9, 0.999] },
      paramGroups: [{ lr: 0.001, momentum: 0 }],
    };
    expect(() => new CyclicLR(adamLike, { baseLr: 0.001, maxLr: 0.01 })).toThrow(
      'CyclicLR: cycleMomentum needs an optimizer with a momentum option (SGD, RMSprop); pass cycleMomentum: false',
    );
  });
});

describe('error paths of the new schedules, by message', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'lastEpoch −2',
      () => new StepLR(opt(), { stepSize: 2, lastEpoch: -2 }),
      'StepLR: lastEpoch must be an integer ≥ -1 (-1 starts afresh, k ≥ 0 resumes after k steps), got -2',
    ],
    [
      'lastEpoch 1.5',
      () => new ExponentialLR(opt(), { gamma: 0.9, lastEpoch: 1.5 }),
      'ExponentialLR: lastEpoch must be an integer ≥ -1 (-1 starts afresh, k ≥ 0 resumes after k steps), got 1.5',
    ],
    [
      'lastEpoch with a NaN initialLr',
      () => new StepLR({ paramGroups: [{ lr: 0.1, initialLr: Number.NaN }] }, { stepSize: 2, lastEpoch: 3 }),
      'StepLR: lastEpoch 3 resumes a schedule, which needs paramGroups[0].initialLr (a finite non-negative number',
    ],
    [
      'SequentialLR lastEpoch',
      () => new SequentialLR(opt(), [new StepLR(opt([0.1]), { stepSize: 2 })], [], any({ lastEpoch: 'x' })),
      'SequentialLR: lastEpoch must be an integer ≥ -1',
    ],
    [
      'SequentialLR unknown option',
      () => {
        const o = opt();
        return new SequentialLR(o, [new StepLR(o, { stepSize: 2 })], [], any({ last_epoch: 3 }));
      },
      "SequentialLR: unknown option 'last_epoch'; accepted: lastEpoch",
    ],
    [
      'LambdaLR no lrLambda',
      () => new LambdaLR(opt(), any({})),
      'LambdaLR: lrLambda must be a function of the step, or an array of 1 (one per param group), got undefined',
    ],
    [
      'LambdaLR lrLambda a number',
      () => new LambdaLR(opt(), any({ lrLambda: 0.9 })),
      'LambdaLR: lrLambda must be a function of the step, or an array of 1 (one per param group), got 0.9',
    ],
    [
      'LambdaLR array entry',
      () => new LambdaLR(opt([0.1, 0.2]), any({ lrLambda: [() => 1, 2] })),
      'LambdaLR: lrLambda[1] must be a function of the step, got 2',
    ],
    [
      'LambdaLR λ without return',
      () => new LambdaLR(opt(), { lrLambda: any(() => undefined) }),
      'LambdaLR: lrLambda for param group 0 must return a finite number, returned undefined at step 0',
    ],
    [
      'MultiplicativeLR λ NaN',
      () => {
        const s = new MultiplicativeLR(opt(), { lrLambda: (e) => (e < 2 ? 1 : Number.NaN) });
        s.step();
        s.step();
      },
      'MultiplicativeLR: lrLambda for param group 0 must return a finite number, returned NaN at step 2',
    ],
    [
      'MultiplicativeLR unknown option',
      () => new MultiplicativeLR(opt(), any({ lrLambda: () => 1, lr_lambda: 1 })),
      "MultiplicativeLR: unknown option 'lr_lambda'; accepted: lrLambda, lastEpoch",
    ],
    [
      'CyclicLR no options',
      () => new CyclicLR(opt(), any(undefined)),
      'CyclicLR: options with baseLr and maxLr are required',
    ],
    [
      'CyclicLR maxLr missing',
      () => new CyclicLR(opt(), any({ baseLr: 0.1 })),
      'CyclicLR: maxLr must be a non-negative finite number, got undefined',
    ],
    [
      'CyclicLR per-group length',
      () => new CyclicLR(opt([0.1, 0.2]), { baseLr: [0.1], maxLr: 1 }),
      'CyclicLR: baseLr must be one number or an array of 2 (one per param group), got 1 values',
    ],
    [
      'CyclicLR stepSizeUp 0',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeUp: 0 }),
      'CyclicLR: stepSizeUp must be a positive finite number, got 0',
    ],
    [
      'CyclicLR stepSizeDown −1',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeDown: -1 }),
      'CyclicLR: stepSizeDown must be a non-negative finite number, got -1',
    ],
    [
      'CyclicLR mode',
      () => new CyclicLR(opt(), any({ baseLr: 0.1, maxLr: 1, mode: 'triangle' })),
      "CyclicLR: mode must be one of 'triangular', 'triangular2', 'exp_range', got \"triangle\"",
    ],
    [
      'CyclicLR gamma without exp_range',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, gamma: 0.99 }),
      "CyclicLR: gamma applies only to mode 'exp_range', not 'triangular'",
    ],
    [
      'CyclicLR gamma 0',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, mode: 'exp_range', gamma: 0 }),
      'CyclicLR: gamma must be a positive finite number, got 0',
    ],
    [
      'CyclicLR scaleMode without scaleFn',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, scaleMode: 'iterations' }),
      "CyclicLR: scaleMode applies only with scaleFn ('triangular' and 'triangular2' scale by cycle, 'exp_range' by step); remove it or give a scaleFn",
    ],
    [
      'CyclicLR mode with scaleFn',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, mode: 'triangular2', scaleFn: () => 1 }),
      'CyclicLR: mode has no effect with scaleFn (PyTorch ignores it); remove one of them',
    ],
    [
      'CyclicLR scaleFn not a function',
      () => new CyclicLR(opt(), any({ baseLr: 0.1, maxLr: 1, scaleFn: 'cos' })),
      'CyclicLR: scaleFn must be a function of one number, got "cos"',
    ],
    [
      'CyclicLR scaleMode value',
      () => new CyclicLR(opt(), any({ baseLr: 0.1, maxLr: 1, scaleFn: () => 1, scaleMode: 'epoch' })),
      "CyclicLR: scaleMode must be one of 'cycle', 'iterations', got \"epoch\"",
    ],
    [
      'CyclicLR scaleFn NaN',
      () => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, scaleFn: () => Number.NaN }),
      'CyclicLR: scaleFn must return a finite number, returned NaN for 1',
    ],
    [
      'CyclicLR unknown option',
      () => new CyclicLR(opt(), any({ baseLr: 0.1, maxLr: 1, step_size_up: 4 })),
      "CyclicLR: unknown option 'step_size_up'; accepted: baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum, lastEpoch",
    ],
    [
      'ChainedScheduler empty',
      () => new ChainedScheduler([]),
      'ChainedScheduler: schedulers must be a non-empty array of schedulers, got []',
    ],
    [
      'ChainedScheduler ReduceLROnPlateau',
      () => {
        const o = opt();
        return new ChainedScheduler([new StepLR(o, { stepSize: 2 }), any(new ReduceLROnPlateau(o))]);
      },
      'ChainedScheduler: schedulers[1] must be a learning-rate scheduler (ReduceLROnPlateau cannot be chained), got ReduceLROnPlateau',
    ],
    [
      'ChainedScheduler step(−1)',
      () => {
        const o = opt();
        new ChainedScheduler([new StepLR(o, { stepSize: 2 })]).step(-1);
      },
      'ChainedScheduler.step: epoch must be a non-negative number, got -1',
    ],
    [
      'createScheduler ChainedScheduler schedulers',
      () => createScheduler(opt(), any({ scheduler: 'ChainedScheduler', options: { schedulers: 3 } })),
      'createScheduler: ChainedScheduler options.schedulers must be an array of specs, got 3',
    ],
    [
      'createScheduler ChainedScheduler stray key',
      () =>
        createScheduler(
          opt(),
          any({ scheduler: 'ChainedScheduler', options: { schedulers: [], milestones: [] } }),
        ),
      "createScheduler: ChainedScheduler: unknown option 'milestones'; accepted: schedulers",
    ],
    [
      'createScheduler SequentialLR stray key',
      () =>
        createScheduler(
          opt(),
          any({ scheduler: 'SequentialLR', options: { schedulers: [], milestones: [], gamma: 1 } }),
        ),
      "createScheduler: SequentialLR: unknown option 'gamma'; accepted: schedulers, milestones, lastEpoch",
    ],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  it('ChainedScheduler.loadStateDict needs one state per scheduler', () => {
    const o = opt();
    const chained = new ChainedScheduler([
      new StepLR(o, { stepSize: 2 }),
      new ExponentialLR(o, { gamma: 0.9 }),
    ]);
    const state = chained.stateDict();
    expect(() => chained.loadStateDict({ ...state, schedulers: [state.schedulers] })).toThrow(
      'ChainedScheduler.loadStateDict: schedulers must hold 2 states, got [[',
    );
  });

  it('a refused CyclicLR leaves the optimizer untouched', () => {
    const o = opt([0.3], { betas: [0.9, 0.999] });
    expect(() => new CyclicLR(o, { baseLr: 0.001, maxLr: 0.01 })).toThrow('cycleMomentum');
    expect(o.paramGroups[0]).toEqual({ lr: 0.3, betas: [0.9, 0.999] });
  });
});

describe('behaviour beyond the goldens', () => {
  it('ChainedScheduler.step(epoch) jumps every scheduler; inside a SequentialLR it restarts at its milestone', () => {
    const o = opt([1]);
    const chained = new ChainedScheduler([
      new StepLR(o, { stepSize: 2, gamma: 0.5 }),
      new ExponentialLR(o, { gamma: 0.9 }),
    ]);
    chained.step(4);
    // closed forms composed: StepLR 1·0.5², then ExponentialLR overwrites with 1·0.9⁴
    expect(o.paramGroups[0]!.lr).toBe(0.9 ** 4);
    expect(chained.lastEpoch).toBe(4);

    const p = opt([1]);
    const first = new ExponentialLR(p, { gamma: 0.5 });
    const inner = new ChainedScheduler([
      new StepLR(p, { stepSize: 2, gamma: 0.5 }),
      new MultiplicativeLR(p, { lrLambda: () => 0.9 }),
    ]);
    const seq = new SequentialLR(p, [first, inner], [2]);
    const lr = record(p, () => seq.step(), 5).lr.map((r) => r[0]!);
    // 1, 0.5, then the chain from its step 0 (closed forms: 1), 1·0.9, 1·0.9·0.5·0.9
    expect(lr.slice(0, 3)).toEqual([1, 0.5, 1]);
    expect(lr[3]).toBeCloseTo(0.9, 15);
    expect(lr[4]).toBeCloseTo(0.9 * 0.5 * 0.9, 15);
  });

  it('LambdaLR overwrites an lr changed from outside; MultiplicativeLR carries it on', () => {
    const a = opt([1]);
    const lambda = new LambdaLR(a, { lrLambda: () => 0.5 });
    a.paramGroups[0]!.lr = 7;
    lambda.step();
    expect(a.paramGroups[0]!.lr).toBe(0.5);
    const b = opt([1]);
    const mult = new MultiplicativeLR(b, { lrLambda: () => 0.5 });
    b.paramGroups[0]!.lr = 8;
    mult.step();
    expect(b.paramGroups[0]!.lr).toBe(4);
  });

  it('LambdaLR.stateDict is plain JSON without the λs', () => {
    const o = opt([0.1, 0.2]);
    const sched = new LambdaLR(o, { lrLambda: [LAMBDAS['pow0.99']!, LAMBDAS.halvePer50!] });
    sched.step();
    const state = JSON.parse(JSON.stringify(sched.stateDict()));
    expect(state).toEqual({
      scheduler: 'LambdaLR',
      lastEpoch: 1,
      lastLr: [0.1 * 0.99, 0.2],
      baseLrs: [0.1, 0.2],
    });
  });
});
