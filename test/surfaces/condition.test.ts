/**
 * The quadratic's condition number: κ sets the ratio of the Hessian's eigenvalues, κ = 25 stays the
 * default (existing results unchanged), gradient descent's stability limit η < 2/κ follows it, and a
 * bad κ (or κ on another surface) is refused with a message naming what is accepted.
 */
import { describe, expect, it } from 'vitest';
import { getSurface, quadraticSurface, runTrajectory, SURFACE_NAMES, tensor } from '../../src/index.js';
import { useReferenceBackend } from '../helpers/reference_default.js';
import { messageOf } from '../helpers/thrown.js';

useReferenceBackend();

/** The Hessian of f at (x, y) by central differences of the analytic gradient. */
function hessian(f: ReturnType<typeof getSurface>, x: number, y: number): number[][] {
  const h = 1e-4;
  const [gxp, gyp] = f.gradient(x + h, y);
  const [gxm, gym] = f.gradient(x - h, y);
  const [hxp, hyp] = f.gradient(x, y + h);
  const [hxm, hym] = f.gradient(x, y - h);
  return [
    [(gxp - gxm) / (2 * h), (hxp - hxm) / (2 * h)],
    [(gyp - gym) / (2 * h), (hyp - hym) / (2 * h)],
  ];
}

describe('quadratic condition number', () => {
  it.each([1, 4, 25, 100, 1e4])('κ = %d gives a Hessian diag(1, κ), so the curvature ratio is κ', (k) => {
    const s = getSurface('quadratic', { condition: k });
    const H = hessian(s, 0.7, -0.3);
    expect(H[0]![0]).toBeCloseTo(1, 6);
    expect(H[1]![1]! / H[0]![0]!).toBeCloseTo(k, 4);
    expect(H[0]![1]).toBeCloseTo(0, 6);
    expect(s.formula).toBe(`0.5·(x² + ${k}·y²)`);
  });

  it('the tensor loss and its autograd gradient follow κ', () => {
    const s = getSurface('quadratic', { condition: 7 });
    const theta = tensor([0.5, -2], { dtype: 'float64', requiresGrad: true });
    const loss = s.loss(theta);
    loss.backward();
    expect(loss.item()).toBeCloseTo(0.5 * (0.25 + 7 * 4), 12);
    expect(Array.from(theta.grad!.data())).toEqual([0.5, -14]);
  });

  it('κ = 25 is the default: the table entry and an omitted condition equal an explicit 25', () => {
    const dflt = getSurface('quadratic');
    const explicit = getSurface('quadratic', { condition: 25 });
    expect(explicit.formula).toBe(dflt.formula);
    expect(dflt.formula).toBe('0.5·(x² + 25·y²)');
    for (const [x, y] of [
      [0.3, -0.7],
      [-4, 1],
    ] as const) {
      expect(explicit.value(x, y)).toBe(dflt.value(x, y));
      expect(explicit.gradient(x, y)).toEqual(dflt.gradient(x, y));
    }
    const run = (surfaceOptions?: { condition: number }) =>
      runTrajectory({
        fn: 'quadratic',
        optimizer: 'sgd',
        options: { lr: 0.05, momentum: 0.9 },
        steps: 20,
        ...(surfaceOptions ? { surfaceOptions } : {}),
      });
    expect(run({ condition: 25 })).toEqual(run());
  });

  it('gradient descent is stable below η = 2/κ and diverges above it', () => {
    const final = (condition: number, lr: number) => {
      const { loss } = runTrajectory({
        fn: 'quadratic',
        surfaceOptions: { condition },
        optimizer: 'sgd',
        options: { lr },
        start: [1, 1],
        steps: 60,
        dtype: 'float64',
      });
      return loss[loss.length - 1]!;
    };
    // η = 0.15: stable for κ = 10 (limit 0.2), unstable for κ = 25 (limit 0.08) and 100 (0.02).
    expect(final(10, 0.15)).toBeLessThan(1e-3);
    expect(final(25, 0.15)).toBeGreaterThan(1e6);
    expect(final(100, 0.015)).toBeLessThan(0.5);
    expect(final(100, 0.025)).toBeGreaterThan(1e3);
  });

  it.each([
    [0.5, 'got 0.5'],
    [0, 'got 0'],
    [-3, 'got -3'],
    [Number.NaN, 'got NaN'],
    [Number.POSITIVE_INFINITY, 'got Infinity'],
    ['10', 'got "10"'],
  ])('refuses condition %s, naming the accepted range', (bad, got) => {
    const message = messageOf(() => getSurface('quadratic', { condition: bad as number }), RangeError);
    expect(message).toBe(
      `getSurface: condition must be a finite number ≥ 1 (the ratio of the largest to the smallest curvature), ${got}`,
    );
    expect(messageOf(() => quadraticSurface(bad as number), RangeError)).toContain(
      'quadraticSurface: condition must be a finite number ≥ 1',
    );
  });

  it('refuses a condition on every surface but the quadratic', () => {
    for (const name of SURFACE_NAMES.filter((n) => n !== 'quadratic')) {
      expect(messageOf(() => getSurface(name, { condition: 10 }), RangeError)).toBe(
        `getSurface: condition applies to the quadratic only (its κ in 0.5·(x² + κ·y²)); ${name} has no condition parameter`,
      );
    }
  });

  it('refuses an unknown surface option instead of ignoring it', () => {
    expect(messageOf(() => getSurface('quadratic', { kappa: 10 } as never), TypeError)).toBe(
      "getSurface: unknown option 'kappa'; accepted: condition",
    );
    expect(
      messageOf(
        () =>
          runTrajectory({ fn: 'rosenbrock', surfaceOptions: { condition: 3 }, optimizer: 'sgd', steps: 1 }),
        RangeError,
      ),
    ).toContain('rosenbrock has no condition parameter');
  });
});
