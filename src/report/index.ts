/** Figures (Vega-Lite specs rendered to SVG) and self-contained HTML reports. */
export * from './contour.js';
export * from './figures.js';
export * from './html.js';
export * from './render.js';
export type { FigureSpec } from './spec_type.js';
