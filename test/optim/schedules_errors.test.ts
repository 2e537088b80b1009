/** Every error path of the learning-rate schedules, checked by its message. */
import { describe, expect, it } from 'vitest';
import {
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  createScheduler,
  ExponentialLR,
  FixedLR,
  LinearLR,
  lrValues,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  type SchedulableOptimizer,
  type ScheduleSpec,
  SequentialLR,
  StepLR,
  withWarmup,
} from '../../src/optim/schedules/index.js';

const opt = (lrs = [0.1], extra: object = { momentum: 0 }): SchedulableOptimizer => ({
  paramGroups: lrs.map((lr) => ({ ...extra, lr })),
});
// Untyped calls, as from JavaScript or a config file.
const any = (x: unknown) => x as never;

describe('argument checks name the argument and what is accepted', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'StepLR stepSize 0',
      () => new StepLR(opt(), { stepSize: 0 }),
      'StepLR: stepSize must be a positive integer, got 0',
    ],
    [
      'StepLR stepSize 1.5',
      () => new StepLR(opt(), { stepSize: 1.5 }),
      'StepLR: stepSize must be a positive integer, got 1.5',
    ],
    [
      'StepLR no options',
      () => new StepLR(opt(), any(undefined)),
      'StepLR: stepSize must be a positive integer, got undefined',
    ],
    [
      'StepLR gamma 0',
      () => new StepLR(opt(), { stepSize: 2, gamma: 0 }),
      'StepLR: gamma must be a positive finite number, got 0',
    ],
    [
      'StepLR unknown option',
      () => new StepLR(opt(), any({ step_size: 3 })),
      "StepLR: unknown option 'step_size'; accepted: stepSize, gamma",
    ],
    [
      'options not an object',
      () => new ConstantLR(opt(), any(3)),
      'ConstantLR: options must be an object, got 3',
    ],
    [
      'FixedLR takes only lastEpoch',
      () => new FixedLR(opt(), any({ lr: 1 })),
      "FixedLR: unknown option 'lr'; accepted: lastEpoch",
    ],
    [
      'MultiStepLR milestones not an array',
      () => new MultiStepLR(opt(), any({ milestones: 5 })),
      'MultiStepLR: milestones must be an array of non-negative integers, got 5',
    ],
    [
      'MultiStepLR negative milestone',
      () => new MultiStepLR(opt(), { milestones: [3, -1] }),
      'MultiStepLR: milestones[1] must be a non-negative integer, got -1',
    ],
    [
      'MultiStepLR gamma',
      () => new MultiStepLR(opt(), { milestones: [3], gamma: -0.5 }),
      'MultiStepLR: gamma must be a positive finite number, got -0.5',
    ],
    [
      'ExponentialLR gamma missing',
      () => new ExponentialLR(opt(), any({})),
      'ExponentialLR: gamma must be a positive finite number, got undefined',
    ],
    [
      'ConstantLR factor 0',
      () => new ConstantLR(opt(), { factor: 0 }),
      'ConstantLR: factor must be a number in (0, 1], got 0',
    ],
    [
      'ConstantLR totalIters 0',
      () => new ConstantLR(opt(), { totalIters: 0 }),
      'ConstantLR: totalIters must be a positive integer, got 0',
    ],
    [
      'LinearLR startFactor 1.5',
      () => new LinearLR(opt(), { startFactor: 1.5 }),
      'LinearLR: startFactor must be a number in (0, 1], got 1.5',
    ],
    [
      'LinearLR endFactor -0.1',
      () => new LinearLR(opt(), { endFactor: -0.1 }),
      'LinearLR: endFactor must be a number in [0, 1], got -0.1',
    ],
    [
      'LinearLR totalIters',
      () => new LinearLR(opt(), { totalIters: -2 }),
      'LinearLR: totalIters must be a positive integer, got -2',
    ],
    [
      'PolynomialLR power',
      () => new PolynomialLR(opt(), { power: -1 }),
      'PolynomialLR: power must be a non-negative finite number, got -1',
    ],
    [
      'PolynomialLR totalIters',
      () => new PolynomialLR(opt(), { totalIters: 0 }),
      'PolynomialLR: totalIters must be a positive integer, got 0',
    ],
    [
      'CosineAnnealingLR tMax',
      () => new CosineAnnealingLR(opt(), { tMax: 0 }),
      'CosineAnnealingLR: tMax must be a positive integer, got 0',
    ],
    [
      'CosineAnnealingLR etaMin',
      () => new CosineAnnealingLR(opt(), { tMax: 5, etaMin: -1 }),
      'CosineAnnealingLR: etaMin must be a non-negative finite number, got -1',
    ],
    [
      'CosineAnnealingWarmRestarts t0',
      () => new CosineAnnealingWarmRestarts(opt(), { t0: 0 }),
      'CosineAnnealingWarmRestarts: t0 must be a positive integer, got 0',
    ],
    [
      'CosineAnnealingWarmRestarts tMult',
      () => new CosineAnnealingWarmRestarts(opt(), { t0: 2, tMult: 1.5 }),
      'CosineAnnealingWarmRestarts: tMult must be a positive integer, got 1.5',
    ],
    [
      'CosineAnnealingWarmRestarts etaMin',
      () => new CosineAnnealingWarmRestarts(opt(), { t0: 2, etaMin: Number.NaN }),
      'CosineAnnealingWarmRestarts: etaMin must be a non-negative finite number, got NaN',
    ],
    [
      'OneCycleLR no options',
      () => new OneCycleLR(opt(), any(undefined)),
      'OneCycleLR: options with maxLr and totalSteps are required',
    ],
    [
      'OneCycleLR no length',
      () => new OneCycleLR(opt(), { maxLr: 1 }),
      'OneCycleLR: give totalSteps, or both epochs and stepsPerEpoch',
    ],
    [
      'OneCycleLR totalSteps',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 0 }),
      'OneCycleLR: totalSteps must be a positive integer, got 0',
    ],
    [
      'OneCycleLR epochs without stepsPerEpoch',
      () => new OneCycleLR(opt(), { maxLr: 1, epochs: 3 }),
      'OneCycleLR: stepsPerEpoch must be a positive integer, got undefined',
    ],
    [
      'OneCycleLR epochs',
      () => new OneCycleLR(opt(), { maxLr: 1, epochs: 0, stepsPerEpoch: 3 }),
      'OneCycleLR: epochs must be a positive integer, got 0',
    ],
    [
      'OneCycleLR maxLr',
      () => new OneCycleLR(opt(), { maxLr: 0, totalSteps: 10 }),
      'OneCycleLR: maxLr must be a positive finite number, got 0',
    ],
    [
      'OneCycleLR maxLr per group',
      () => new OneCycleLR(opt([0.1, 0.1]), { maxLr: [1], totalSteps: 10 }),
      'OneCycleLR: maxLr must be one number or an array of 2 (one per param group), got 1 values',
    ],
    [
      'OneCycleLR maxLr entry',
      () => new OneCycleLR(opt([0.1, 0.1]), { maxLr: [1, -1], totalSteps: 10 }),
      'OneCycleLR: maxLr[1] must be a positive finite number, got -1',
    ],
    [
      'OneCycleLR pctStart',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 1.2 }),
      'OneCycleLR: pctStart must be a number in [0, 1], got 1.2',
    ],
    [
      'OneCycleLR annealStrategy',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, annealStrategy: any('cosine') }),
      "OneCycleLR: annealStrategy must be one of 'cos', 'linear', got \"cosine\"",
    ],
    [
      'OneCycleLR divFactor',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, divFactor: 0 }),
      'OneCycleLR: divFactor must be a positive finite number, got 0',
    ],
    [
      'OneCycleLR finalDivFactor',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, finalDivFactor: Number.POSITIVE_INFINITY }),
      'OneCycleLR: finalDivFactor must be a positive finite number, got Infinity',
    ],
    [
      'OneCycleLR threePhase',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, threePhase: any('yes') }),
      'OneCycleLR: threePhase must be true or false, got "yes"',
    ],
    [
      'OneCycleLR cycleMomentum',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, cycleMomentum: any(1) }),
      'OneCycleLR: cycleMomentum must be true or false, got 1',
    ],
    [
      'OneCycleLR momentum range',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, maxMomentum: 1.5 }),
      'OneCycleLR: maxMomentum must be a number in [0, 1], got 1.5',
    ],
    [
      'OneCycleLR baseMomentum per group',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, baseMomentum: [0.8, 0.8] }),
      'OneCycleLR: baseMomentum must be one number or an array of 1 (one per param group), got 2 values',
    ],
    [
      'OneCycleLR zero-length phase',
      () => new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 0.1 }),
      'OneCycleLR: pctStart 0.1 with totalSteps 10 makes phase 1 of the cycle zero steps long (it starts and ends at step 0); choose another pctStart',
    ],
    [
      'OneCycleLR needs momentum',
      () => new OneCycleLR(opt([0.1], {}), { maxLr: 1, totalSteps: 10 }),
      'OneCycleLR: cycleMomentum needs param groups with momentum or betas; paramGroups[0] has neither (pass cycleMomentum: false)',
    ],
    [
      'ReduceLROnPlateau mode',
      () => new ReduceLROnPlateau(opt(), { mode: any('minimum') }),
      "ReduceLROnPlateau: mode must be one of 'min', 'max', got \"minimum\"",
    ],
    [
      'ReduceLROnPlateau factor',
      () => new ReduceLROnPlateau(opt(), { factor: 1 }),
      'ReduceLROnPlateau: factor must be a number in [0, 1), got 1',
    ],
    [
      'ReduceLROnPlateau patience',
      () => new ReduceLROnPlateau(opt(), { patience: -1 }),
      'ReduceLROnPlateau: patience must be a non-negative integer, got -1',
    ],
    [
      'ReduceLROnPlateau threshold',
      () => new ReduceLROnPlateau(opt(), { threshold: -1e-4 }),
      'ReduceLROnPlateau: threshold must be a non-negative finite number, got -0.0001',
    ],
    [
      'ReduceLROnPlateau thresholdMode',
      () => new ReduceLROnPlateau(opt(), { thresholdMode: any('relative') }),
      "ReduceLROnPlateau: thresholdMode must be one of 'rel', 'abs', got \"relative\"",
    ],
    [
      'ReduceLROnPlateau cooldown',
      () => new ReduceLROnPlateau(opt(), { cooldown: 0.5 }),
      'ReduceLROnPlateau: cooldown must be a non-negative integer, got 0.5',
    ],
    [
      'ReduceLROnPlateau minLr per group',
      () => new ReduceLROnPlateau(opt([0.1, 0.1]), { minLr: [0, 0, 0] }),
      'ReduceLROnPlateau: minLr must be one number or an array of 2 (one per param group), got 3 values',
    ],
    [
      'ReduceLROnPlateau minLr',
      () => new ReduceLROnPlateau(opt(), { minLr: -1 }),
      'ReduceLROnPlateau: minLr must be a non-negative finite number, got -1',
    ],
    [
      'ReduceLROnPlateau eps',
      () => new ReduceLROnPlateau(opt(), { eps: -1 }),
      'ReduceLROnPlateau: eps must be a non-negative finite number, got -1',
    ],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  it('validation happens before the optimizer is touched', () => {
    const o = opt();
    expect(() => new StepLR(o, { stepSize: 0 })).toThrow();
    expect(o.paramGroups[0]!.initialLr).toBeUndefined();
  });
});

