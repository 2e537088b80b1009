/**
 * Hand-worked steps: the optimizers beyond PyTorch (Lion, LAMB, QHM, QHAdam, AggMo, Demon) and the
 * course's textbook options (Adam without bias correction, ε inside the square root, Nesterov's
 * look-ahead form) against their papers' update rules, computed here in plain float64 JavaScript.
 *
 * Parameters are float64 tensors on the reference backend (the spec) and the gradients are set
 * directly on `.grad`, so each rule is checked to ~1e-12 relative, far below the size of any term
 * (ε placements are checked with ε large enough to change the result visibly).
 */
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AggMo,
  createOptimizer,
  Demon,
  demonMomentum,
  LAMB,
  Lion,
  OPTIMIZER_NAMES,
  type Optimizer,
  QHAdam,
  QHM,
  RMSprop,
  runTrajectory,
  SGD,
  surfaces,
  Tensor,
  tensor,
} from '../../src/index.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only (hand-worked steps in float64).
useReferenceBackend();

const THETA0 = [1, -2, 0.5];
/** Three steps of fixed gradients; the first has a zero entry (sign(0) = 0 for Lion). */
const GRADS = [
  [0.5, -1.5, 0],
  [-0.25, 2, 0.75],
  [1, -0.5, -2],
];

function param(values: number[] = THETA0): Tensor {
  return tensor(values, { dtype: 'float64', requiresGrad: true });
}

/** Runs `opt` with the given gradients set on `.grad`, returning θ after each step. */
function run(opt: Optimizer<{ lr: number }>, p: Tensor, grads: number[][] = GRADS): number[][] {
  return grads.map((g) => {
    p.grad = tensor(g, { dtype: 'float64' });
    opt.step();
    return Array.from(p.data());
  });
}

function expectClose(actual: number[][], expected: number[][], rtol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, k) => {
    row.forEach((a, i) => {
      const e = expected[k]![i]!;
      const ok = Math.abs(a - e) <= rtol * Math.max(1, Math.abs(e));
      if (!ok) expect.fail(`step ${k + 1}, element ${i}: got ${a}, hand-worked ${e}`);
    });
  });
}

function maxRelDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((row, k) => {
    row.forEach((v, i) => {
      d = Math.max(d, Math.abs(v - b[k]![i]!) / Math.max(1, Math.abs(b[k]![i]!)));
    });
  });
  return d;
}

const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('Lion (Chen et al. 2023): c = β1·m + (1−β1)g; θ ← θ − η(sign(c) + λθ); m ← β2·m + (1−β2)g', () => {
  it('three steps with decoupled weight decay match the rule', () => {
    const [lr, b1, b2, wd] = [0.1, 0.9, 0.99, 0.1];
    const theta = [...THETA0];
    const m = [0, 0, 0];
    const expected = GRADS.map((g) => {
      for (let i = 0; i < 3; i++) {
        const c = b1 * m[i]! + (1 - b1) * g[i]!;
        theta[i] = theta[i]! - lr * (Math.sign(c) + wd * theta[i]!);
        m[i] = b2 * m[i]! + (1 - b2) * g[i]!;
      }
      return [...theta];
    });
    // Step 1, element 2: g = 0 and m = 0, so c = 0 and only the decay moves θ.
    expect(expected[0]![2]).toBeCloseTo(0.5 * (1 - lr * wd), 15);
    const p = param();
    expectClose(run(new Lion([p], { lr, betas: [b1, b2], weightDecay: wd }), p), expected);
  });

  it('every coordinate moves by exactly lr without weight decay, whatever the gradient size', () => {
    const p = param();
    const got = run(new Lion([p], { lr: 0.01 }), p, [[1e-9, -1e6, 3]]);
    expectClose(got, [[1 - 0.01, -2 + 0.01, 0.5 - 0.01]], 1e-15);
  });
});

