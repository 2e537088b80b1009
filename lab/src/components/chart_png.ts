/**
 * A chart as one PNG: uPlot draws the plot and its axes on a canvas but the title and legend in HTML,
 * so the picture is composed here: the title, the plot canvas, then a legend line per series.
 */
import { canvasFont } from './fonts';

export interface ChartPicture {
  title: string;
  /** uPlot's canvas (backing store in device pixels). */
  plot: HTMLCanvasElement;
  series: readonly { label: string; color: string; dash?: number[] }[];
}

export function chartPicture(c: ChartPicture): HTMLCanvasElement {
  const ratio = window.devicePixelRatio || 1;
  const [titleH, legendH] = [28 * ratio, 22 * ratio];
  const out = document.createElement('canvas');
  out.width = c.plot.width;
  out.height = c.plot.height + titleH + legendH;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1d2330';
  ctx.font = canvasFont(14 * ratio, 'bold');
  ctx.textAlign = 'center';
  ctx.fillText(c.title, out.width / 2, 19 * ratio);
  ctx.drawImage(c.plot, 0, titleH);
  ctx.font = canvasFont(12 * ratio);
  ctx.textAlign = 'left';
  let x = 10 * ratio;
  const y = titleH + c.plot.height + 15 * ratio;
  for (const s of c.series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash((s.dash ?? []).map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, y - 4 * ratio);
    ctx.lineTo(x + 18 * ratio, y - 4 * ratio);
    ctx.stroke();
    ctx.fillText(s.label, x + 22 * ratio, y);
    x += 22 * ratio + ctx.measureText(s.label).width + 14 * ratio;
  }
  return out;
}

/** A file name from a chart title: "Loss per step" → "loss-per-step". */
export function fileNameOf(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
  return `descent-${slug || 'chart'}`;
}