describe('optimizer checks', () => {
  it('rejects something that is not an optimizer', () => {
    expect(() => new StepLR(any({}), { stepSize: 1 })).toThrow(
      'StepLR: optimizer must have a non-empty paramGroups array (an Optimizer), got Object',
    );
    expect(() => new ReduceLROnPlateau(any(null))).toThrow(
      'ReduceLROnPlateau: optimizer must have a non-empty paramGroups array (an Optimizer), got null',
    );
  });

  it('rejects a group without a numeric lr', () => {
    expect(() => new ExponentialLR(any({ paramGroups: [{ lr: '0.1' }] }), { gamma: 0.9 })).toThrow(
      'ExponentialLR: paramGroups[0].lr must be a finite number, got "0.1"',
    );
  });
});

describe('stepping errors', () => {
  it('step(epoch) needs a non-negative number', () => {
    expect(() => new StepLR(opt(), { stepSize: 2 }).step(-1)).toThrow(
      'StepLR.step: epoch must be a non-negative number, got -1',
    );
    expect(() => new CosineAnnealingWarmRestarts(opt(), { t0: 2 }).step(-1)).toThrow(
      'CosineAnnealingWarmRestarts.step: epoch must be a non-negative number, got -1',
    );
    const o = opt();
    expect(() => new SequentialLR(o, [new FixedLR(o)], []).step(Number.NaN)).toThrow(
      'SequentialLR.step: epoch must be a non-negative number, got NaN',
    );
  });

  it('OneCycleLR past its length', () => {
    const s = new OneCycleLR(opt(), { maxLr: 1, totalSteps: 2 });
    s.step();
    s.step();
    expect(() => s.step()).toThrow(
      'OneCycleLR: tried to step 4 times, but totalSteps is 2 (make a new scheduler to go on)',
    );
  });

  it('ReduceLROnPlateau.step needs a number', () => {
    expect(() => new ReduceLROnPlateau(opt()).step(any('0.5'))).toThrow(
      'ReduceLROnPlateau.step: metric must be a number, got "0.5"',
    );
  });
});

