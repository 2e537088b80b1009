/**
 * The decision boundary: each grid cell coloured by the class the model predicts there, paler where it
 * is less sure (TensorFlow Playground's picture), with the training points filled and the test points
 * ringed. The worker computes the predictions; this only paints them.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { PALETTE, prepareCanvas, projector } from '../../components/canvas';
import { downloadCanvasPng } from '../../components/download';
import { COMMON } from '../../i18n/common';
import { useLang } from '../../i18n/lang';
import type { BoundaryView, PlanePoints, PointSet } from './messages';

const SIZE = 360;

function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Class colour blended with white by how far the probability is above chance (1/K). */
function heatImage(view: BoundaryView, classes: number): ImageData {
  const image = new ImageData(view.size, view.size);
  const chance = 1 / Math.max(2, classes);
  const colors = PALETTE.map(rgbOf);
  for (let i = 0; i < view.size * view.size; i++) {
    const [r, g, b] = colors[view.predicted[i]! % colors.length]!;
    const strength = 0.15 + 0.55 * Math.max(0, (view.confidence[i]! - chance) / (1 - chance));
    image.data[4 * i] = Math.round(255 + (r - 255) * strength);
    image.data[4 * i + 1] = Math.round(255 + (g - 255) * strength);
    image.data[4 * i + 2] = Math.round(255 + (b - 255) * strength);
    image.data[4 * i + 3] = 255;
  }
  return image;
}

function drawPoints(
  ctx: OffscreenCanvasRenderingContext2D,
  points: PointSet,
  toPixel: (x: number, y: number) => [number, number],
  ringed: boolean,
): void {
  for (let i = 0; i < points.labels.length; i++) {
    const [px, py] = toPixel(points.xy[2 * i]!, points.xy[2 * i + 1]!);
    ctx.beginPath();
    ctx.arc(px, py, ringed ? 3.5 : 2.8, 0, 2 * Math.PI);
    ctx.fillStyle = PALETTE[points.labels[i]! % PALETTE.length]!;
    ctx.fill();
    ctx.lineWidth = ringed ? 1.6 : 0.6;
    ctx.strokeStyle = ringed ? '#111' : '#fff';
    ctx.stroke();
  }
}

/** The points drawn once per data set (a thousand arcs), so that each new boundary costs two image draws. */
function pointsLayer(points: PlanePoints): OffscreenCanvas {
  const ratio = window.devicePixelRatio || 1;
  const layer = new OffscreenCanvas(Math.round(SIZE * ratio), Math.round(SIZE * ratio));
  const ctx = layer.getContext('2d')!;
  ctx.scale(ratio, ratio);
  const { toPixel } = projector(points.window, SIZE, SIZE);
  drawPoints(ctx, points.train, toPixel, false);
  drawPoints(ctx, points.test, toPixel, true);
  return layer;
}

export function BoundaryCanvas(p: { points: PlanePoints; view: BoundaryView | null; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const context = useRef<CanvasRenderingContext2D | null>(null);
  const layer = useMemo(() => pointsLayer(p.points), [p.points]);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    context.current ??= prepareCanvas(canvas, SIZE, SIZE);
    const ctx = context.current;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    if (p.view) {
      const cells = new OffscreenCanvas(p.view.size, p.view.size);
      cells.getContext('2d')!.putImageData(heatImage(p.view, p.points.classes), 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(cells, 0, 0, SIZE, SIZE);
    }
    ctx.drawImage(layer, 0, 0, SIZE, SIZE);
  }, [layer, p.view]);
  const lang = useLang();
  return (
    <div class="chart-block">
      <canvas ref={ref} role="img" aria-label={p.label} data-testid="boundary-canvas" />
      <button
        type="button"
        class="chart-export"
        data-testid="boundary-export-png"
        onClick={() => ref.current && downloadCanvasPng(ref.current, 'descent-decision-boundary.png')}
      >
        {COMMON[lang].exportPng}
      </button>
    </div>
  );
}
