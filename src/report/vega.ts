/**
 * The one importer of the `vega` and `vega-lite` packages. In the source tree it is a thin wrapper;
 * after `tsc`, `npm run build` rebundles dist/report/vega.js in place with both packages inside it,
 * minified (scripts/bundle_report_vega.mjs), so that they are devDependencies and an install does not
 * carry their 25 MB (mostly prebuilt browser bundles Node never loads). Its exports are typed with the
 * few local interfaces below, so that no published `.d.ts` names `vega` or `vega-lite`.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { FigureSpec } from './spec_type.js';

/** The part of a Vega `View` the renderer uses: an SVG string, then release. */
export interface SvgView {
  toSVG(): Promise<string>;
  finalize(): void;
}

/** Options of a compiled figure: Vega-Lite's `config` (only the font is set by descent). */
export interface FigureConfig {
  font: string;
}

/** Vega's text measurer (an undocumented export, so not in its typings); see text_width.ts. */
export interface TextMetrics {
  width(item: { fontSize?: number | string }, text: unknown): number;
  estimateWidth(item: { fontSize?: number | string }, text: unknown): number;
}

/** A headless Vega view of `spec` compiled by Vega-Lite with `config`, ready for `toSVG()`. */
export function svgView(spec: FigureSpec, config: FigureConfig): SvgView {
  return new vega.View(vega.parse(compile(spec, { config }).spec), { renderer: 'none' });
}

/** The object Vega measures text with; its `width` may be replaced (mutable by design in Vega). */
export const textMetrics: TextMetrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
