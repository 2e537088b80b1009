/**
 * Report figures and pages: what the SVG shows (axis ticks, hover titles, series styles, histogram
 * axes) and the bilingual page (both languages, the switch, the font, escaping).
 */
import { describe, expect, it } from 'vitest';
import { integerTicks } from '../../src/report/axis_scales.js';
import { hoverTitles } from '../../src/report/hover_titles.js';
import { escapeHtml, histogramPanels, lineChart, renderReport, renderSvg } from '../../src/report/index.js';
import { escapeText } from '../../src/report/page.js';
import { orderSeries } from '../../src/report/series_order.js';
import { estimateTextWidth } from '../../src/report/text_width.js';

/** The tick labels of each axis of an SVG, in the order Vega draws the axes (x before y). */
function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/role-axis-label"[^>]*>((?:<text[^>]*>[^<]*<\/text>)*)<\/g>/g)].map((m) =>
    [...m[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]!),
  );
}

const titles = (svg: string) => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
const line = (name: string, ys: number[], x0 = 1) => ({
  name,
  points: ys.map((y, i) => [x0 + i, y] as [number, number]),
});

describe('lineChart', () => {
  it('renders to SVG with its titles and one path per series, dropping non-finite points', async () => {
    const spec = lineChart([line('train', [2, 1, 0.5]), line('validation', [2.5, Number.NaN, 0.9])], {
      title: 'Loss 损失',
      xTitle: 'epoch',
      yTitle: 'loss',
      logY: true,
    });
    const values = (spec as { data: { values: unknown[] } }).data.values;
    expect(values).toHaveLength(5);
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Loss 损失');
    expect(svg).toContain('epoch');
    expect(svg).toContain('validation');
    expect((svg.match(/<path[^>]*aria-roledescription="line mark"/g) ?? []).length).toBe(2);
  });

  it('ticks an epoch axis at integers only (1, 2, 3; not 1.0, 1.4, 1.8…)', async () => {
    const svg = await renderSvg(
      lineChart([line('train', [1, 0.5, 0.3])], { title: 'loss', xTitle: 'epoch', yTitle: 'loss' }),
    );
    expect(axisLabels(svg)[0]).toEqual(['1', '2', '3']);
    const long = await renderSvg(
      lineChart(
        [
          line(
            'train',
            Array.from({ length: 37 }, (_, i) => 1 / (i + 1)),
          ),
        ],
        {
          title: 'loss',
          xTitle: 'epoch',
          yTitle: 'loss',
        },
      ),
    );
    const x = axisLabels(long)[0]!;
    expect(x.length).toBeGreaterThanOrEqual(3);
    for (const label of x) expect(label).toMatch(/^\d+$/);
  });

  it('labels a constant learning rate of 0.001 with ticks around it, not one tick reading 0', async () => {
    const svg = await renderSvg(
      lineChart([line('lr', Array(50).fill(0.001))], { title: 'lr', xTitle: 'step', yTitle: 'lr' }),
    );
    const y = axisLabels(svg)[1]!;
    expect(y).toContain('0.001');
    expect(y.length).toBeGreaterThanOrEqual(3);
    expect(new Set(y).size).toBe(y.length);
    expect(y).not.toContain('0');
  });

  it('keeps the significant digits of small varying values (a decaying rate)', async () => {
    const rates = Array.from({ length: 20 }, (_, i) => 0.001 * 0.9 ** i);
    const svg = await renderSvg(
      lineChart([line('lr', rates)], { title: 'lr', xTitle: 'step', yTitle: 'lr' }),
    );
    const y = axisLabels(svg)[1]!.map(Number);
    expect(y.length).toBeGreaterThanOrEqual(3);
    expect(new Set(y).size).toBe(y.length);
    for (const v of y) expect(v).toBeGreaterThan(0);
  });

  it('shows each point’s series and values on hover, as SVG <title>s', async () => {
    const svg = await renderSvg(
      lineChart([line('train', [1, 0.5]), line('validation', [1.2, 0.6])], {
        title: 'loss',
        xTitle: 'epoch',
        yTitle: 'loss',
      }),
    );
    expect(titles(svg).sort()).toEqual(
      [
        'train · epoch 1: 1',
        'train · epoch 2: 0.5',
        'validation · epoch 1: 1.2',
        'validation · epoch 2: 0.6',
      ].sort(),
    );
  });

  it('gives a long curve invisible hover points, about a hundred per series, the last one included', async () => {
    const losses = Array.from({ length: 1000 }, (_, i) => 2 / (i + 1));
    const svg = await renderSvg(
      lineChart([line('train', losses)], { title: 'loss', xTitle: 'step', yTitle: 'loss', logY: true }),
    );
    const t = titles(svg);
    expect(t.length).toBeGreaterThanOrEqual(90);
    expect(t.length).toBeLessThanOrEqual(101);
    expect(t).toContain('train · step 1000: 0.002');
    expect(svg).toMatch(/aria-roledescription="hover value"[^>]*opacity="0"/);
  });

  it('tells series apart by colour and dash pattern, in one legend', async () => {
    const names = ['plain', 'residual', 'dense'];
    const spec = lineChart(
      [...names].reverse().map((n, k) => line(n, [3 - k, 2 - k / 2, 1])),
      { title: 'depth', xTitle: 'layer', yTitle: 'norm' },
    );
    const svg = await renderSvg(orderSeries(spec, names));
    const lines = [...svg.matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*>/g)].map((m) => m[0]);
    const strokes = lines.map((l) => /stroke="([^"]+)"/.exec(l)?.[1]);
    const dashes = lines.map((l) => /stroke-dasharray="([^"]+)"/.exec(l)?.[1] ?? 'solid');
    expect(new Set(strokes).size).toBe(3);
    expect(new Set(dashes).size).toBe(3);
    expect((svg.match(/aria-roledescription="legend"/g) ?? []).length).toBe(1);
    const legend = /aria-roledescription="legend" aria-label="([^"]*)"/.exec(svg)?.[1];
    expect(legend).toMatch(/color.*strokeDash with 3 values: plain, residual, dense/);
  });
});

