/**
 * Errors are part of the API: every validation path of every optimizer class, of the parameter
 * lists and groups, of the `lr` setter and of `createOptimizer` is triggered here and its message
 * read in full (class and text). Each message names the optimizer, the option and what is accepted.
 */
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  AggMo,
  createOptimizer,
  Demon,
  LAMB,
  Lion,
  NAdam,
  OPTIMIZER_NAMES,
  type OptimizerName,
  QHAdam,
  QHM,
  RAdam,
  RMSprop,
  SGD,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { backends } from '../backends.js';

type ErrorClass = typeof TypeError | typeof RangeError | typeof Error;

function expectError(fn: () => unknown, type: ErrorClass, message: string): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === null) expect.fail(`expected ${type.name}: ${message}, but nothing was thrown`);
  expect((caught as Error).message).toBe(message);
  expect(caught).toBeInstanceOf(type);
  if (type === Error) expect((caught as Error).constructor).toBe(Error);
}

const p = (): Tensor[] => [tensor([1, 2], { requiresGrad: true })];

/** [optimizer constructor call, error class, message]: one row per validation path. */
type Row = [string, () => unknown, ErrorClass, string];

const NON_NEG = (name: string, option: string, got: string) =>
  `${name}: ${option} must be a non-negative number, got ${got}`;
const BOOL = (name: string, option: string, got: string) =>
  `${name}: ${option} must be true or false, got ${got}`;

/** The paths every Adam-like optimizer shares: lr, betas, eps, weightDecay, maximize. */
function adamLike(
  name: string,
  make: (o: Record<string, unknown>) => unknown,
  options: { eps?: boolean } = {},
): Row[] {
  const rows: Row[] = [
    [`${name} lr < 0`, () => make({ lr: -1 }), RangeError, NON_NEG(name, 'lr', '-1')],
    [`${name} lr NaN`, () => make({ lr: Number.NaN }), RangeError, NON_NEG(name, 'lr', 'NaN')],
    [
      `${name} lr Infinity`,
      () => make({ lr: Number.POSITIVE_INFINITY }),
      RangeError,
      NON_NEG(name, 'lr', 'Infinity'),
    ],
    [`${name} lr a string`, () => make({ lr: '0.1' }), RangeError, NON_NEG(name, 'lr', '"0.1"')],
    [
      `${name} betas not a pair`,
      () => make({ betas: [0.9] }),
      RangeError,
      `${name}: betas must be a pair [β1, β2] of numbers in [0, 1), got [0.9]`,
    ],
    [
      `${name} betas a number`,
      () => make({ betas: 0.9 }),
      RangeError,
      `${name}: betas must be a pair [β1, β2] of numbers in [0, 1), got 0.9`,
    ],
    [
      `${name} betas[0] = 1`,
      () => make({ betas: [1, 0.999] }),
      RangeError,
      `${name}: betas[0] must be in [0, 1), got 1`,
    ],
    [
      `${name} betas[1] < 0`,
      () => make({ betas: [0.9, -0.1] }),
      RangeError,
      `${name}: betas[1] must be in [0, 1), got -0.1`,
    ],
    [
      `${name} weightDecay < 0`,
      () => make({ weightDecay: -0.01 }),
      RangeError,
      NON_NEG(name, 'weightDecay', '-0.01'),
    ],
    [`${name} maximize not boolean`, () => make({ maximize: 1 }), TypeError, BOOL(name, 'maximize', '1')],
  ];
  if (options.eps !== false)
    rows.push([`${name} eps < 0`, () => make({ eps: -1e-8 }), RangeError, NON_NEG(name, 'eps', '-1e-8')]);
  return rows;
}