describe('SequentialLR and withWarmup', () => {
  it('checks its schedulers and milestones', () => {
    const o = opt();
    const other = opt();
    expect(() => new SequentialLR(o, [], [])).toThrow(
      'SequentialLR: schedulers must be a non-empty array of schedulers, got []',
    );
    expect(() => new SequentialLR(o, [new FixedLR(o), any(new ReduceLROnPlateau(o))], [2])).toThrow(
      'SequentialLR: schedulers[1] must be a learning-rate scheduler (ReduceLROnPlateau cannot be sequenced), got ReduceLROnPlateau',
    );
    expect(() => new SequentialLR(o, [new FixedLR(o), new FixedLR(other)], [2])).toThrow(
      'SequentialLR: schedulers[1] belongs to another optimizer; all must use the one given',
    );
    expect(() => new SequentialLR(o, [new FixedLR(o), new FixedLR(o)], [2, 4])).toThrow(
      'SequentialLR: milestones must be an array of 1 step numbers (one fewer than the 2 schedulers), got [2, 4]',
    );
    expect(() => new SequentialLR(o, [new FixedLR(o), new FixedLR(o), new FixedLR(o)], [4, 4])).toThrow(
      'SequentialLR: milestones must be strictly increasing positive integers; milestones[1] is 4',
    );
    expect(() => new SequentialLR(o, [new FixedLR(o), new FixedLR(o)], [0])).toThrow(
      'SequentialLR: milestones must be strictly increasing positive integers; milestones[0] is 0',
    );
  });

  it('withWarmup checks its arguments', () => {
    const o = opt();
    expect(() => withWarmup(any(new ReduceLROnPlateau(o)), { warmupSteps: 3 })).toThrow(
      'withWarmup: schedule must be a learning-rate scheduler such as CosineAnnealingLR (ReduceLROnPlateau cannot follow a warmup), got ReduceLROnPlateau',
    );
    expect(() => withWarmup(new FixedLR(o), { warmupSteps: 0 })).toThrow(
      'withWarmup: warmupSteps must be a positive integer, got 0',
    );
    expect(() => withWarmup(new FixedLR(o), { warmupSteps: 2, startFactor: 0 })).toThrow(
      'withWarmup: startFactor must be a number in (0, 1], got 0',
    );
    expect(() => withWarmup(new FixedLR(o), any({ warmup: 2 }))).toThrow(
      "withWarmup: unknown option 'warmup'; accepted: warmupSteps, startFactor",
    );
  });
});

