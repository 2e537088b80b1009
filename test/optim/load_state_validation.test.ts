/**
 * `Optimizer.loadStateDict` validates what it loads (src/optim/saved_state.ts, once for every
 * optimizer): step counts, moment shapes and values, the groups' options, foreign state dicts. A
 * tampered state used to load (an Adam step of −3, then NaN blamed on the learning rate) or crash with
 * a raw message (`Cannot read properties of null (reading 'expAvg')`, `SGD: momentum must be … got
 * undefined`). Every refusal changes nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  ReduceLROnPlateau,
  RMSprop,
  SGD,
  StepLR,
  type Tensor,
  tensor,
} from '../../src/index.js';

type Sd = { state: Record<string, unknown[]>; paramGroups: Record<string, unknown>[] };

function params(): Tensor[] {
  return [
    tensor([1, 2, 3, 4], { shape: [2, 2], requiresGrad: true }),
    tensor([5, 6], { requiresGrad: true }),
  ];
}

function stepOnce(opt: { step(): unknown }, ps: Tensor[]): void {
  for (const p of ps)
    p.grad = tensor(
      Array.from({ length: p.size }, (_, i) => 0.1 * (i + 1)),
      { shape: [...p.shape] },
    );
  opt.step();
}

/** An Adam state dict after one step, as a deep mutable copy. */
function adamState(): Sd {
  const ps = params();
  const opt = new Adam(ps, { lr: 0.01 });
  stepOnce(opt, ps);
  return structuredClone(opt.stateDict()) as unknown as Sd;
}

function adamSlot(sd: Sd, id: number): Record<string, unknown> {
  return sd.state[id]!.find((s) => s !== null) as Record<string, unknown>;
}

describe('loadStateDict validates the loaded optimizer state', () => {
  it('refuses a negative step count, naming the parameter, the transform and the field', () => {
    const sd = adamState();
    adamSlot(sd, 0).step = -3;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      'Adam.loadStateDict: state of parameter 0 (scaleByAdam).step: expected a step count (a non-negative integer), got -3',
    );
  });

  it('refuses a fractional step count', () => {
    const sd = adamState();
    adamSlot(sd, 1).step = 1.5;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      'Adam.loadStateDict: state of parameter 1 (scaleByAdam).step: expected a step count (a non-negative integer), got 1.5',
    );
  });

  it('refuses a moment holding NaN or infinity', () => {
    const sd = adamState();
    (adamSlot(sd, 0).expAvgSq as { data: Float32Array }).data[2] = Number.NaN;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      'Adam.loadStateDict: state of parameter 0 (scaleByAdam).expAvgSq: holds NaN at element 2; moments must be finite',
    );
    const inf = adamState();
    (adamSlot(inf, 1).expAvg as { data: Float32Array }).data[0] = Infinity;
    expect(() => new Adam(params()).loadStateDict(inf as never)).toThrow(
      'Adam.loadStateDict: state of parameter 1 (scaleByAdam).expAvg: holds Infinity at element 0',
    );
  });

  it('refuses a moment with too few values for its shape', () => {
    const sd = adamState();
    adamSlot(sd, 0).expAvg = { shape: [2, 2], data: [1, 2, 3] };
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      'Adam.loadStateDict: state of parameter 0 (scaleByAdam).expAvg: holds 3 values for shape [2, 2]',
    );
  });

  it('refuses a missing moment and an unknown field', () => {
    const sd = adamState();
    delete adamSlot(sd, 0).expAvg;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      'Adam.loadStateDict: state of parameter 0 (scaleByAdam).expAvg: missing',
    );
    const extra = adamState();
    adamSlot(extra, 0).velocity = 1;
    expect(() => new Adam(params()).loadStateDict(extra as never)).toThrow(
      "Adam.loadStateDict: state of parameter 0 (scaleByAdam): has 'velocity', which this transform does not keep (its state: step, expAvg, expAvgSq, maxExpAvgSq)",
    );
  });

  it("refuses Adam's state in AdamW, naming the foreign option instead of crashing on null", () => {
    const opt = new AdamW(params());
    const sd = adamState();
    sd.paramGroups[0]!.weightDecay = 0.01;
    expect(() => opt.loadStateDict(sd as never)).toThrow(/^AdamW\.loadStateDict: /);
    expect(() => opt.loadStateDict(sd as never)).not.toThrow(/Cannot read properties/);
  });

  it("refuses Adam's state in SGD: the foreign options are named, not 'momentum … got undefined'", () => {
    expect(() => new SGD(params(), { lr: 0.1 }).loadStateDict(adamState() as never)).toThrow(
      "SGD.loadStateDict: group 0 has option 'betas', which SGD does not take (accepted: lr, momentum, dampening, weightDecay, nesterov, nesterovForm, maximize); was it saved by another optimizer?",
    );
  });

  it('refuses a group that lacks an option', () => {
    const sd = adamState();
    delete sd.paramGroups[0]!.eps;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      "Adam.loadStateDict: group 0 lacks option 'eps'; was it saved by another optimizer?",
    );
  });

  it('refuses a non-finite hyperparameter with the option check, prefixed with where it came from', () => {
    const sd = adamState();
    sd.paramGroups[0]!.lr = Number.NaN;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      /^Adam\.loadStateDict: group 0: Adam: lr must be a non-negative number/,
    );
  });

  it('refuses state for a parameter no group lists, and duplicate parameter indices', () => {
    const sd = adamState();
    sd.state[7] = sd.state[0]!;
    expect(() => new Adam(params()).loadStateDict(sd as never)).toThrow(
      'Adam.loadStateDict: the state dict holds state for parameter 7, which no group lists',
    );
    const dup = adamState();
    dup.paramGroups[0]!.params = [0, 0];
    expect(() => new Adam(params()).loadStateDict(dup as never)).toThrow(
      "Adam.loadStateDict: group 0's params must be distinct parameter indices (non-negative integers)",
    );
  });

  it('refuses a state of another chain length (RMSprop state into Adam)', () => {
    const ps = params();
    const rms = new RMSprop(ps, { lr: 0.01 });
    stepOnce(rms, ps);
    const sd = structuredClone(rms.stateDict()) as unknown as Sd;
    const adam = adamState();
    adam.state = sd.state;
    expect(() => new Adam(params()).loadStateDict(adam as never)).toThrow(
      'Adam.loadStateDict: state of parameter 0: expected the states of 4 transforms (scale, addDecayedWeights, scaleByAdam, scaleByLearningRate), got an array of 5; was the state dict saved by another optimizer or configuration?',
    );
  });

  it('a refused state changes nothing, and a valid one (plain arrays from JSON too) loads', () => {
    const ps = params();
    const opt = new Adam(ps, { lr: 0.5 });
    const bad = adamState();
    adamSlot(bad, 1).step = -3;
    expect(() => opt.loadStateDict(bad as never)).toThrow('step');
    expect(opt.lr).toBe(0.5);
    expect(Object.keys(opt.stateDict().state)).toEqual([]);
    const source = params();
    const trained = new Adam(source, { lr: 0.01 });
    stepOnce(trained, source);
    const good = JSON.parse(JSON.stringify(trained.stateDict()));
    opt.loadStateDict(good);
    expect(opt.lr).toBe(0.01);
    expect(adamSlot(structuredClone(opt.stateDict()) as unknown as Sd, 0).step).toBe(1);
  });
});