describe('LAMB (You et al. 2020): r = m̂/(√v̂ + ε) + λθ; θ ← θ − η·(‖θ‖/‖r‖)·r', () => {
  function lambByHand(theta0: number[], lr: number, b1: number, b2: number, eps: number, wd: number) {
    const theta = [...theta0];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    return GRADS.map((g, k) => {
      const t = k + 1;
      const r = theta.map((th, i) => {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
        const mHat = m[i]! / (1 - b1 ** t);
        const vHat = v[i]! / (1 - b2 ** t);
        return mHat / (Math.sqrt(vHat) + eps) + wd * th;
      });
      const [pn, rn] = [norm(theta), norm(r)];
      const ratio = pn > 0 && rn > 0 ? pn / rn : 1;
      for (let i = 0; i < 3; i++) theta[i] = theta[i]! - lr * ratio * r[i]!;
      return [...theta];
    });
  }

  it('three steps with weight decay match the rule (trust ratio per tensor)', () => {
    const p = param();
    const got = run(new LAMB([p], { lr: 0.1, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0.01 }), p);
    expectClose(got, lambByHand(THETA0, 0.1, 0.9, 0.999, 1e-6, 0.01));
  });

  it('the ratio is 1 while ‖θ‖ = 0: the first step from θ = 0 is η·r, later steps are scaled', () => {
    const p = param([0, 0, 0]);
    const got = run(new LAMB([p], { lr: 0.1 }), p);
    const expected = lambByHand([0, 0, 0], 0.1, 0.9, 0.999, 1e-6, 0);
    expectClose(got, expected);
    // First step: r = g/(|g| + ε) elementwise (bias correction cancels at t = 1).
    expect(got[0]![0]).toBeCloseTo(-0.1 * (0.5 / (0.5 + 1e-6)), 14);
    expect(got[0]![2]).toBe(0);
  });

  it('each step from θ ≠ 0 has norm exactly η·‖θ‖', () => {
    const p = param();
    const opt = new LAMB([p], { lr: 0.05 });
    let prev = [...THETA0];
    for (const g of GRADS) {
      p.grad = tensor(g, { dtype: 'float64' });
      opt.step();
      const now = Array.from(p.data());
      expect(norm(now.map((x, i) => x - prev[i]!))).toBeCloseTo(0.05 * norm(prev), 14);
      prev = now;
    }
  });
});

describe('QHM (Ma & Yarats 2019): b ← βb + (1−β)g; θ ← θ − η[(1−ν)g + νb]', () => {
  function qhmByHand(lr: number, beta: number, nu: number, wd: number) {
    const theta = [...THETA0];
    const b = [0, 0, 0];
    return GRADS.map((g0) => {
      for (let i = 0; i < 3; i++) {
        const g = g0[i]! + wd * theta[i]!; // coupled L2
        b[i] = beta * b[i]! + (1 - beta) * g;
        theta[i] = theta[i]! - lr * ((1 - nu) * g + nu * b[i]!);
      }
      return [...theta];
    });
  }

  it('three steps match the rule', () => {
    const p = param();
    expectClose(run(new QHM([p], { lr: 0.5, momentum: 0.9, nu: 0.7 }), p), qhmByHand(0.5, 0.9, 0.7, 0));
  });

  it('with weightDecay the L2 term enters the gradient before the momentum buffer', () => {
    const p = param();
    const got = run(new QHM([p], { lr: 0.5, momentum: 0.9, nu: 0.7, weightDecay: 0.1 }), p);
    expectClose(got, qhmByHand(0.5, 0.9, 0.7, 0.1));
  });

  it('the defaults are the paper’s β = 0.999, ν = 0.7', () => {
    const p = param();
    expectClose(run(new QHM([p], { lr: 0.5 }), p), qhmByHand(0.5, 0.999, 0.7, 0));
  });

  it('ν = 0 is plain SGD', () => {
    const p = param();
    const theta = [...THETA0];
    const expected = GRADS.map((g) => {
      for (let i = 0; i < 3; i++) theta[i] = theta[i]! - 0.5 * g[i]!;
      return [...theta];
    });
    expectClose(run(new QHM([p], { lr: 0.5, momentum: 0.9, nu: 0 }), p), expected);
  });
});