describe('loadStateDict checks the state', () => {
  const step = () => new StepLR(opt(), { stepSize: 2 });
  it('refuses a state that is not an object, or from another class', () => {
    expect(() => step().loadStateDict(any(null))).toThrow(
      'StepLR.loadStateDict: expected a state object, got null',
    );
    const cosine = new CosineAnnealingLR(opt(), { tMax: 3 }).stateDict();
    expect(() => step().loadStateDict(cosine)).toThrow(
      'StepLR.loadStateDict: this state was saved by "CosineAnnealingLR", not StepLR',
    );
  });

  it('refuses malformed fields', () => {
    const s = step().stateDict();
    expect(() => step().loadStateDict({ ...s, lastEpoch: any('3') })).toThrow(
      'StepLR.loadStateDict: lastEpoch must be an integer ≥ -1, got "3"',
    );
    expect(() => step().loadStateDict({ ...s, lastLr: [0.1, 0.2] })).toThrow(
      'StepLR.loadStateDict: lastLr must be an array of 1 finite non-negative numbers (one per param group), got [0.1, 0.2]',
    );
    const w = new CosineAnnealingWarmRestarts(opt(), { t0: 2 });
    const ws = w.stateDict();
    delete ws.tI;
    expect(() => w.loadStateDict(ws)).toThrow(
      'CosineAnnealingWarmRestarts.loadStateDict: tI must be a number, got undefined',
    );
  });

  it('SequentialLR needs one state per scheduler', () => {
    const o = opt();
    const seq = new SequentialLR(o, [new FixedLR(o), new FixedLR(o)], [2]);
    expect(() => seq.loadStateDict({ ...seq.stateDict(), schedulers: [] })).toThrow(
      'SequentialLR.loadStateDict: schedulers must hold 2 states, got []',
    );
  });

  it('ReduceLROnPlateau checks its fields', () => {
    const r = () => new ReduceLROnPlateau(opt());
    const s = r().stateDict();
    expect(() => r().loadStateDict(step().stateDict())).toThrow(
      'ReduceLROnPlateau.loadStateDict: this state was saved by "StepLR", not ReduceLROnPlateau',
    );
    expect(() => r().loadStateDict({ ...s, numBadEpochs: any(null) })).toThrow(
      'ReduceLROnPlateau.loadStateDict: numBadEpochs must be a number, got null',
    );
    expect(() => r().loadStateDict({ ...s, best: 'x' })).toThrow(
      'ReduceLROnPlateau.loadStateDict: best must be a number or null, got "x"',
    );
    expect(() => r().loadStateDict({ ...s, lastLr: [] })).toThrow(
      'ReduceLROnPlateau.loadStateDict: lastLr must be an array of 1 finite non-negative numbers (one per param group), got []',
    );
  });
});

