import { describe, expect, it } from 'vitest';
import { escapeHtml, histogramPanels, lineChart, renderReport, renderSvg } from '../../src/report/index.js';

describe('report figures and HTML', () => {
  it('renders a line chart to SVG with its titles and one path per series, dropping non-finite points', async () => {
    const spec = lineChart(
      [
        {
          name: 'train',
          points: [
            [1, 2],
            [2, 1],
            [3, 0.5],
          ],
        },
        {
          name: 'validation',
          points: [
            [1, 2.5],
            [2, Number.NaN],
            [3, 0.9],
          ],
        },
      ],
      { title: 'Loss 损失', xTitle: 'epoch', yTitle: 'loss', logY: true },
    );
    const values = (spec as { data: { values: unknown[] } }).data.values;
    expect(values).toHaveLength(5);
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Loss 损失');
    expect(svg).toContain('epoch');
    expect(svg).toContain('validation');
    expect((svg.match(/<path[^>]*aria-roledescription="line mark"/g) ?? []).length).toBe(2);
  });

  it('draws one histogram panel per layer', async () => {
    const panels = [1, 2, 3].map((l) => ({ name: `layer ${l}`, edges: [-1, 0, 1], counts: [l, 10 - l] }));
    const svg = await renderSvg(histogramPanels(panels, { title: 'activations', xTitle: 'a', columns: 3 }));
    for (const l of [1, 2, 3]) expect(svg).toContain(`layer ${l}`);
    expect((svg.match(/aria-roledescription="rect mark"/g) ?? []).length).toBe(6);
  });

  it('assembles a self-contained, escaped HTML page', () => {
    const html = renderReport({
      title: 'Run <1>',
      lang: 'zh',
      sections: [
        {
          title: '结果',
          text: ['a & b'],
          figures: ['<svg></svg>'],
          table: { header: ['k', 'v'], rows: [['acc', 0.5]] },
        },
      ],
    });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('Run &lt;1&gt;');
    expect(html).toContain('<p>a &amp; b</p>');
    expect(html).toContain('<figure><svg></svg></figure>');
    expect(html).toContain('<td>0.5</td>');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(escapeHtml(`"'`)).toBe('&quot;&#39;');
  });
});
