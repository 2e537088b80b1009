import { describe, expect, it } from 'vitest';
import { contourLevels, contourLines, contourPlot } from '../../src/report/contour.js';
import { renderSvg } from '../../src/report/render.js';

describe('contour lines by marching squares', () => {
  it('traces a circle as one closed polyline whose points lie on it', () => {
    const lines = contourLines((x, y) => x * x + y * y, [-2, 2, -2, 2], [1], 40);
    expect(lines).toHaveLength(1);
    const pts = lines[0]!.points;
    expect(pts.length).toBeGreaterThan(40);
    expect(pts[0]).toEqual(pts[pts.length - 1]);
    for (const [x, y] of pts) expect(Math.hypot(x, y)).toBeCloseTo(1, 2);
  });

  it('keeps the two branches of a saddle apart (no crossing at the saddle cell)', () => {
    // x² − y² = 0.01: two hyperbola branches, x > 0 and x < 0.
    const lines = contourLines((x, y) => x * x - y * y, [-1, 1, -1, 1], [0.01], 21);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const signs = new Set(line.points.map(([x]) => Math.sign(x)));
      expect(signs.size).toBe(1);
    }
  });

  it('spreads levels geometrically or evenly over the values in the window', () => {
    const log = contourLevels((x, y) => x * x + y * y, [-1, 1, -1, 1], 5, 'log');
    expect(log).toHaveLength(5);
    expect(log[2]! / log[1]!).toBeCloseTo(log[1]! / log[0]!, 10);
    const lin = contourLevels((x, y) => x - y, [-1, 1, -1, 1], 3, 'linear');
    expect(lin[2]! - lin[1]!).toBeCloseTo(lin[1]! - lin[0]!, 10);
  });

  it('draws level lines, paths cut where they leave the window far behind, and markers', async () => {
    const spec = contourPlot(
      (x, y) => x * x + 4 * y * y,
      [
        {
          name: 'escaping',
          points: [
            [0.5, 0.5],
            [1, 1],
            [10, 10],
            [1e9, 1e9],
          ],
        },
      ],
      {
        title: 'bowl',
        xTitle: 'x',
        yTitle: 'y',
        window: [-2, 2, -2, 2],
        levels: [0.5, 1, 2],
        markers: [{ name: 'min', x: 0, y: 0 }],
      },
    );
    const layers = (spec as { layer: { data: { values: { x: number }[] } }[] }).layer;
    expect(layers[1]!.data.values.map((v) => v.x)).toEqual([0.5, 1, 10]);
    const svg = await renderSvg(spec);
    expect(svg).toContain('bowl');
    expect(svg).toContain('escaping');
  });
});