describe('specs', () => {
  it('createScheduler names the accepted schedulers', () => {
    expect(() => createScheduler(opt(), any({ scheduler: 'CosineLR', options: {} }))).toThrow(
      'createScheduler: scheduler must be one of FixedLR, LambdaLR, MultiplicativeLR, ConstantLR, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, LinearLR, PolynomialLR, OneCycleLR, CyclicLR, SequentialLR, ChainedScheduler, ReduceLROnPlateau, got "CosineLR"',
    );
    expect(() =>
      createScheduler(opt(), any({ scheduler: 'SequentialLR', options: { milestones: [] } })),
    ).toThrow('createScheduler: SequentialLR options.schedulers must be an array of specs, got undefined');
    expect(() =>
      createScheduler(opt(), any({ scheduler: 'ReduceLROnPlateau', warmup: { warmupSteps: 2 } })),
    ).toThrow('createScheduler: ReduceLROnPlateau cannot take a warmup (its step needs a metric)');
  });

  it('lrValues checks steps and metrics', () => {
    const spec: ScheduleSpec = { scheduler: 'ReduceLROnPlateau' };
    expect(() => lrValues({ scheduler: 'FixedLR' }, -1)).toThrow(
      'lrValues: steps must be a non-negative integer, got -1',
    );
    expect(() => lrValues(spec, 3)).toThrow(
      'lrValues: ReduceLROnPlateau needs metrics with at least 3 values (one per step), got none',
    );
    expect(() => lrValues(spec, 3, { metrics: [1] })).toThrow(
      'lrValues: ReduceLROnPlateau needs metrics with at least 3 values (one per step), got 1',
    );
  });
});
