/** A histogram (bin edges and counts, as the library's layer statistics return them) drawn as bars by uPlot. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { canvasFont, whenFontReady } from './fonts';

/** 20,000 as "20K", 1,500 as "1.5K": a count axis this narrow cannot show every digit. */
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
function compactCount(v: number | null): string {
  return v === null ? '' : compact.format(v);
}

export interface HistogramProps {
  title: string;
  /** n + 1 bin edges. */
  edges: number[];
  /** n counts (or fractions). */
  counts: number[];
  color: string;
  width?: number;
  height?: number;
  testId?: string;
}

export function Histogram(p: HistogramProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = (): uPlot.AlignedData => [
    p.edges.slice(0, -1).map((e, i) => (e + p.edges[i + 1]!) / 2),
    p.counts,
  ];
  useEffect(() => {
    if (!host.current) return;
    const bars = uPlot.paths.bars?.({ size: [1, Number.POSITIVE_INFINITY], gap: 0 });
    plot.current = new uPlot(
      {
        title: p.title,
        width: p.width ?? 180,
        height: p.height ?? 120,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { size: 24, font: canvasFont(10) },
          { size: 44, font: canvasFont(10), values: (_u, splits) => splits.map(compactCount) },
        ],
        series: [{}, { stroke: p.color, fill: `${p.color}99`, paths: bars }],
      },
      data(),
      host.current,
    );
    void whenFontReady().then(() => plot.current?.redraw(false));
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [p.title, p.color, p.width, p.height]);
  useEffect(() => {
    plot.current?.setData(data());
  });
  return <div class="histogram" ref={host} data-testid={p.testId} />;
}
