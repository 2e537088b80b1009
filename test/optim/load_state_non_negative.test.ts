/**
 * Second moments and other accumulated squares load only when ≥ 0 (src/optim/saved_state.ts,
 * NON_NEGATIVE): an Adam state with expAvgSq = −1 used to load, and one step later the parameters
 * were NaN. First moments (expAvg, RMSprop's centered gradAvg) may be negative and still load.
 */
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  type Optimizer,
  RMSprop,
  type Tensor,
  tensor,
} from '../../src/index.js';

type Sd = { state: Record<string, unknown[]> };
type Make = (ps: Tensor[]) => Optimizer<never>;

function params(): Tensor[] {
  return [tensor([1, 2, 3], { requiresGrad: true })];
}

/** A state dict of `make`'s optimizer after one step, as a deep mutable copy. */
function savedAfterOneStep(make: Make): Sd {
  const ps = params();
  const opt = make(ps);
  ps[0]!.grad = tensor([0.1, -0.2, 0.3]);
  opt.step();
  return structuredClone(opt.stateDict()) as unknown as Sd;
}

/** Sets element 1 of `field` (in whichever transform of parameter 0 keeps it) to `value`. */
function setElement(sd: Sd, field: string, value: number): void {
  const slot = sd.state[0]!.find((s) => s !== null && typeof s === 'object' && field in s) as Record<
    string,
    { data: Float32Array }
  >;
  slot[field]!.data[1] = value;
}

const cases: { name: string; make: Make; field: string; transform: string }[] = [
  { name: 'Adam', make: (ps) => new Adam(ps) as never, field: 'expAvgSq', transform: 'scaleByAdam' },
  {
    name: 'Adam (AMSGrad)',
    make: (ps) => new Adam(ps, { amsgrad: true }) as never,
    field: 'maxExpAvgSq',
    transform: 'scaleByAdam',
  },
  { name: 'Adamax', make: (ps) => new Adamax(ps) as never, field: 'expInf', transform: 'scaleByAdamax' },
  { name: 'Adagrad', make: (ps) => new Adagrad(ps) as never, field: 'sum', transform: 'scaleByAdagrad' },
  { name: 'RMSprop', make: (ps) => new RMSprop(ps) as never, field: 'squareAvg', transform: 'scaleByRms' },
  {
    name: 'Adadelta',
    make: (ps) => new Adadelta(ps) as never,
    field: 'squareAvg',
    transform: 'scaleByAdadelta',
  },
  {
    name: 'Adadelta',
    make: (ps) => new Adadelta(ps) as never,
    field: 'accDelta',
    transform: 'scaleByAdadelta',
  },
];

describe('loadStateDict refuses negative accumulated squares', () => {
  it.each(cases)('$name refuses a negative $field, naming the field and the element', (c) => {
    const sd = savedAfterOneStep(c.make);
    setElement(sd, c.field, -1);
    expect(() => c.make(params()).loadStateDict(sd as never)).toThrow(
      `state of parameter 0 (${c.transform}).${c.field}: holds -1 at element 1; it accumulates squares or magnitudes, so must be ≥ 0`,
    );
  });

  it('a refused Adam state leaves the optimizer able to step to finite parameters', () => {
    const sd = savedAfterOneStep((ps) => new Adam(ps) as never);
    setElement(sd, 'expAvgSq', -1);
    const ps = params();
    const opt = new Adam(ps, { lr: 0.1 });
    expect(() => opt.loadStateDict(sd as never)).toThrow(/expAvgSq: holds -1/);
    ps[0]!.grad = tensor([0.1, -0.2, 0.3]);
    opt.step();
    expect(Array.from(ps[0]!.data()).every(Number.isFinite)).toBe(true);
  });

  it('still loads negative first moments (Adam expAvg, centered RMSprop gradAvg)', () => {
    const adam = savedAfterOneStep((ps) => new Adam(ps) as never);
    setElement(adam, 'expAvg', -5);
    expect(() => new Adam(params()).loadStateDict(adam as never)).not.toThrow();
    const rms = savedAfterOneStep((ps) => new RMSprop(ps, { centered: true }) as never);
    setElement(rms, 'gradAvg', -5);
    expect(() => new RMSprop(params(), { centered: true }).loadStateDict(rms as never)).not.toThrow();
  });
});
