/**
 * The contour figure as a canvas: click or drag on it to move the start (keyboard users type it in the
 * start fields). Its height follows the window's aspect, within bounds, so a long valley stays readable.
 */
import { useEffect, useRef } from 'preact/hooks';
import { prepareCanvas, projector } from '../../components/canvas';
import { drawScene, type PathToDraw } from './draw';
import type { Figure } from './types';

interface Props {
  figure: Figure;
  paths: PathToDraw[];
  start: [number, number];
  frame: number;
  label: string;
  onStart: (x: number, y: number) => void;
  canvasRef: { current: HTMLCanvasElement | null };
}

const WIDTH = 560;

function heightFor([x0, x1, y0, y1]: Figure['window']): number {
  return Math.round(Math.min(560, Math.max(280, (WIDTH * (y1 - y0)) / (x1 - x0))));
}

export function ContourCanvas(p: Props) {
  const dragging = useRef(false);
  const height = heightFor(p.figure.window);
  useEffect(() => {
    const canvas = p.canvasRef.current;
    if (!canvas) return;
    const ctx = prepareCanvas(canvas, WIDTH, height);
    drawScene(ctx, {
      figure: p.figure,
      paths: p.paths,
      start: p.start,
      frame: p.frame,
      width: WIDTH,
      height,
    });
  });
  const place = (e: PointerEvent) => {
    const canvas = e.currentTarget as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const { toData } = projector(p.figure.window, box.width, box.height);
    p.onStart(...toData(e.clientX - box.left, e.clientY - box.top));
  };
  return (
    <canvas
      ref={p.canvasRef}
      data-testid="paths-contour"
      role="img"
      aria-label={p.label}
      onPointerDown={(e) => {
        dragging.current = true;
        (e.currentTarget as HTMLCanvasElement).setPointerCapture(e.pointerId);
        place(e);
      }}
      onPointerMove={(e) => dragging.current && place(e)}
      onPointerUp={() => {
        dragging.current = false;
      }}
    />
  );
}