const ROWS: Row[] = [
  // SGD
  [
    'SGD without lr',
    () => new SGD(p(), {} as never),
    TypeError,
    'SGD: lr is required (PyTorch has no default for it), e.g. new SGD(params, { lr: 0.01 })',
  ],
  [
    'SGD without options',
    () => new (SGD as unknown as new (params: Tensor[]) => SGD)(p()),
    TypeError,
    'SGD: lr is required (PyTorch has no default for it), e.g. new SGD(params, { lr: 0.01 })',
  ],
  ['SGD lr < 0', () => new SGD(p(), { lr: -0.1 }), RangeError, NON_NEG('SGD', 'lr', '-0.1')],
  [
    'SGD momentum < 0',
    () => new SGD(p(), { lr: 0.1, momentum: -0.9 }),
    RangeError,
    NON_NEG('SGD', 'momentum', '-0.9'),
  ],
  [
    'SGD dampening < 0',
    () => new SGD(p(), { lr: 0.1, dampening: -1 }),
    RangeError,
    NON_NEG('SGD', 'dampening', '-1'),
  ],
  [
    'SGD weightDecay < 0',
    () => new SGD(p(), { lr: 0.1, weightDecay: -1 }),
    RangeError,
    NON_NEG('SGD', 'weightDecay', '-1'),
  ],
  [
    'SGD nesterov not boolean',
    () => new SGD(p(), { lr: 0.1, nesterov: 'yes' as never }),
    TypeError,
    BOOL('SGD', 'nesterov', '"yes"'),
  ],
  [
    'SGD maximize not boolean',
    () => new SGD(p(), { lr: 0.1, maximize: 0 as never }),
    TypeError,
    BOOL('SGD', 'maximize', '0'),
  ],
  [
    'SGD unknown nesterovForm',
    () => new SGD(p(), { lr: 0.1, momentum: 0.9, nesterov: true, nesterovForm: 'sutskever' as never }),
    RangeError,
    `SGD: nesterovForm must be 'pytorch' or 'lookahead', got "sutskever"`,
  ],
  [
    'SGD nesterov without momentum',
    () => new SGD(p(), { lr: 0.1, nesterov: true }),
    RangeError,
    'SGD: nesterov requires momentum > 0 and dampening 0',
  ],
  [
    'SGD nesterov with dampening',
    () => new SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
    RangeError,
    'SGD: nesterov requires momentum > 0 and dampening 0',
  ],
  [
    'SGD lookahead nesterov without momentum',
    () => new SGD(p(), { lr: 0.1, nesterov: true, nesterovForm: 'lookahead' }),
    RangeError,
    'SGD: nesterov requires momentum > 0 and dampening 0',
  ],

  // Adagrad
  ['Adagrad lr < 0', () => new Adagrad(p(), { lr: -1 }), RangeError, NON_NEG('Adagrad', 'lr', '-1')],
  [
    'Adagrad lrDecay < 0',
    () => new Adagrad(p(), { lrDecay: -1 }),
    RangeError,
    NON_NEG('Adagrad', 'lrDecay', '-1'),
  ],
  [
    'Adagrad weightDecay < 0',
    () => new Adagrad(p(), { weightDecay: -1 }),
    RangeError,
    NON_NEG('Adagrad', 'weightDecay', '-1'),
  ],
  [
    'Adagrad initialAccumulatorValue < 0',
    () => new Adagrad(p(), { initialAccumulatorValue: -0.1 }),
    RangeError,
    NON_NEG('Adagrad', 'initialAccumulatorValue', '-0.1'),
  ],
  ['Adagrad eps < 0', () => new Adagrad(p(), { eps: -1 }), RangeError, NON_NEG('Adagrad', 'eps', '-1')],
  [
    'Adagrad maximize not boolean',
    () => new Adagrad(p(), { maximize: 'false' as never }),
    TypeError,
    BOOL('Adagrad', 'maximize', '"false"'),
  ],
  [
    'Adagrad epsInsideSqrt not boolean',
    () => new Adagrad(p(), { epsInsideSqrt: 'true' as never }),
    TypeError,
    BOOL('Adagrad', 'epsInsideSqrt', '"true"'),
  ],

  // RMSprop
  ['RMSprop lr < 0', () => new RMSprop(p(), { lr: -1 }), RangeError, NON_NEG('RMSprop', 'lr', '-1')],
  [
    'RMSprop alpha < 0',
    () => new RMSprop(p(), { alpha: -0.5 }),
    RangeError,
    NON_NEG('RMSprop', 'alpha', '-0.5'),
  ],
  ['RMSprop eps < 0', () => new RMSprop(p(), { eps: -1 }), RangeError, NON_NEG('RMSprop', 'eps', '-1')],
  [
    'RMSprop weightDecay < 0',
    () => new RMSprop(p(), { weightDecay: -1 }),
    RangeError,
    NON_NEG('RMSprop', 'weightDecay', '-1'),
  ],
  [
    'RMSprop momentum < 0',
    () => new RMSprop(p(), { momentum: -1 }),
    RangeError,
    NON_NEG('RMSprop', 'momentum', '-1'),
  ],
  [
    'RMSprop centered not boolean',
    () => new RMSprop(p(), { centered: 1 as never }),
    TypeError,
    BOOL('RMSprop', 'centered', '1'),
  ],
  [
    'RMSprop maximize not boolean',
    () => new RMSprop(p(), { maximize: 1 as never }),
    TypeError,
    BOOL('RMSprop', 'maximize', '1'),
  ],
  [
    'RMSprop epsInsideSqrt not boolean',
    () => new RMSprop(p(), { epsInsideSqrt: 1 as never }),
    TypeError,
    BOOL('RMSprop', 'epsInsideSqrt', '1'),
  ],

  // Adadelta
  ['Adadelta lr < 0', () => new Adadelta(p(), { lr: -1 }), RangeError, NON_NEG('Adadelta', 'lr', '-1')],
  [
    'Adadelta rho > 1',
    () => new Adadelta(p(), { rho: 1.5 }),
    RangeError,
    'Adadelta: rho must be in [0, 1], got 1.5',
  ],
  [
    'Adadelta rho < 0',
    () => new Adadelta(p(), { rho: -0.1 }),
    RangeError,
    'Adadelta: rho must be in [0, 1], got -0.1',
  ],
  ['Adadelta eps < 0', () => new Adadelta(p(), { eps: -1 }), RangeError, NON_NEG('Adadelta', 'eps', '-1')],
  [
    'Adadelta weightDecay < 0',
    () => new Adadelta(p(), { weightDecay: -1 }),
    RangeError,
    NON_NEG('Adadelta', 'weightDecay', '-1'),
  ],
  [
    'Adadelta maximize not boolean',
    () => new Adadelta(p(), { maximize: 1 as never }),
    TypeError,
    BOOL('Adadelta', 'maximize', '1'),
  ],

  // Adam and AdamW
  ...adamLike('Adam', (o) => new Adam(p(), o)),
  [
    'Adam amsgrad not boolean',
    () => new Adam(p(), { amsgrad: 1 as never }),
    TypeError,
    BOOL('Adam', 'amsgrad', '1'),
  ],
  [
    'Adam biasCorrection not boolean',
    () => new Adam(p(), { biasCorrection: 'no' as never }),
    TypeError,
    BOOL('Adam', 'biasCorrection', '"no"'),
  ],
  [
    'Adam epsInsideSqrt not boolean',
    () => new Adam(p(), { epsInsideSqrt: 1 as never }),
    TypeError,
    BOOL('Adam', 'epsInsideSqrt', '1'),
  ],
  ...adamLike('AdamW', (o) => new AdamW(p(), o)),
  [
    'AdamW amsgrad not boolean',
    () => new AdamW(p(), { amsgrad: 1 as never }),
    TypeError,
    BOOL('AdamW', 'amsgrad', '1'),
  ],
  [
    'AdamW biasCorrection not boolean',
    () => new AdamW(p(), { biasCorrection: 1 as never }),
    TypeError,
    BOOL('AdamW', 'biasCorrection', '1'),
  ],
  [
    'AdamW epsInsideSqrt not boolean',
    () => new AdamW(p(), { epsInsideSqrt: 1 as never }),
    TypeError,
    BOOL('AdamW', 'epsInsideSqrt', '1'),
  ],

  // Adamax, NAdam, RAdam, LAMB
  ...adamLike('Adamax', (o) => new Adamax(p(), o)),
  ...adamLike('NAdam', (o) => new NAdam(p(), o)),
  [
    'NAdam momentumDecay < 0',
    () => new NAdam(p(), { momentumDecay: -0.004 }),
    RangeError,
    NON_NEG('NAdam', 'momentumDecay', '-0.004'),
  ],
  ...adamLike('RAdam', (o) => new RAdam(p(), o)),
  ...adamLike('LAMB', (o) => new LAMB(p(), o)),

  // Lion (no eps)
  ...adamLike('Lion', (o) => new Lion(p(), o), { eps: false }),

  // QHM
  [
    'QHM without lr',
    () => new QHM(p(), {} as never),
    TypeError,
    'QHM: lr is required, e.g. new QHM(params, { lr: 1 })',
  ],
  [
    'QHM without options',
    () => new (QHM as unknown as new (params: Tensor[]) => QHM)(p()),
    TypeError,
    'QHM: lr is required, e.g. new QHM(params, { lr: 1 })',
  ],
  ['QHM lr < 0', () => new QHM(p(), { lr: -1 }), RangeError, NON_NEG('QHM', 'lr', '-1')],
  [
    'QHM momentum = 1',
    () => new QHM(p(), { lr: 1, momentum: 1 }),
    RangeError,
    'QHM: momentum must be in [0, 1), got 1',
  ],
  ['QHM nu > 1', () => new QHM(p(), { lr: 1, nu: 1.1 }), RangeError, 'QHM: nu must be in [0, 1], got 1.1'],
  ['QHM nu < 0', () => new QHM(p(), { lr: 1, nu: -0.1 }), RangeError, 'QHM: nu must be in [0, 1], got -0.1'],
  [
    'QHM weightDecay < 0',
    () => new QHM(p(), { lr: 1, weightDecay: -1 }),
    RangeError,
    NON_NEG('QHM', 'weightDecay', '-1'),
  ],
  [
    'QHM maximize not boolean',
    () => new QHM(p(), { lr: 1, maximize: 1 as never }),
    TypeError,
    BOOL('QHM', 'maximize', '1'),
  ],

  // QHAdam
  ...adamLike('QHAdam', (o) => new QHAdam(p(), o)),
  [
    'QHAdam nus not a pair',
    () => new QHAdam(p(), { nus: [0.7] as never }),
    RangeError,
    'QHAdam: nus must be a pair [ν1, ν2] in [0, 1], got [0.7]',
  ],
  [
    'QHAdam nus[0] > 1',
    () => new QHAdam(p(), { nus: [1.5, 1] }),
    RangeError,
    'QHAdam: nus[0] must be in [0, 1], got 1.5',
  ],
  [
    'QHAdam nus[1] < 0',
    () => new QHAdam(p(), { nus: [0.7, -1] }),
    RangeError,
    'QHAdam: nus[1] must be in [0, 1], got -1',
  ],

  // AggMo
  ['AggMo lr < 0', () => new AggMo(p(), { lr: -1 }), RangeError, NON_NEG('AggMo', 'lr', '-1')],
  [
    'AggMo betas empty',
    () => new AggMo(p(), { betas: [] }),
    RangeError,
    'AggMo: betas must be a non-empty list of numbers in [0, 1), got []',
  ],
  [
    'AggMo betas not a list',
    () => new AggMo(p(), { betas: 0.9 as never }),
    RangeError,
    'AggMo: betas must be a non-empty list of numbers in [0, 1), got 0.9',
  ],
  [
    'AggMo a beta = 1',
    () => new AggMo(p(), { betas: [0, 1, 0.99] }),
    RangeError,
    'AggMo: betas[1] must be in [0, 1), got 1',
  ],
  [
    'AggMo weightDecay < 0',
    () => new AggMo(p(), { weightDecay: -1 }),
    RangeError,
    NON_NEG('AggMo', 'weightDecay', '-1'),
  ],
  [
    'AggMo maximize not boolean',
    () => new AggMo(p(), { maximize: 1 as never }),
    TypeError,
    BOOL('AggMo', 'maximize', '1'),
  ],

  // Demon
  [
    'Demon without totalSteps',
    () => new Demon(p(), { lr: 0.01 } as never),
    TypeError,
    'Demon: lr and totalSteps are required, e.g. new Demon(params, { lr: 0.01, totalSteps: 1000 })',
  ],
  [
    'Demon without lr',
    () => new Demon(p(), { totalSteps: 100 } as never),
    TypeError,
    'Demon: lr and totalSteps are required, e.g. new Demon(params, { lr: 0.01, totalSteps: 1000 })',
  ],
  [
    'Demon without options',
    () => new (Demon as unknown as new (params: Tensor[]) => Demon)(p()),
    TypeError,
    'Demon: lr and totalSteps are required, e.g. new Demon(params, { lr: 0.01, totalSteps: 1000 })',
  ],
  [
    'Demon lr < 0',
    () => new Demon(p(), { lr: -1, totalSteps: 10 }),
    RangeError,
    NON_NEG('Demon', 'lr', '-1'),
  ],
  [
    'Demon momentum = 1',
    () => new Demon(p(), { lr: 0.1, totalSteps: 10, momentum: 1 }),
    RangeError,
    'Demon: momentum must be in [0, 1), got 1',
  ],
  [
    'Demon totalSteps = 0',
    () => new Demon(p(), { lr: 0.1, totalSteps: 0 }),
    RangeError,
    'Demon: totalSteps must be a positive integer, got 0',
  ],
  [
    'Demon totalSteps not an integer',
    () => new Demon(p(), { lr: 0.1, totalSteps: 2.5 }),
    RangeError,
    'Demon: totalSteps must be a positive integer, got 2.5',
  ],
  [
    'Demon weightDecay < 0',
    () => new Demon(p(), { lr: 0.1, totalSteps: 10, weightDecay: -1 }),
    RangeError,
    NON_NEG('Demon', 'weightDecay', '-1'),
  ],
  [
    'Demon maximize not boolean',
    () => new Demon(p(), { lr: 0.1, totalSteps: 10, maximize: 1 as never }),
    TypeError,
    BOOL('Demon', 'maximize', '1'),
  ],
];

