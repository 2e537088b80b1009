/**
 * runTrajectory keeps the iterates on the device and reads them once at the end: the same path and
 * losses, bit for bit, as reading θ and f(θ) after every step, with two reads however many steps.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { ReferenceBackend } from '../../src/backend/reference/reference_backend.js';
import { setBackend } from '../../src/backend/registry.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { getSurface } from '../../src/surfaces/functions.js';
import { runTrajectory } from '../../src/surfaces/trajectory.js';
import { tensor } from '../../src/tensor/creation.js';
import { scope } from '../../src/tensor/storage.js';

/** The reference backend, counting its synchronous reads. */
function countingBackend(): { backend: Backend; reads: () => number } {
  const inner = new ReferenceBackend();
  let reads = 0;
  const backend = new Proxy(inner, {
    get(target, key) {
      if (key === 'read') {
        return (buffer: Parameters<NonNullable<Backend['read']>>[0]) => {
          reads += 1;
          return target.read(buffer);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { backend, reads: () => reads };
}

/** The path read step by step, as runTrajectory did before it kept the iterates on the device. */
function stepByStep(fn: string, optimizer: string, options: Record<string, unknown>, steps: number) {
  const surface = getSurface(fn);
  const theta = tensor([surface.start[0], surface.start[1]], { requiresGrad: true });
  const opt = createOptimizer(optimizer, [theta], options);
  const trajectory: [number, number][] = [];
  const loss: number[] = [];
  const record = () => {
    const [x, y] = theta.data();
    trajectory.push([x!, y!]);
    loss.push(scope(() => surface.loss(theta.detach()).item()));
  };
  record();
  for (let k = 0; k < steps; k++) {
    scope(() =>
      opt.step(() => {
        theta.zeroGrad();
        const l = surface.loss(theta);
        l.backward();
        return l;
      }),
    );
    record();
  }
  return { trajectory, loss };
}

describe('runTrajectory', () => {
  it.each([
    ['rosenbrock', 'adam', { lr: 0.05 }],
    ['quadratic', 'sgd', { lr: 0.1, momentum: 0.9, nesterov: true }],
    ['beale', 'rmsprop', { lr: 0.01 }],
  ] as const)('%s with %s: the per-step path bit for bit, in two reads', (fn, optimizer, options) => {
    const { backend, reads } = countingBackend();
    const previous = setBackend(backend);
    try {
      const steps = 60;
      const expected = stepByStep(fn, optimizer, options, steps);
      const before = reads();
      const actual = runTrajectory({ fn, optimizer, options, steps });
      expect(reads() - before).toBe(2);
      expect(actual).toEqual(expected);
      expect(actual.trajectory).toHaveLength(steps + 1);
    } finally {
      setBackend(previous);
    }
  });
});
