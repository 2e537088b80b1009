/**
 * What the lab's path panel draws comes from the public API: every surface's window, formula and
 * critical points, and level lines from contourLevels/contourLines that lie on their levels (here on
 * the quadratic with a chosen condition number, whose level sets are ellipses of axis ratio √κ).
 */
import { describe, expect, it } from 'vitest';
import { contourLevels, contourLines, getSurface, SURFACE_NAMES, surfaces } from '../../src/index.js';

describe('contours and surface data through the public API', () => {
  it('every surface has a formula, a window, a start inside it and critical points', () => {
    for (const name of SURFACE_NAMES) {
      const s = surfaces[name];
      const [x0, x1, y0, y1] = s.window;
      expect(s.formula.length, name).toBeGreaterThan(0);
      expect(x0 < x1 && y0 < y1, name).toBe(true);
      expect(s.start[0] >= x0 && s.start[0] <= x1 && s.start[1] >= y0 && s.start[1] <= y1, name).toBe(true);
      expect(s.criticalPoints.length, name).toBeGreaterThan(0);
    }
  });

  it('level lines of the κ = 100 quadratic lie on their levels and are √κ times wider than tall', () => {
    const s = getSurface('quadratic', { condition: 100 });
    const levels = contourLevels(s.value, s.window, 6, 'log');
    expect(levels).toHaveLength(6);
    for (let k = 1; k < levels.length; k++) expect(levels[k]!).toBeGreaterThan(levels[k - 1]!);
    const lines = contourLines(s.value, s.window, levels, 200);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const [x, y] of line.points)
        expect(Math.abs(s.value(x, y) - line.level) / line.level).toBeLessThan(0.05);
    }
    // A closed ellipse (the smallest level fits in the window): half-widths √(2c) and √(2c/κ).
    const inner = lines.find((l) => l.level === levels[0])!;
    const xs = inner.points.map((p) => p[0]);
    const ys = inner.points.map((p) => p[1]);
    const ratio = (Math.max(...xs) - Math.min(...xs)) / (Math.max(...ys) - Math.min(...ys));
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThan(11);
  });
});
