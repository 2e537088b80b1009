/**
 * Draws the contour figure on a canvas: filled bands, level lines, critical points, then each
 * optimizer's path up to the animation's frame with a dot where it is now. Pure drawing: every number
 * comes from the worker (the library's level lines and records).
 */
import { PALETTE, projector } from '../../components/canvas';
import type { Figure } from './types';

export interface PathToDraw {
  points: [number, number][];
  color: string;
}

export interface Scene {
  figure: Figure;
  paths: PathToDraw[];
  start: [number, number];
  frame: number;
  width: number;
  height: number;
}

/**
 * Low bands (near the minimum) in slate grey, high ones near white: neutral, so that every path colour
 * of the palette stands out on them.
 */
function bandColor(k: number, count: number): [number, number, number] {
  const t = count === 0 ? 0 : Math.min(1, k / count);
  const low = [165, 172, 186];
  const high = [250, 250, 247];
  return low.map((c, i) => Math.round(c + (high[i]! - c) * t)) as [number, number, number];
}

function drawBands(ctx: CanvasRenderingContext2D, s: Scene): void {
  const { n, index } = s.figure.bands;
  const image = new ImageData(n, n);
  const count = s.figure.levels.length;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const [r, g, b] = bandColor(index[row * n + col]!, count);
      const at = ((n - 1 - row) * n + col) * 4; // row 0 is the bottom of the window
      image.data.set([r, g, b, 255], at);
    }
  }
  const tile = new OffscreenCanvas(n, n);
  tile.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, 0, 0, s.width, s.height);
}

function drawLines(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  toPixel: (x: number, y: number) => [number, number],
) {
  ctx.strokeStyle = 'rgba(40, 60, 90, 0.45)';
  ctx.lineWidth = 1;
  for (const line of s.figure.lines) {
    ctx.beginPath();
    polyline(ctx, line.points, toPixel);
    ctx.stroke();
  }
}

function polyline(
  ctx: CanvasRenderingContext2D,
  points: readonly [number, number][],
  toPixel: (x: number, y: number) => [number, number],
): void {
  for (let i = 0; i < points.length; i++) {
    const [px, py] = toPixel(...points[i]!);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
}

function drawCross(ctx: CanvasRenderingContext2D, [px, py]: [number, number], size: number) {
  ctx.beginPath();
  ctx.moveTo(px - size, py - size);
  ctx.lineTo(px + size, py + size);
  ctx.moveTo(px - size, py + size);
  ctx.lineTo(px + size, py - size);
  ctx.stroke();
}

function drawPaths(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  toPixel: (x: number, y: number) => [number, number],
) {
  ctx.lineWidth = 2;
  for (const path of s.paths) {
    const shown = path.points
      .slice(0, s.frame + 1)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (shown.length === 0) continue;
    ctx.strokeStyle = path.color;
    ctx.beginPath();
    polyline(ctx, shown, toPixel);
    ctx.stroke();
    const [px, py] = toPixel(...shown[shown.length - 1]!);
    ctx.fillStyle = path.color;
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** The window's bounds at the figure's edges, so the plotted region can be read off the figure. */
function drawBounds(ctx: CanvasRenderingContext2D, s: Scene): void {
  const [x0, x1, y0, y1] = s.figure.window;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#333';
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(`x = ${x0}`, 4, s.height - 2);
  ctx.textAlign = 'right';
  ctx.fillText(`x = ${x1}`, s.width - 4, s.height - 2);
  ctx.textAlign = 'left';
  ctx.fillText(`y = ${y0}`, 4, s.height - 15);
  ctx.textBaseline = 'top';
  ctx.fillText(`y = ${y1}`, 4, 3);
}

export function drawScene(ctx: CanvasRenderingContext2D, s: Scene): void {
  const { toPixel } = projector(s.figure.window, s.width, s.height);
  ctx.clearRect(0, 0, s.width, s.height);
  drawBands(ctx, s);
  drawLines(ctx, s, toPixel);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 2;
  for (const [x, y] of s.figure.criticalPoints) drawCross(ctx, toPixel(x, y), 5);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, s.width, s.height);
  ctx.clip();
  drawPaths(ctx, s, toPixel);
  ctx.restore();
  const [sx, sy] = toPixel(...s.start);
  ctx.strokeStyle = '#111';
  ctx.fillStyle = '#fff';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(sx, sy, 5, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  drawBounds(ctx, s);
}

export const pathColor = (i: number): string => PALETTE[i % PALETTE.length]!;
