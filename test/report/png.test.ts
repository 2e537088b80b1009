/**
 * PNG figures draw Chinese with the embedded font: on a machine without CJK fonts (CI refuses any),
 * a missing font draws every character as the same box, so "无 BN" and "有 BN" would come out equal.
 */
import { describe, expect, it } from 'vitest';
import { lineChart } from '../../src/report/figures.js';
import { REPORT_FONT_STACK } from '../../src/report/font_family.js';
import { rasterize, svgToPng } from '../../src/report/png.js';
import { renderSvg } from '../../src/report/render.js';

/** A tiny SVG holding one line of text in the reports' font list. */
const textSvg = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-size="24" font-family='${REPORT_FONT_STACK}'>${text}</text></svg>`;

/** How many pixels differ between two renderings of equal size. */
function differingPixels(a: string, b: string): number {
  const [pa, pb] = [rasterize(a, 1).pixels, rasterize(b, 1).pixels];
  expect(pa.length).toBe(pb.length);
  let n = 0;
  for (let i = 0; i < pa.length; i += 4) if (pa[i] !== pb[i] || pa[i + 1] !== pb[i + 1]) n++;
  return n;
}

describe('svgToPng', () => {
  it('draws 无 and 有 as different glyphs ("无 BN" and "有 BN" differ), not as one box', () => {
    expect(differingPixels(textSvg('无 BN'), textSvg('有 BN'))).toBeGreaterThan(40);
    expect(differingPixels(textSvg('学习率'), textSvg('损失率'))).toBeGreaterThan(40);
  });

  it('rasterizes a zh figure with its Chinese titles drawn', async () => {
    const chart = (title: string) =>
      renderSvg(
        lineChart(
          [
            {
              name: '训练集',
              points: [
                [1, 1],
                [2, 0.5],
              ],
            },
          ],
          { title, xTitle: '轮次', yTitle: '损失' },
        ),
      );
    expect(differingPixels(await chart('无 BN'), await chart('有 BN'))).toBeGreaterThan(40);
    const png = svgToPng(await chart('无 BN'));
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });
});
