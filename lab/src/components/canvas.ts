/** Canvas helpers for the lab's own figures (contours, paths, decision boundaries): sharp on any screen. */

/** Sizes the canvas's backing store to its CSS size × devicePixelRatio; returns a context in CSS pixels. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  cssWidth: number,
  cssHeight: number,
): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** Maps data coordinates in a window [x0, x1, y0, y1] to canvas pixels (y up). */
export function projector(window: readonly [number, number, number, number], width: number, height: number) {
  const [x0, x1, y0, y1] = window;
  return {
    toPixel: (x: number, y: number): [number, number] => [
      ((x - x0) / (x1 - x0)) * width,
      (1 - (y - y0) / (y1 - y0)) * height,
    ],
    toData: (px: number, py: number): [number, number] => [
      x0 + (px / width) * (x1 - x0),
      y0 + (1 - py / height) * (y1 - y0),
    ],
  };
}

/** Distinct colours for series (optimizers, runs), readable on white and for common colour blindness. */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];