describe('QHAdam (Ma & Yarats 2019): θ ← θ − η((1−ν1)g + ν1·m̂)/(√((1−ν2)g² + ν2·v̂) + ε)', () => {
  function qhadamByHand(lr: number, b1: number, b2: number, nu1: number, nu2: number, eps: number) {
    const theta = [...THETA0];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    return GRADS.map((g0, k) => {
      const t = k + 1;
      for (let i = 0; i < 3; i++) {
        const g = g0[i]!;
        m[i] = b1 * m[i]! + (1 - b1) * g;
        v[i] = b2 * v[i]! + (1 - b2) * g * g;
        const mHat = m[i]! / (1 - b1 ** t);
        const vHat = v[i]! / (1 - b2 ** t);
        theta[i] =
          theta[i]! - (lr * ((1 - nu1) * g + nu1 * mHat)) / (Math.sqrt((1 - nu2) * g * g + nu2 * vHat) + eps);
      }
      return [...theta];
    });
  }

  it('three steps match the rule with ν2 < 1', () => {
    const p = param();
    const opt = new QHAdam([p], { lr: 0.1, betas: [0.9, 0.99], nus: [0.7, 0.9], eps: 1e-8 });
    expectClose(run(opt, p), qhadamByHand(0.1, 0.9, 0.99, 0.7, 0.9, 1e-8));
  });

  it('the defaults are β = (0.995, 0.999), ν = (0.7, 1)', () => {
    const p = param();
    expectClose(run(new QHAdam([p], { lr: 0.1 }), p), qhadamByHand(0.1, 0.995, 0.999, 0.7, 1, 1e-8));
  });

  it('ν1 = ν2 = 1 is Adam', () => {
    const [p, q] = [param(), param()];
    const a = run(new QHAdam([p], { lr: 0.1, betas: [0.9, 0.99], nus: [1, 1] }), p);
    const b = run(new Adam([q], { lr: 0.1, betas: [0.9, 0.99] }), q);
    expectClose(a, b, 1e-14);
  });
});

describe('AggMo (Lucas et al. 2019): b⁽ⁱ⁾ ← β⁽ⁱ⁾b⁽ⁱ⁾ + g; θ ← θ − (η/K)·Σᵢ b⁽ⁱ⁾', () => {
  function aggmoByHand(lr: number, betas: number[]) {
    const theta = [...THETA0];
    const bufs = betas.map(() => [0, 0, 0]);
    return GRADS.map((g) => {
      for (let i = 0; i < 3; i++) {
        let total = 0;
        betas.forEach((beta, j) => {
          bufs[j]![i] = beta * bufs[j]![i]! + g[i]!;
          total += bufs[j]![i]!;
        });
        theta[i] = theta[i]! - (lr / betas.length) * total;
      }
      return [...theta];
    });
  }

  it('three steps with the default betas [0, 0.9, 0.99] match the rule', () => {
    const p = param();
    expectClose(run(new AggMo([p], { lr: 0.1 }), p), aggmoByHand(0.1, [0, 0.9, 0.99]));
  });

  it('two velocities', () => {
    const p = param();
    expectClose(run(new AggMo([p], { lr: 0.3, betas: [0.5, 0.8] }), p), aggmoByHand(0.3, [0.5, 0.8]));
  });
});

describe('Demon (Chen et al. 2022): β_t = β(1 − t/T)/((1 − β) + β(1 − t/T)), t = 0 first; b ← β_t·b + g', () => {
  it('β_t by hand for β = 0.9, T = 3: 0.9, 6/7, 3/4, then 0', () => {
    expect(demonMomentum(0.9, 0, 3)).toBeCloseTo(0.9, 15);
    expect(demonMomentum(0.9, 1, 3)).toBeCloseTo(0.6 / 0.7, 15);
    expect(demonMomentum(0.9, 2, 3)).toBeCloseTo(0.3 / 0.4, 15);
    expect(demonMomentum(0.9, 3, 3)).toBe(0);
    expect(demonMomentum(0.9, 7, 3)).toBe(0);
  });

  it('four steps with T = 3 match the rule (the fourth is plain SGD)', () => {
    const grads = [...GRADS, [0.3, 0.3, -0.3]];
    const betas = [0.9, 0.6 / 0.7, 0.3 / 0.4, 0];
    const [lr] = [0.1];
    const theta = [...THETA0];
    const b = [0, 0, 0];
    const expected = grads.map((g, t) => {
      for (let i = 0; i < 3; i++) {
        b[i] = betas[t]! * b[i]! + g[i]!;
        theta[i] = theta[i]! - lr * b[i]!;
      }
      return [...theta];
    });
    const p = param();
    expectClose(run(new Demon([p], { lr, momentum: 0.9, totalSteps: 3 }), p, grads), expected);
  });
});