describe.each(backends)('optimizer errors on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe('option validation, one row per path', () => {
    for (const [label, make, type, message] of ROWS) {
      it(`${label}: ${message}`, () => on(() => expectError(make, type, message)));
    }
  });

  it('group options are validated like constructor options, and a refused group is not added', () =>
    on(() => {
      const [a] = p();
      const [b] = p();
      expectError(
        () => new Adam([{ params: [a!] }, { params: [b!], betas: [0.9, 1] }]),
        RangeError,
        'Adam: betas[1] must be in [0, 1), got 1',
      );
      const opt = new SGD([a!], { lr: 0.1 });
      expectError(
        () => opt.addParamGroup({ params: [b!], momentum: -1 }),
        RangeError,
        NON_NEG('SGD', 'momentum', '-1'),
      );
      expect(opt.paramGroups).toHaveLength(1);
      opt.addParamGroup({ params: [b!], momentum: 0.5 }); // b was not registered by the refused call
      expect(opt.paramGroups).toHaveLength(2);
    }));

  describe('parameter lists and groups', () => {
    const PARAM_ROWS: Row[] = [
      [
        'an empty list',
        () => new Adam([]),
        TypeError,
        'Adam: params must be a non-empty array of tensors or of parameter groups { params, ...options }',
      ],
      [
        'a tensor instead of a list',
        () => new Lion(tensor([1], { requiresGrad: true }) as never),
        TypeError,
        'Lion: params must be a non-empty array of tensors or of parameter groups { params, ...options }',
      ],
      [
        'a group without a params array',
        () => new RMSprop([{ params: tensor([1], { requiresGrad: true }) } as never]),
        TypeError,
        'RMSprop: a parameter group must be an object { params: Tensor[], ...options }',
      ],
      [
        'tensors and groups mixed',
        () => new Adam([tensor([1], { requiresGrad: true }), { params: p() }] as never),
        TypeError,
        'Adam: a parameter group must be an object { params: Tensor[], ...options }',
      ],
      [
        'a number among the params',
        () => new SGD([{ params: [...p(), ...p(), 3 as never] }], { lr: 0.1 }),
        TypeError,
        'SGD: params[2] is not a Tensor',
      ],
      [
        'a non-leaf tensor',
        () => {
          const leaf = tensor([1, 2], { requiresGrad: true });
          return new Adagrad([leaf, leaf.mul(2)]);
        },
        TypeError,
        'Adagrad: params[1] is not a leaf tensor; optimizers update leaves (parameters) only',
      ],
      [
        'an int32 tensor',
        () => new AdamW([tensor([1, 2], { dtype: 'int32' })]),
        TypeError,
        'AdamW: params[0] is int32; only floating-point tensors can be optimized',
      ],
      [
        'the same tensor twice in one group',
        () => {
          const [a] = p();
          return new QHAdam([a!, a!]);
        },
        Error,
        'QHAdam: a parameter appears in more than one group (or twice in one)',
      ],
      [
        'the same tensor in two groups',
        () => {
          const [a] = p();
          return new Demon([{ params: [a!] }, { params: [...p(), a!] }], { lr: 0.1, totalSteps: 10 });
        },
        Error,
        'Demon: a parameter appears in more than one group (or twice in one)',
      ],
      [
        'addParamGroup with a tensor already in the optimizer',
        () => {
          const [a] = p();
          new Adamax([a!]).addParamGroup({ params: [a!] });
        },
        Error,
        'Adamax: a parameter appears in more than one group (or twice in one)',
      ],
      [
        'addParamGroup without an object',
        () => new NAdam(p()).addParamGroup(null as never),
        TypeError,
        'NAdam: a parameter group must be an object { params: Tensor[], ...options }',
      ],
    ];
    for (const [label, make, type, message] of PARAM_ROWS) {
      it(`${label}: ${message}`, () => on(() => expectError(make, type, message)));
    }
  });

  describe('unknown options are refused with the accepted list (typos do not pass silently)', () => {
    const ACCEPTED: Record<OptimizerName, [string, string]> = {
      sgd: ['SGD', 'lr, momentum, dampening, weightDecay, nesterov, nesterovForm, maximize'],
      adagrad: ['Adagrad', 'lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, epsInsideSqrt'],
      rmsprop: ['RMSprop', 'lr, alpha, eps, weightDecay, momentum, centered, maximize, epsInsideSqrt'],
      adadelta: ['Adadelta', 'lr, rho, eps, weightDecay, maximize'],
      adam: ['Adam', 'lr, betas, eps, weightDecay, amsgrad, maximize, biasCorrection, epsInsideSqrt'],
      adamw: ['AdamW', 'lr, betas, eps, weightDecay, amsgrad, maximize, biasCorrection, epsInsideSqrt'],
      adamax: ['Adamax', 'lr, betas, eps, weightDecay, maximize'],
      nadam: ['NAdam', 'lr, betas, eps, weightDecay, maximize, momentumDecay'],
      radam: ['RAdam', 'lr, betas, eps, weightDecay, maximize'],
      lion: ['Lion', 'lr, betas, weightDecay, maximize'],
      lamb: ['LAMB', 'lr, betas, eps, weightDecay, maximize'],
      qhm: ['QHM', 'lr, momentum, nu, weightDecay, maximize'],
      qhadam: ['QHAdam', 'lr, betas, nus, eps, weightDecay, maximize'],
      aggmo: ['AggMo', 'lr, betas, weightDecay, maximize'],
      demon: ['Demon', 'lr, momentum, totalSteps, weightDecay, maximize'],
    };

    it('ACCEPTED covers OPTIMIZER_NAMES', () => {
      expect(Object.keys(ACCEPTED).sort()).toEqual([...OPTIMIZER_NAMES].sort());
    });

    for (const name of OPTIMIZER_NAMES) {
      const [cls, accepted] = ACCEPTED[name];
      it(`${name}: in the constructor options and in a parameter group`, () =>
        on(() => {
          expectError(
            () => createOptimizer(name, p(), { weight_decay: 0.1 }),
            TypeError,
            `${cls}: unknown option 'weight_decay'; accepted: ${accepted}`,
          );
          const opt = createOptimizer(name, p());
          expectError(
            () => opt.addParamGroup({ params: p(), learningRate: 0.1 } as never),
            TypeError,
            `${cls}: unknown option 'learningRate'; accepted: ${accepted}`,
          );
          expect(opt.paramGroups).toHaveLength(1);
        }));
    }

    it('in a group passed to the constructor', () =>
      on(() => {
        expectError(
          () => new Adam([{ params: p() }, { params: p(), beta1: 0.8 } as never]),
          TypeError,
          "Adam: unknown option 'beta1'; accepted: lr, betas, eps, weightDecay, amsgrad, maximize, biasCorrection, epsInsideSqrt",
        );
      }));
  });

  it('the lr setter refuses negative and non-finite values and leaves the groups unchanged', () =>
    on(() => {
      const opt = new RAdam([{ params: p() }, { params: p(), lr: 0.5 }]);
      expectError(
        () => {
          opt.lr = -0.1;
        },
        RangeError,
        'RAdam: lr must be a non-negative number, got -0.1',
      );
      expectError(
        () => {
          opt.lr = Number.NaN;
        },
        RangeError,
        'RAdam: lr must be a non-negative number, got NaN',
      );
      expectError(
        () => {
          opt.lr = Number.POSITIVE_INFINITY;
        },
        RangeError,
        'RAdam: lr must be a non-negative number, got Infinity',
      );
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-3, 0.5]);
      opt.lr = 0; // zero is allowed
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([0, 0]);
    }));

  it('AggMo refuses a betas list whose length changed after its buffers were made', () =>
    on(() => {
      const params = p();
      const opt = new AggMo(params, { lr: 0.1 });
      params[0]!.grad = tensor([1, 1]);
      opt.step();
      opt.paramGroups[0]!.betas = [0, 0.9];
      expectError(() => opt.step(), RangeError, 'AggMo: betas changed from 3 to 2 values during training');
    }));

  describe('createOptimizer', () => {
    it('an unknown name lists the accepted ones', () =>
      on(() => {
        expectError(
          () => createOptimizer('adamx', p()),
          RangeError,
          'unknown optimizer "adamx"; accepted: sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, lion, lamb, qhm, qhadam, aggmo, demon',
        );
        // Names are lower-case, as on the command line.
        expect(() => createOptimizer('Adam', p())).toThrow(/^unknown optimizer "Adam"; accepted: sgd, /);
      }));

    it('options pass through to the class, with its messages', () =>
      on(() => {
        expectError(() => createOptimizer('adam', p(), { lr: -1 }), RangeError, NON_NEG('Adam', 'lr', '-1'));
        expectError(
          () => createOptimizer('demon', p(), { totalSteps: 0 }),
          RangeError,
          'Demon: totalSteps must be a positive integer, got 0',
        );
        expectError(
          () => createOptimizer('sgd', p(), { nesterov: true }),
          RangeError,
          'SGD: nesterov requires momentum > 0 and dampening 0',
        );
      }));

    it('the documented registry defaults: SGD lr 0.01, QHM lr 1, Demon lr 0.01 with totalSteps 1000', () =>
      on(() => {
        expect(createOptimizer('sgd', p()).lr).toBe(0.01);
        expect(createOptimizer('qhm', p()).lr).toBe(1);
        const demon = createOptimizer('demon', p()) as Demon;
        expect([demon.lr, demon.paramGroups[0]!.totalSteps]).toEqual([0.01, 1000]);
      }));
  });
});
