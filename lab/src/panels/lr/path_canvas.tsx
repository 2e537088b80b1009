/**
 * The surface's level lines with the optimizer's path over them. Points that leave the window (a
 * diverging run) are clipped by the canvas, so the path visibly shoots off the figure.
 */
import { useEffect, useRef } from 'preact/hooks';
import { PALETTE, prepareCanvas, projector } from '../../components/canvas';
import type { SurfaceJobResult } from './surface_job';

const WIDTH = 420;
const HEIGHT = 320;

function draw(canvas: HTMLCanvasElement, r: SurfaceJobResult): void {
  const ctx = prepareCanvas(canvas, WIDTH, HEIGHT);
  const { toPixel } = projector(r.window, WIDTH, HEIGHT);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.strokeStyle = '#b8c2d0';
  ctx.lineWidth = 1;
  for (const line of r.contours) {
    ctx.beginPath();
    line.points.forEach(([x, y], i) => {
      const [px, py] = toPixel(x, y);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
  }
  ctx.fillStyle = '#2ca02c';
  for (const [x, y] of r.criticalPoints) {
    const [px, py] = toPixel(x, y);
    ctx.fillRect(px - 3, py - 3, 6, 6);
  }
  const points = r.record.trajectory.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  ctx.strokeStyle = PALETTE[1]!;
  ctx.fillStyle = PALETTE[1]!;
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([x, y], i) => {
    const [px, py] = toPixel(x, y);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
  for (const [x, y] of points) {
    const [px, py] = toPixel(x, y);
    ctx.beginPath();
    ctx.arc(px, py, 2, 0, 2 * Math.PI);
    ctx.fill();
  }
}

export function PathCanvas({ result, label }: { result: SurfaceJobResult | undefined; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current && result) draw(ref.current, result);
  }, [result]);
  return (
    <canvas ref={ref} role="img" aria-label={label} data-testid="lr-path" width={WIDTH} height={HEIGHT} />
  );
}