describe('textbook Adam options', () => {
  function adamByHand(opts: { biasCorrection: boolean; epsInsideSqrt: boolean; eps: number }) {
    const [lr, b1, b2] = [0.1, 0.9, 0.999];
    const theta = [...THETA0];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    return GRADS.map((g, k) => {
      const t = k + 1;
      for (let i = 0; i < 3; i++) {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
        const mm = opts.biasCorrection ? m[i]! / (1 - b1 ** t) : m[i]!;
        const vv = opts.biasCorrection ? v[i]! / (1 - b2 ** t) : v[i]!;
        const denom = opts.epsInsideSqrt ? Math.sqrt(vv + opts.eps) : Math.sqrt(vv) + opts.eps;
        theta[i] = theta[i]! - (lr * mm) / denom;
      }
      return [...theta];
    });
  }
  const adamRun = (o: Record<string, unknown>) => {
    const p = param();
    return run(new Adam([p], { lr: 0.1, betas: [0.9, 0.999], ...o }), p);
  };

  it('biasCorrection: false is θ ← θ − η·m/(√v + ε)', () => {
    const textbook = adamByHand({ biasCorrection: false, epsInsideSqrt: false, eps: 1e-8 });
    expectClose(adamRun({ biasCorrection: false }), textbook);
    // Not vacuous: the default (bias-corrected) steps are far from these.
    expect(maxRelDiff(adamRun({}), textbook)).toBeGreaterThan(0.05);
  });

  it('epsInsideSqrt: true is θ ← θ − η·m̂/√(v̂ + ε)', () => {
    const textbook = adamByHand({ biasCorrection: true, epsInsideSqrt: true, eps: 0.1 });
    expectClose(adamRun({ eps: 0.1, epsInsideSqrt: true }), textbook);
    expect(maxRelDiff(adamRun({ eps: 0.1 }), textbook)).toBeGreaterThan(1e-3);
  });

  it('both together are the course’s θ ← θ − η·m/√(v + ε)', () => {
    const textbook = adamByHand({ biasCorrection: false, epsInsideSqrt: true, eps: 0.01 });
    expectClose(adamRun({ eps: 0.01, biasCorrection: false, epsInsideSqrt: true }), textbook);
  });
});

describe('textbook ε inside the square root for RMSprop and AdaGrad', () => {
  it('RMSprop epsInsideSqrt: s ← αs + (1 − α)g²; θ ← θ − η·g/√(s + ε)', () => {
    const [lr, alpha, eps] = [0.01, 0.9, 0.1];
    const byHand = (inside: boolean) => {
      const theta = [...THETA0];
      const s = [0, 0, 0];
      return GRADS.map((g) =>
        theta.map((th, i) => {
          s[i] = alpha * s[i]! + (1 - alpha) * g[i]! * g[i]!;
          const d = inside ? Math.sqrt(s[i]! + eps) : Math.sqrt(s[i]!) + eps;
          theta[i] = th - (lr * g[i]!) / d;
          return theta[i]!;
        }),
      );
    };
    const p = param();
    expectClose(run(new RMSprop([p], { lr, alpha, eps, epsInsideSqrt: true }), p), byHand(true));
    const q = param();
    expectClose(run(new RMSprop([q], { lr, alpha, eps }), q), byHand(false));
    expect(maxRelDiff(byHand(true), byHand(false))).toBeGreaterThan(1e-3);
  });

  it('AdaGrad epsInsideSqrt: s ← s + g²; θ ← θ − η·g/√(s + ε)', () => {
    const [lr, eps] = [0.1, 0.1];
    const byHand = (inside: boolean) => {
      const theta = [...THETA0];
      const s = [0, 0, 0];
      return GRADS.map((g) =>
        theta.map((th, i) => {
          s[i] = s[i]! + g[i]! * g[i]!;
          const d = inside ? Math.sqrt(s[i]! + eps) : Math.sqrt(s[i]!) + eps;
          theta[i] = th - (lr * g[i]!) / d;
          return theta[i]!;
        }),
      );
    };
    const p = param();
    expectClose(run(new Adagrad([p], { lr, eps, epsInsideSqrt: true }), p), byHand(true));
    const q = param();
    expectClose(run(new Adagrad([q], { lr, eps }), q), byHand(false));
    expect(maxRelDiff(byHand(true), byHand(false))).toBeGreaterThan(1e-3);
  });
});

