/**
 * Optimizer state: save/load continuity for every optimizer (10 steps straight equal 5 steps, a JSON
 * round trip of `stateDict()` into a fresh optimizer on fresh parameters, and 5 more steps, bit for
 * bit), the learning rate and per-group options, parameters without gradients, `zeroGrad`, the
 * `loadStateDict` error paths, and flat memory over many steps.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type AdamOptions,
  createOptimizer,
  matmul,
  OPTIMIZER_NAMES,
  type Optimizer,
  type OptimizerName,
  type OptimizerStateDict,
  QHM,
  SGD,
  scope,
  sum,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { backends } from '../backends.js';

/** Options that switch on every piece of state each optimizer has (lazy buffers included). */
const STATE_OPTIONS: Record<OptimizerName, Record<string, unknown>> = {
  sgd: { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 },
  adagrad: { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1, weightDecay: 0.01 },
  rmsprop: { lr: 0.01, momentum: 0.9, centered: true },
  adadelta: { lr: 1, rho: 0.9 },
  adam: { lr: 0.01, amsgrad: true, weightDecay: 0.01 },
  adamw: { lr: 0.01, amsgrad: true },
  adamax: { lr: 0.01 },
  nadam: { lr: 0.01 },
  radam: { lr: 0.01 }, // switches from momentum to rectified steps at t = 6, inside the 10 steps
  lion: { lr: 0.01, weightDecay: 0.1 },
  lamb: { lr: 0.01, weightDecay: 0.01 },
  qhm: { lr: 0.1, momentum: 0.9 },
  qhadam: { lr: 0.01 },
  aggmo: { lr: 0.01 },
  demon: { lr: 0.01, totalSteps: 8 }, // the momentum reaches 0 inside the 10 steps
};

const X = [
  [0.5, -1],
  [1.5, 0.25],
  [-0.75, 2],
  [1, 1],
];
const Y = [
  [1, 0, -1],
  [0.5, 2, 0],
  [-1, 1, 1],
  [0, -0.5, 2],
];

/** A weight [2, 3] and a bias [3], fresh each call (float32, as in training). */
function makeParams(values?: number[][]): Tensor[] {
  const w = values?.[0] ?? [0.1, -0.2, 0.3, 0.4, -0.5, 0.6];
  const b = values?.[1] ?? [0.05, -0.05, 0.1];
  return [tensor(w, { shape: [2, 3], requiresGrad: true }), tensor(b, { shape: [3], requiresGrad: true })];
}

/** Sum of squared errors of x·w + b plus a cubic term, so that gradients change with θ. */
function lossOf(params: Tensor[]): Tensor {
  const [w, b] = params as [Tensor, Tensor];
  const pred = matmul(tensor(X), w).add(b);
  const err = pred.sub(tensor(Y));
  return sum(err.mul(err)).add(sum(w.mul(w).mul(w)).mul(0.1));
}

function train(opt: Optimizer<{ lr: number }>, params: Tensor[], steps: number): void {
  for (let k = 0; k < steps; k++) {
    scope(() => {
      opt.zeroGrad();
      lossOf(params).backward();
      opt.step();
    });
  }
}

const snapshot = (params: Tensor[]): number[][] => params.map((p) => Array.from(p.data()));

function expectValues(t: Tensor, expected: number[], digits = 12): void {
  const got = Array.from(t.data());
  expect(got).toHaveLength(expected.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i]!, digits);
  });
}