describe('estimateTextWidth', () => {
  it('counts a Chinese character a full em wide (Vega’s 0.8 em clipped zh legends), Latin as Vega does', () => {
    expect(estimateTextWidth('普通网络', 10)).toBe(42);
    expect(estimateTextWidth('plain', 10)).toBe(40);
    expect(estimateTextWidth(' 深度 6 ', 10)).toBe(37); // trimmed: 2 × 1.05 + 2 × 0.8 em
  });
});

describe('integerTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, at most eight ticks', () => {
    expect(integerTicks([1, 3])).toEqual([1, 2, 3]);
    expect(integerTicks([1, 20])).toEqual([5, 10, 15, 20]);
    expect(integerTicks([0, 4690])).toEqual([0, 1000, 2000, 3000, 4000]);
  });
});

describe('histogramPanels', () => {
  it('draws one panel per layer, each with its own labelled x and y axes and no axis without a panel', async () => {
    const panels = [1, 2, 3, 4, 5, 6].map((l) => ({
      name: `layer ${l}`,
      edges: [-l, 0, l],
      counts: [l, 10 - l],
    }));
    const svg = await renderSvg(histogramPanels(panels, { title: 'activations', xTitle: 'a', columns: 4 }));
    for (const l of [1, 2, 3, 4, 5, 6]) expect(svg).toContain(`layer ${l}`);
    expect((svg.match(/aria-roledescription="hover value"/g) ?? []).length).toBe(12);
    const axes = axisLabels(svg);
    expect(axes).toHaveLength(12);
    for (const labels of axes) expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(axes.flat()).toContain('6'); // the last layer's own x range, −6…6
    expect(titles(svg)).toContain('layer 2 · [-2, 0): 2');
  });
});

describe('hoverTitles', () => {
  it('puts a title only into shapes of hover marks', () => {
    const svg =
      '<svg><path aria-label="a: 1" aria-roledescription="hover value" d="M0,0"/>' +
      '<path aria-label="line" aria-roledescription="line mark" d="M1,1"/></svg>';
    expect(hoverTitles(svg)).toBe(
      '<svg><path aria-label="a: 1" aria-roledescription="hover value" d="M0,0"><title>a: 1</title></path>' +
        '<path aria-label="line" aria-roledescription="line mark" d="M1,1"/></svg>',
    );
  });
});

describe('renderReport', () => {
  const page = (lang: 'en' | 'zh', title: string) => ({
    title,
    subtitle: 'mlp · adam',
    sections: [
      {
        title: lang === 'en' ? 'Results' : '结果',
        text: ['a & b'],
        list: ['lr 1e-3 learns'],
        figures: ['<svg></svg>'],
        table: { header: ['k', 'v'], rows: [['acc', 0.5]] },
      },
    ],
  });

  it('holds both languages, the switch checked at the language asked for, escaped, with nothing external', () => {
    const html = renderReport({ lang: 'zh', en: page('en', 'Run <1>'), zh: page('zh', '运行 <1>') });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/id="lang-zh"[^>]*checked/);
    expect(html).not.toMatch(/id="lang-en"[^>]*checked/);
    expect(html).toContain('<label for="lang-zh" lang="zh-CN">中文</label>');
    expect(html).toContain('<div class="en" lang="en">');
    expect(html).toContain('<div class="zh" lang="zh-CN">');
    expect(html).toContain('Run &lt;1&gt;');
    expect(html).toContain('运行 &lt;1&gt;');
    expect(html).toContain('<p>a &amp; b</p>');
    expect(html).toContain('<li>lr <span class="nw">1e-3</span> learns</li>');
    expect(html).toContain('<figure><svg></svg></figure>');
    expect(html).toContain('<td>0.5</td>');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(escapeHtml(`"'`)).toBe('&quot;&#39;');
    const en = renderReport({ lang: 'en', en: page('en', 'Run'), zh: page('zh', '运行') });
    expect(en).toContain('<html lang="en">');
    expect(en).toMatch(/id="lang-en"[^>]*checked/);
  });

  it('embeds the Chinese font subset as an @font-face the page’s font list names first', () => {
    const html = renderReport({ lang: 'en', en: page('en', 'Run'), zh: page('zh', '运行') });
    expect(html).toMatch(
      /@font-face \{ font-family: "Descent Noto Sans SC";[^}]*src: url\(data:font\/woff2;base64,d09GMg[A-Za-z0-9+/=]{1000,}\) format\("woff2"\); unicode-range: U\+/,
    );
    expect(html).toMatch(/body \{ font-family: "Descent Noto Sans SC", /);
  });

  it('keeps numbers with a hyphen or minus whole, and leaves other words breakable', () => {
    expect(escapeText('advice [1e-3 … 1e-5] & 3 − 1')).toBe(
      'advice <span class="nw">[1e-3</span> … <span class="nw">1e-5]</span> &amp; 3 − 1',
    );
    expect(escapeText('a-b <c>')).toBe('a-b &lt;c&gt;');
  });
});
