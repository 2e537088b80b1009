import { describe, expect, it } from 'vitest';
import {
  OPTIMIZERS_2D,
  type Optimizers2dResult,
  optimizers2d,
  SURFACES_2D,
  trajectory2d,
  ySignChanges,
} from '../../src/experiments/optimizers_2d.js';
import { renderSvg } from '../../src/report/render.js';
import { surfaces } from '../../src/surfaces/functions.js';

// The default run (every surface, every optimizer, the documented step budgets): a few seconds.
const result: Optimizers2dResult = optimizers2d.run();
const surface = (name: string) => result.surfaces.find((s) => s.surface === name)!;
const path = (s: string, id: string) => surface(s).runs.find((r) => r.optimizer === id)!;

describe('optimizers-2d: what the lecture shows', () => {
  it('runs every optimizer on every surface without leaving the finite numbers', () => {
    expect(result.surfaces.map((s) => s.surface)).toEqual([...SURFACES_2D]);
    for (const s of result.surfaces) {
      expect(s.runs.map((r) => r.optimizer)).toEqual([...OPTIMIZERS_2D]);
      for (const r of s.runs) {
        expect(r.diverged).toBe(false);
        expect(r.path).toHaveLength(s.steps + 1);
        expect(r.losses).toHaveLength(s.steps + 1);
        // θ is float32, as in training.
        expect(r.path[0]![0]).toBeCloseTo(s.start[0], 6);
        expect(r.path[0]![1]).toBeCloseTo(s.start[1], 6);
      }
    }
  });

  it('quadratic: SGD zig-zags across the valley, momentum swings far less and arrives sooner', () => {
    const sgd = path('quadratic', 'sgd');
    const momentum = path('quadratic', 'momentum');
    const nesterov = path('quadratic', 'nesterov');
    expect(ySignChanges(sgd.path)).toBeGreaterThan(3 * ySignChanges(momentum.path));
    expect(sgd.thresholdStep).not.toBeNull();
    expect(momentum.thresholdStep!).toBeLessThan(sgd.thresholdStep!);
    expect(nesterov.thresholdStep!).toBeLessThan(momentum.thresholdStep!);
  });

  it('saddle: SGD stalls, momentum and Nesterov linger then escape, adaptive methods escape fast', () => {
    const s = surface('saddle');
    expect(s.goal).toEqual({ kind: 'escape', above: 1 });
    expect(path('saddle', 'sgd').thresholdStep).toBeNull();
    const momentum = path('saddle', 'momentum').thresholdStep!;
    const nesterov = path('saddle', 'nesterov').thresholdStep!;
    expect(momentum).toBeGreaterThan(0);
    expect(nesterov).toBeGreaterThan(0);
    // Lingering: momentum comes within 0.3 of the saddle point before it leaves.
    const near = path('saddle', 'momentum').path.some(([x, y]) => Math.hypot(x, y) < 0.3);
    expect(near).toBe(true);
    for (const id of ['adagrad', 'adadelta', 'rmsprop', 'adam']) {
      expect(path('saddle', id).thresholdStep!).toBeLessThan(Math.min(momentum, nesterov) / 2);
    }
  });

  it('Rosenbrock: momentum and Adam reach the minimum while plain SGD still crawls along the valley', () => {
    expect(path('rosenbrock', 'momentum').thresholdStep).not.toBeNull();
    expect(path('rosenbrock', 'adam').thresholdStep).not.toBeNull();
    expect(path('rosenbrock', 'sgd').thresholdStep).toBeNull();
    expect(path('rosenbrock', 'sgd').finalLoss).toBeGreaterThan(0.1);
  });

  it('is deterministic and JSON-safe', () => {
    const small = { surfaces: ['saddle' as const, 'beale' as const], steps: { saddle: 20, beale: 20 } };
    const a = JSON.stringify(optimizers2d.run(small));
    expect(JSON.stringify(optimizers2d.run(small))).toBe(a);
    expect(JSON.stringify(JSON.parse(a))).toBe(a);
  });

  it('rejects unknown surfaces and optimizers by name', () => {
    expect(() => optimizers2d.run({ surfaces: ['himmelblau' as never] })).toThrow(
      /unknown surface 'himmelblau'; accepted: quadratic, rosenbrock, beale, saddle/,
    );
    expect(() => optimizers2d.run({ optimizers: ['lamb' as never] })).toThrow(/unknown optimizer 'lamb'/);
  });

  it('presents a contour plot and a loss chart per surface, with a table, in both languages', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const p = optimizers2d.present(result, lang);
      expect(p.figures).toHaveLength(2 * SURFACES_2D.length);
      expect(p.table!.rows).toHaveLength(OPTIMIZERS_2D.length);
      expect(p.findings.length).toBe(4);
    }
    const p = optimizers2d.present(result, 'en');
    expect(p.findings.join(' ')).toMatch(/Saddle .* SGD is still at \|y\| = /);
    const svg = await renderSvg(p.figures[6]!);
    expect(svg).toContain('saddle');
    expect(svg).toContain('Nesterov');
  });
});

describe('trajectory2d', () => {
  it('a diverging path ends right before its first iterate that is not finite', () => {
    // SGD far above the quadratic's stability limit 2/25: |y| grows ×(1 − 25·lr) per step until float32 overflows.
    const spec = { optimizer: 'sgd', options: { lr: 10 } } as const;
    const run = (steps: number) => trajectory2d(surfaces.quadratic, spec, [-4, 1], steps);
    const diverged = run(200);
    expect(diverged.diverged).toBe(true);
    const n = diverged.path.length;
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(201);
    expect(diverged.path.flat().every(Number.isFinite)).toBe(true);
    expect(diverged.losses).toHaveLength(n);
    // One step fewer than the first non-finite iterate: the same path, not diverged.
    expect(run(n - 1)).toEqual({ ...diverged, diverged: false });
    expect(run(n)).toEqual(diverged);
  });
});
