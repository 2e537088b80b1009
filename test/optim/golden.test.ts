/**
 * Optimizers against PyTorch 1.13 (test/fixtures/optim.json, from test/fixtures/gen/gen_optim.py):
 * trajectories on the 2-D surfaces and ten training steps of a small MLP.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createOptimizer,
  crossEntropy,
  matmul,
  type Optimizer,
  runTrajectory,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { backends } from '../backends.js';

interface Serialized {
  shape: number[];
  data: number[];
}
interface SurfaceCase {
  name: string;
  fn: string;
  optimizer: string;
  options: Record<string, unknown>;
  start: [number, number];
  steps: number;
  trajectory: [number, number][];
  loss: number[];
  diverges?: boolean;
}
interface MlpCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  groups?: { params: string[]; options: Record<string, unknown> }[];
  params: Record<string, Serialized>;
  x: Serialized;
  y: number[];
  steps: number;
  loss: number[];
  final: Record<string, Serialized>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as {
  surfaces: SurfaceCase[];
  mlp: MlpCase[];
};

/** Relative to max(1, |expected|): trajectories cross zero, where a pure relative test is meaningless. */
const RTOL = 1e-5;

function closeTo(actual: number, expected: number, rtol = RTOL): boolean {
  return Math.abs(actual - expected) <= rtol * Math.max(1, Math.abs(expected));
}

function firstMismatch(actual: number[], expected: number[], rtol = RTOL): string | null {
  for (let i = 0; i < expected.length; i++) {
    if (!closeTo(actual[i]!, expected[i]!, rtol))
      return `index ${i}: got ${actual[i]}, PyTorch ${expected[i]}`;
  }
  return null;
}

/**
 * The first trajectory of each optimizer and of each surface: the webgpu entry runs on a CPU emulation
 * of a GPU here (SwiftShader), where all 86 trajectories (12 000 steps) take over three minutes.
 */
/** How many steps of each of those trajectories the webgpu entry follows (a fixture has up to 300). */
const WEBGPU_STEPS = 20;

function eachOptimizerAndSurfaceOnce(cases: SurfaceCase[]): SurfaceCase[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const keys = [`optimizer ${c.optimizer}`, `surface ${c.fn}`];
    if (keys.every((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

/** The last MLP case of each optimizer (the one with the most options), for the webgpu entry. */
function lastOfEachOptimizer<C extends { optimizer: string }>(cases: C[]): C[] {
  return cases.filter((c, i) => !cases.slice(i + 1).some((d) => d.optimizer === c.optimizer));
}

describe.each(backends)('optimizers match PyTorch on $name', ({ name, backend }) => {
  const webgpu = name === 'webgpu';
  describe(`surface trajectories${webgpu ? ` (each optimizer and surface once, ${WEBGPU_STEPS} steps)` : ''}`, () => {
    for (const c of webgpu ? eachOptimizerAndSurfaceOnce(fixture.surfaces) : fixture.surfaces) {
      it(c.name, () => {
        withBackend(backend, () => {
          const steps = webgpu ? Math.min(c.steps, WEBGPU_STEPS) : c.steps;
          const r = runTrajectory({
            fn: c.fn,
            optimizer: c.optimizer,
            options: c.options,
            start: c.start,
            steps,
          });
          expect(r.trajectory).toHaveLength(steps + 1);
          const rtol = c.diverges ? 1e-4 : RTOL;
          const expected = c.trajectory.slice(0, steps + 1);
          expect(firstMismatch(r.trajectory.flat(), expected.flat(), rtol)).toBeNull();
          expect(firstMismatch(r.loss, c.loss.slice(0, steps + 1), rtol)).toBeNull();
        });
      });
    }
  });

  describe(`MLP training steps${webgpu ? ' (the last case of each optimizer)' : ''}`, () => {
    for (const c of webgpu ? lastOfEachOptimizer(fixture.mlp) : fixture.mlp) {
      it(c.name, () => {
        withBackend(backend, () => {
          const p: Record<string, Tensor> = {};
          for (const [k, v] of Object.entries(c.params))
            p[k] = tensor(v.data, { shape: v.shape, requiresGrad: true });
          const x = tensor(c.x.data, { shape: c.x.shape });
          const y = tensor(c.y, { dtype: 'int32' });
          const order = ['0.weight', '0.bias', '2.weight', '2.bias'];
          let opt: Optimizer<{ lr: number }>;
          if (c.groups) {
            const groups = c.groups.map((g) => ({ params: g.params.map((n) => p[n]!), ...g.options }));
            opt = createOptimizer(c.optimizer, groups as never, c.options);
          } else {
            opt = createOptimizer(
              c.optimizer,
              order.map((n) => p[n]!),
              c.options,
            );
          }
          const losses: number[] = [];
          for (let s = 0; s < c.steps; s++) {
            opt.zeroGrad();
            const h = matmul(x, p['0.weight']!.t()).add(p['0.bias']!).tanh();
            const logits = matmul(h, p['2.weight']!.t()).add(p['2.bias']!);
            const loss = crossEntropy(logits, y);
            losses.push(loss.item());
            loss.backward();
            opt.step();
          }
          expect(firstMismatch(losses, c.loss)).toBeNull();
          for (const n of order) {
            expect(firstMismatch(Array.from(p[n]!.data()), c.final[n]!.data), n).toBeNull();
          }
        });
      });
    }
  });
});