describe.each(backends)('optimizer state on $name', ({ name: backendName, backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);
  // The webgpu entry runs on a CPU emulation of a GPU here (SwiftShader): a flat line shows in 40 steps too.
  const flatSteps = backendName === 'webgpu' ? 40 : 200;

  describe('10 steps straight equal 5 steps, stateDict → JSON → fresh optimizer, 5 more (bit for bit)', () => {
    it('STATE_OPTIONS covers OPTIMIZER_NAMES', () => {
      expect(Object.keys(STATE_OPTIONS).sort()).toEqual([...OPTIMIZER_NAMES].sort());
    });

    for (const name of OPTIMIZER_NAMES) {
      it(`${name} ${JSON.stringify(STATE_OPTIONS[name])}`, () =>
        on(() => {
          const options = STATE_OPTIONS[name];
          const straight = makeParams();
          train(createOptimizer(name, straight, options), straight, 10);

          const first = makeParams();
          const optA = createOptimizer(name, first, options);
          train(optA, first, 5);
          const saved = JSON.parse(JSON.stringify(optA.stateDict())) as OptimizerStateDict<{ lr: number }>;
          expect(Object.keys(saved.state)).toEqual(['0', '1']);

          const resumed = makeParams(snapshot(first));
          const optB = createOptimizer(name, resumed, { lr: 123 }); // options come from the state dict
          optB.loadStateDict(saved);
          expect(optB.lr).toBe(options.lr);
          train(optB, resumed, 5);

          const [a, b] = [snapshot(straight), snapshot(resumed)];
          expect(b).toEqual(a);
          // Not vacuous: the state matters (a fresh optimizer from the same point goes elsewhere).
          const fresh = makeParams(snapshot(first));
          train(createOptimizer(name, fresh, options), fresh, 5);
          expect(snapshot(fresh)).not.toEqual(a);
        }));
    }
  });

  it('stateDict before any step has no state, and the groups list their options and parameter indices', () =>
    on(() => {
      const [w, b] = makeParams();
      const opt = new Adam([{ params: [w!] }, { params: [b!], lr: 0.5 }], { lr: 0.01 });
      const sd = opt.stateDict();
      expect(sd.state).toEqual({});
      expect(sd.paramGroups.map((g) => [g.params, g.lr, g.betas])).toEqual([
        [[0], 0.01, [0.9, 0.999]],
        [[1], 0.5, [0.9, 0.999]],
      ]);
    }));

  it('a learning rate changed while training is saved and restored with the state', () =>
    on(() => {
      const params = makeParams();
      const opt = new Adam(params, { lr: 0.01 });
      train(opt, params, 2);
      opt.lr = 0.003;
      const copy = makeParams(snapshot(params));
      const restored = new Adam(copy, { lr: 0.01 });
      restored.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())));
      expect(restored.lr).toBe(0.003);
      train(opt, params, 3);
      train(restored, copy, 3);
      expect(snapshot(copy)).toEqual(snapshot(params));
    }));

  describe('learning rate and parameter groups', () => {
    // Hand-worked float64 steps: on the backends that store float64.
    it.skipIf(!backend.supports('float64'))(
      'optimizer.lr reads the first group; setting it sets every group and takes effect on the next step',
      () =>
        on(() => {
          const f64 = { dtype: 'float64', requiresGrad: true } as const;
          const p = tensor([1, 2], f64);
          const q = tensor([3], f64);
          const opt = new SGD([{ params: [p] }, { params: [q], lr: 0.2 }], { lr: 0.1 });
          expect(opt.lr).toBe(0.1);
          p.grad = tensor([1, -1], { dtype: 'float64' });
          q.grad = tensor([2], { dtype: 'float64' });
          opt.step();
          expectValues(p, [0.9, 2.1]);
          expectValues(q, [2.6]);
          opt.lr = 0.5;
          expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.5, 0.5]);
          opt.step();
          expectValues(p, [0.4, 2.6]);
          expectValues(q, [1.6]);
        }),
    );

    it('two groups with different options evolve exactly as two separate optimizers', () =>
      on(() => {
        const together = makeParams();
        const opt = new Adam(
          [
            { params: [together[0]!], lr: 0.05, betas: [0.8, 0.99] },
            { params: [together[1]!], lr: 0.001, amsgrad: true },
          ],
          { lr: 0.01 },
        );
        const apart = makeParams();
        const optW = new Adam([apart[0]!], { lr: 0.05, betas: [0.8, 0.99] });
        const optB = new Adam([apart[1]!], { lr: 0.001, amsgrad: true });
        for (let k = 0; k < 6; k++) {
          scope(() => {
            opt.zeroGrad();
            lossOf(together).backward();
            opt.step();
            optW.zeroGrad();
            optB.zeroGrad();
            lossOf(apart).backward();
            optW.step();
            optB.step();
          });
        }
        expect(snapshot(together)).toEqual(snapshot(apart));
        // …and the group options really differ in effect.
        const moved = snapshot(together).map((v, i) => v.map((x, j) => x - snapshot(makeParams())[i]![j]!));
        expect(Math.max(...moved[0]!.map(Math.abs))).toBeGreaterThan(
          10 * Math.max(...moved[1]!.map(Math.abs)),
        );
      }));

    it('a group added later with addParamGroup takes the defaults for options it does not give', () =>
      on(() => {
        const p = tensor([1], { requiresGrad: true });
        const q = tensor([1], { requiresGrad: true });
        const opt = new QHM([p], { lr: 0.5, nu: 0.5 });
        opt.addParamGroup({ params: [q], lr: 0.1 });
        expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, nu: 0.5, momentum: 0.999 });
      }));
  });

  describe('gradients', () => {
    it('a parameter without .grad is skipped and gets no state', () =>
      on(() => {
        const p = tensor([1, 2], { requiresGrad: true });
        const q = tensor([3, 4], { requiresGrad: true });
        const opt = new Adam([p, q], { lr: 0.1 });
        p.grad = tensor([1, 1]);
        opt.step();
        opt.step();
        expect(Array.from(q.data())).toEqual([3, 4]);
        expect(Array.from(p.data())).not.toEqual([1, 2]);
        const sd = opt.stateDict();
        expect(Object.keys(sd.state)).toEqual(['0']);
        // Once q gets a gradient its state starts from step 1 (its own bias correction).
        q.grad = tensor([1, 1]);
        opt.step();
        expect((opt.stateDict().state[1]![2] as { step: number }).step).toBe(1);
        expect((opt.stateDict().state[0]![2] as { step: number }).step).toBe(3);
        expectValues(q, [2.9, 3.9], 6);
      }));

    it("with nesterovForm 'lookahead' too, a parameter the closure never reaches gets no state", () =>
      on(() => {
        // Its velocity is zero, so the look-ahead shift is zero: there is nothing to keep for it.
        const p = tensor([1, 2], { requiresGrad: true });
        const q = tensor([3, 4], { requiresGrad: true });
        const opt = new SGD([p, q], { lr: 0.1, momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' });
        for (let k = 0; k < 2; k++) {
          opt.step(() => {
            opt.zeroGrad();
            const loss = sum(p.mul(p));
            loss.backward();
            return loss;
          });
        }
        expect(q.grad).toBeNull();
        expect(Array.from(q.data())).toEqual([3, 4]);
        expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
      }));

    it('zeroGrad() zeroes the gradients in place; { setToNone: true } drops them', () =>
      on(() => {
        const params = makeParams();
        const opt = new SGD(params, { lr: 0.1 });
        lossOf(params).backward();
        const grads = params.map((p) => p.grad!);
        expect(grads.every((g) => Array.from(g.data()).some((x) => x !== 0))).toBe(true);
        opt.zeroGrad();
        params.forEach((p, i) => {
          expect(p.grad).toBe(grads[i]);
          expect(Array.from(p.grad!.data()).every((x) => x === 0)).toBe(true);
        });
        lossOf(params).backward();
        expect(params[0]!.grad).toBe(grads[0]); // accumulated into the same buffer
        opt.zeroGrad({ setToNone: true });
        expect(params.map((p) => p.grad)).toEqual([null, null]);
        const before = snapshot(params);
        opt.step(); // nothing to do
        expect(snapshot(params)).toEqual(before);
      }));
  });

  describe('loadStateDict errors', () => {
    const saved = () => {
      const params = makeParams();
      const opt = new Adam(params, { lr: 0.01 });
      train(opt, params, 1);
      return JSON.parse(JSON.stringify(opt.stateDict())) as OptimizerStateDict<AdamOptions>;
    };

    it('not a state dict', () =>
      on(() => {
        const opt = new Adam(makeParams());
        for (const bad of [null, {}, { state: {}, paramGroups: 3 }]) {
          expect(() => opt.loadStateDict(bad as never)).toThrow(
            'Adam.loadStateDict: expected an object { state, paramGroups } as returned by stateDict()',
          );
        }
      }));

    it('a different number of groups', () =>
      on(() => {
        const [w, b] = makeParams();
        const opt = new Adam([{ params: [w!] }, { params: [b!] }]);
        expect(() => opt.loadStateDict(saved())).toThrow(
          'Adam.loadStateDict: the state dict has 1 parameter groups, this optimizer has 2',
        );
      }));

    it('a different number of parameters in a group', () =>
      on(() => {
        const opt = new Adam([makeParams()[0]!]);
        expect(() => opt.loadStateDict(saved())).toThrow(
          'Adam.loadStateDict: group 0 has 2 parameters in the state dict and 1 here',
        );
      }));

    it('a saved tensor of the wrong shape', () =>
      on(() => {
        const opt = new Adam([
          tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2], requiresGrad: true }),
          makeParams()[1]!,
        ]);
        expect(() => opt.loadStateDict(saved())).toThrow(
          "Adam.loadStateDict: state of parameter 0 (scaleByAdam).expAvg: has shape [2, 3], but the parameter's state needs [3, 2]",
        );
      }));

    it('a refused state dict leaves the optimizer as it was (options and state)', () =>
      on(() => {
        const sd = saved(); // Adam lr 0.01 after one step, on a [2, 3] weight and a [3] bias
        const params = [makeParams()[0]!, tensor([1, 2], { requiresGrad: true })]; // the bias has the wrong shape
        const opt = new Adam(params, { lr: 0.5 });
        const before = JSON.stringify(opt.stateDict());
        expect(() => opt.loadStateDict(sd)).toThrow(
          "Adam.loadStateDict: state of parameter 1 (scaleByAdam).expAvg: has shape [3], but the parameter's state needs [2]",
        );
        expect(opt.lr).toBe(0.5);
        expect(JSON.stringify(opt.stateDict())).toBe(before);
      }));

    it('invalid options in the saved groups are refused with the option’s message', () =>
      on(() => {
        const sd = saved();
        (sd.paramGroups[0] as { lr: number }).lr = -1;
        const opt = new Adam(makeParams());
        expect(() => opt.loadStateDict(sd)).toThrow('Adam: lr must be a non-negative number, got -1');
      }));
  });

  describe('memory', () => {
    const configs: [string, () => { opt: Optimizer<{ lr: number }>; params: Tensor[] }][] = [
      ...OPTIMIZER_NAMES.map(
        (name) =>
          [
            name,
            () => {
              const params = makeParams();
              return { opt: createOptimizer(name, params, STATE_OPTIONS[name]), params };
            },
          ] as [string, () => { opt: Optimizer<{ lr: number }>; params: Tensor[] }],
      ),
      [
        "sgd nesterovForm 'lookahead' with step(closure)",
        () => {
          const params = makeParams();
          const opt = new SGD(params, { lr: 0.01, momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' });
          return { opt, params };
        },
      ],
    ];

    for (const [label, make] of configs) {
      it(`${label}: ${flatSteps} steps in scopes keep bytesInUse flat after the first`, () =>
        on(() => {
          const { opt, params } = make();
          const step = () =>
            scope(() => {
              opt.step(() => {
                opt.zeroGrad();
                const loss = lossOf(params);
                loss.backward();
                return loss;
              });
            });
          const before = backend.bytesInUse();
          step();
          const afterFirst = backend.bytesInUse();
          expect(afterFirst).toBeGreaterThan(before); // gradients and state are long-lived
          for (let k = 1; k < flatSteps; k++) step();
          expect(backend.bytesInUse()).toBe(afterFirst);
        }));
    }
  });
});