describe("SGD nesterovForm: 'lookahead' (the course's v ← ρv − η∇J(θ + ρv); θ ← θ + v)", () => {
  const quad = surfaces.quadratic;
  const closureFor = (theta: Tensor) => () => {
    theta.zeroGrad();
    const loss = quad.loss(theta);
    loss.backward();
    return loss;
  };

  it('three steps on the quadratic match the rule; step returns J at the look-ahead point', () => {
    const [lr, rho] = [0.01, 0.9];
    const theta = tensor([-4, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([theta], { lr, momentum: rho, nesterov: true, nesterovForm: 'lookahead' });
    let [x, y] = [-4, 1];
    let [vx, vy] = [0, 0];
    for (let k = 0; k < 3; k++) {
      const [ax, ay] = [x + rho * vx, y + rho * vy];
      const [gx, gy] = quad.gradient(ax, ay);
      [vx, vy] = [rho * vx - lr * gx, rho * vy - lr * gy];
      [x, y] = [x + vx, y + vy];
      const returned = opt.step(closureFor(theta));
      // step(closure) hands back the closure's loss tensor, as PyTorch does (evaluated at the look-ahead point).
      expect(returned).toBeInstanceOf(Tensor);
      expect((returned as Tensor).item()).toBeCloseTo(quad.value(ax, ay), 12);
      const [tx, ty] = theta.data();
      expect(tx).toBeCloseTo(x, 13);
      expect(ty).toBeCloseTo(y, 13);
    }
    // The third step's look-ahead differs from θ: the test really evaluates elsewhere than at θ.
    expect(Math.abs(vy)).toBeGreaterThan(0.1);
  });

  it("PyTorch's form follows the look-ahead points: θ_pt(k) = θ(k) + ρ·(θ(k) − θ(k−1)) for 50 steps", () => {
    const options = { lr: 0.01, momentum: 0.9, nesterov: true };
    const common = { fn: 'quadratic', optimizer: 'sgd', start: [-4, 1] as [number, number], steps: 50 };
    const pt = runTrajectory({ ...common, options, dtype: 'float64' }).trajectory;
    const la = runTrajectory({
      ...common,
      options: { ...options, nesterovForm: 'lookahead' },
      dtype: 'float64',
    }).trajectory;
    for (let k = 1; k <= 50; k++) {
      for (const i of [0, 1]) {
        const expected = la[k]![i]! + 0.9 * (la[k]![i]! - la[k - 1]![i]!);
        expect(Math.abs(pt[k]![i]! - expected)).toBeLessThan(1e-12);
      }
    }
    // The two forms are different sequences, not the same one.
    expect(Math.abs(pt[5]![1]! - la[5]![1]!)).toBeGreaterThan(1e-3);
  });

  it('step() without a closure throws a message that asks for one', () => {
    const theta = tensor([-4, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([theta], { lr: 0.01, momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' });
    expect(() => opt.step()).toThrow(
      'SGD: this configuration evaluates the gradient at a look-ahead point; pass a closure to step(closure) that recomputes the loss and calls backward',
    );
    expect(Array.from(theta.data())).toEqual([-4, 1]);
  });

  it('a closure that throws leaves θ where it was (the look-ahead shift is undone)', () => {
    const theta = tensor([-4, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([theta], { lr: 0.01, momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' });
    opt.step(closureFor(theta));
    opt.step(closureFor(theta));
    const before = Array.from(theta.data());
    expect(() =>
      opt.step(() => {
        throw new Error('loss exploded');
      }),
    ).toThrow('loss exploded');
    expect(Array.from(theta.data())).toEqual(before);
  });

  it("nesterovForm 'lookahead' without nesterov is ordinary momentum (no closure needed)", () => {
    const p = param();
    const q = param();
    const a = run(new SGD([p], { lr: 0.1, momentum: 0.9, nesterovForm: 'lookahead' }), p);
    const b = run(new SGD([q], { lr: 0.1, momentum: 0.9 }), q);
    expectClose(a, b, 0);
  });
});

describe('maximize: true is descent on −g, for every optimizer', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(name, () => {
      const [p, q] = [param(), param()];
      const up = run(createOptimizer(name, [p], { maximize: true }), p);
      const down = run(
        createOptimizer(name, [q]),
        q,
        GRADS.map((g) => g.map((x) => -x)),
      );
      expect(up).toEqual(down);
      expect(up[2]).not.toEqual(THETA0);
    });
  }
});