describe('a schedule refuses a tampered state', () => {
  const saved = () => {
    const opt = new Adam(params(), { lr: 0.1 });
    return { opt, state: new StepLR(opt, { stepSize: 1, gamma: 0.5 }).stateDict() };
  };

  it('a NaN or negative learning rate in lastLr / baseLrs', () => {
    const { opt, state } = saved();
    const schedule = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    expect(() => schedule.loadStateDict({ ...state, lastLr: [Number.NaN] })).toThrow(
      'StepLR.loadStateDict: lastLr must be an array of 1 finite non-negative numbers (one per param group), got [NaN]',
    );
    expect(() => schedule.loadStateDict({ ...state, baseLrs: [-0.1] })).toThrow(
      'StepLR.loadStateDict: baseLrs must be an array of 1 finite non-negative numbers (one per param group), got [-0.1]',
    );
  });

  it('a fractional or negative lastEpoch', () => {
    const { opt, state } = saved();
    const schedule = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    expect(() => schedule.loadStateDict({ ...state, lastEpoch: 2.5 })).toThrow(
      'StepLR.loadStateDict: lastEpoch must be an integer ≥ -1, got 2.5',
    );
    expect(() => schedule.loadStateDict({ ...state, lastEpoch: -7 })).toThrow(
      'StepLR.loadStateDict: lastEpoch must be an integer ≥ -1, got -7',
    );
  });

  it('ReduceLROnPlateau: a negative or fractional counter', () => {
    const opt = new Adam(params(), { lr: 0.1 });
    const plateau = new ReduceLROnPlateau(opt);
    const state = plateau.stateDict();
    expect(() => plateau.loadStateDict({ ...state, numBadEpochs: -3 })).toThrow(
      'ReduceLROnPlateau.loadStateDict: numBadEpochs must be a non-negative integer, got -3',
    );
    expect(() => plateau.loadStateDict({ ...state, cooldownCounter: 0.5 })).toThrow(
      'ReduceLROnPlateau.loadStateDict: cooldownCounter must be a non-negative integer, got 0.5',
    );
  });
});
