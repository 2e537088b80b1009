/**
 * A grid of small charts (the init panel's per-layer histograms) as one PNG: each uPlot canvas under
 * its title, in the columns the page shows, on white.
 */
import { canvasFont } from './fonts';

export function gridPicture(grid: HTMLElement): HTMLCanvasElement | null {
  const cells = [...grid.querySelectorAll<HTMLElement>('.uplot')];
  const canvases = cells
    .map((c) => c.querySelector('canvas'))
    .filter((c): c is HTMLCanvasElement => c !== null);
  if (canvases.length === 0) return null;
  const ratio = window.devicePixelRatio || 1;
  const columns = Math.max(1, Math.round(grid.clientWidth / (cells[0]!.clientWidth + 8)));
  const [cellW, cellH] = [canvases[0]!.width, canvases[0]!.height];
  const [titleH, gap] = [22 * ratio, 8 * ratio];
  const rows = Math.ceil(canvases.length / columns);
  const out = document.createElement('canvas');
  out.width = columns * (cellW + gap);
  out.height = rows * (cellH + titleH + gap);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1d2330';
  ctx.font = canvasFont(13 * ratio, 'bold');
  ctx.textAlign = 'center';
  canvases.forEach((canvas, i) => {
    const [x, y] = [(i % columns) * (cellW + gap), Math.floor(i / columns) * (cellH + titleH + gap)];
    const title = cells[i]!.querySelector('.u-title')?.textContent ?? '';
    ctx.fillText(title, x + cellW / 2, y + 16 * ratio);
    ctx.drawImage(canvas, x, y + titleH);
  });
  return out;
}
