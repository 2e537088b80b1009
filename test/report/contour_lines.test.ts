/**
 * Level lines from d3-contour's marching squares: the properties the plots and the lab rely on, not
 * d3's exact vertices: every point on its level, loops closed, lines that leave the window open and
 * ending on its edge, levels in the order given, non-finite regions and nodes exactly on a level.
 */
import { describe, expect, it } from 'vitest';
import { contourLevels, contourLines } from '../../src/report/contour.js';
import { getSurface } from '../../src/surfaces/index.js';

type F = (x: number, y: number) => number;

function expectOnLevel(f: F, lines: ReturnType<typeof contourLines>, tolerance: number): void {
  for (const { level, points } of lines) {
    for (const [x, y] of points)
      expect(Math.abs(f(x, y) - level)).toBeLessThan(tolerance * (1 + Math.abs(level)));
  }
}

const closed = (points: [number, number][]) => {
  const [a, b] = [points[0]!, points.at(-1)!];
  return a[0] === b[0] && a[1] === b[1];
};

describe('contourLines', () => {
  it.each(['rosenbrock', 'himmelblau', 'saddle', 'quadratic'])(
    'puts every point of the %s level lines on its level',
    (name) => {
      const s = getSurface(name as 'rosenbrock');
      const scale = name === 'saddle' ? 'linear' : 'log';
      const levels = contourLevels(s.value, s.window, 8, scale);
      const lines = contourLines(s.value, s.window, levels, 400);
      expect(new Set(lines.map((l) => l.level)).size).toBe(levels.length);
      // Linear interpolation along a grid edge: exact for planes, close for smooth surfaces.
      expectOnLevel(s.value, lines, 0.05);
    },
  );

  it('closes a level set inside the window into one loop per level, in the order given', () => {
    const bowl: F = (x, y) => x * x + 4 * y * y;
    const lines = contourLines(bowl, [-2, 2, -2, 2], [2, 0.5, 1], 50);
    expect(lines.map((l) => l.level)).toEqual([2, 0.5, 1]);
    for (const line of lines) expect(closed(line.points)).toBe(true);
    expectOnLevel(bowl, lines, 0.01);
  });

  it('leaves a line that crosses the window open, ending on the window edge', () => {
    const plane: F = (x, y) => x + y; // level 0.5 runs from (−0.5, 1) to (1, −0.5)
    const lines = contourLines(plane, [-1, 1, -1, 1], [0.5], 10);
    expect(lines).toHaveLength(1);
    const pts = lines[0]!.points;
    expect(closed(pts)).toBe(false);
    const ends = [pts[0]!, pts.at(-1)!].sort((a, b) => a[0] - b[0]);
    expect(ends[0]![0]).toBeCloseTo(-0.5, 12);
    expect(ends[0]![1]).toBeCloseTo(1, 12);
    expect(ends[1]![0]).toBeCloseTo(1, 12);
    expect(ends[1]![1]).toBeCloseTo(-0.5, 12);
    expectOnLevel(plane, lines, 1e-12);
  });

  it('stops a line at a non-finite region instead of drawing into it', () => {
    const half: F = (x, y) => (x < 0 ? Number.NaN : x * x + y * y);
    const lines = contourLines(half, [-2, 2, -2, 2], [1], 40);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(closed(line.points)).toBe(false);
      for (const [x, y] of line.points) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(Math.hypot(x, y)).toBeCloseTo(1, 2);
      }
    }
  });

  it('merges the repeated point of a grid node exactly on the level', () => {
    const lines = contourLines((x) => x, [-1, 1, -1, 1], [0], 4); // nodes at x = 0 lie on the level
    expect(lines).toHaveLength(1);
    const pts = lines[0]!.points;
    for (const [x] of pts) expect(x).toBe(0);
    for (let k = 1; k < pts.length; k++) expect(pts[k]).not.toEqual(pts[k - 1]);
  });

  it('draws nothing for a level the function never reaches', () => {
    expect(contourLines((x, y) => x * x + y * y, [-1, 1, -1, 1], [5, -1], 20)).toEqual([]);
  });
});
