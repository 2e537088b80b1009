/**
 * Curves (loss, accuracy, learning rate…) drawn by uPlot, which redraws thousands of points per
 * frame, so live training updates cost nothing. Series share one x axis; y may be log-scaled.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { COMMON } from '../i18n/common';
import { useLang } from '../i18n/lang';
import { chartPicture, fileNameOf } from './chart_png';
import { downloadCanvasPng } from './download';
import { canvasFont, whenFontReady } from './fonts';

export interface CurveSeries {
  label: string;
  /** y per x; null where a series has no value (a gap). */
  values: (number | null)[];
  color: string;
  dash?: number[];
  /** Draw each value as a dot (e.g. one marked point, such as a suggested learning rate). */
  points?: boolean;
}

export interface LineChartProps {
  title: string;
  x: number[];
  series: CurveSeries[];
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  /** Log-scaled x (e.g. learning rates over decades); x must be > 0. */
  logX?: boolean;
  /** Tick labels of both axes (default uPlot's, which shows 1e-4 as 0). */
  tickFormat?: (v: number) => string;
  height?: number;
  testId?: string;
}

/** Axis text is drawn on the canvas, where CSS fonts do not apply: the lab's stack, Chinese subset first. */
const AXIS_FONTS = { font: canvasFont(12), labelFont: canvasFont(12, 'bold') };

/**
 * Log-axis ticks as 1e-4, 0.01, 1, 100, 1e+4: uPlot's default prints values below its precision as 0
 * (a loss of 1e-6 read "0") and very large ones in full.
 */
export function logTick(v: number): string {
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)
    ? v.toExponential(0)
    : String(Number(v.toPrecision(3)));
}

function ticks(format: ((v: number) => string) | undefined, log: boolean | undefined): Partial<uPlot.Axis> {
  const f = format ?? (log ? logTick : undefined);
  return f ? { values: (_u, splits) => splits.map((v) => (v === null ? '' : f(v))) } : {};
}

function optionsFor(p: LineChartProps, width: number): uPlot.Options {
  return {
    title: p.title,
    width,
    height: p.height ?? 240,
    scales: { x: p.logX ? { time: false, distr: 3 } : { time: false }, y: p.logY ? { distr: 3 } : {} },
    axes: [
      { label: p.xLabel, ...AXIS_FONTS, ...ticks(p.tickFormat, p.logX) },
      { label: p.yLabel, size: 60, ...AXIS_FONTS, ...ticks(p.tickFormat, p.logY) },
    ],
    series: [
      { label: p.xLabel },
      ...p.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        dash: s.dash,
        width: 2,
        spanGaps: false,
        ...(s.points ? { points: { show: true, size: 9, fill: s.color } } : {}),
      })),
    ],
    legend: { show: true },
  };
}

/** Log scales cannot show values ≤ 0 or non-finite ones: they become gaps, not a broken chart. */
function dataFor(p: LineChartProps): uPlot.AlignedData {
  const clean = (v: number | null) => (v === null || !Number.isFinite(v) || (p.logY && v <= 0) ? null : v);
  return [p.x, ...p.series.map((s) => s.values.map(clean))];
}

export function LineChart(p: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${p.series.map((s) => s.label + s.color).join('|')}|${p.logY}|${p.logX}|${p.title}|${p.xLabel}|${p.yLabel}`;
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(240, el.clientWidth);
    plot.current = new uPlot(optionsFor(p, width), dataFor(p), el);
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(240, el.clientWidth), height: p.height ?? 240 }),
    );
    resize.observe(el);
    void whenFontReady().then(() => plot.current?.redraw(false));
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; new data goes through setData below.
  }, [shape]);
  useEffect(() => {
    plot.current?.setData(dataFor(p));
  });
  const lang = useLang();
  const savePng = () => {
    const canvas = plot.current?.ctx.canvas;
    if (canvas)
      downloadCanvasPng(
        chartPicture({ title: p.title, plot: canvas, series: p.series }),
        `${fileNameOf(p.title)}.png`,
      );
  };
  return (
    <div class="chart-block">
      <div class="chart" ref={host} data-testid={p.testId} />
      <button type="button" class="chart-export" data-testid="chart-export-png" onClick={savePng}>
        {COMMON[lang].exportPng}
      </button>
    </div>
  );
}
