/** Renders Vega-Lite specifications to standalone SVG, in Node or in the browser (no canvas needed). */
import { REPORT_FONT_STACK } from './font_family.js';
import { hoverTitles } from './hover_titles.js';
import type { FigureSpec } from './spec_type.js';
import { useWideAwareTextWidth } from './text_width.js';
import { svgView } from './vega.js';

/**
 * Every text of a report figure names the reports' font list, the embedded Chinese subset first (a
 * specification's own `config` still wins).
 */
const CONFIG = { font: REPORT_FONT_STACK };

/** The SVG of a specification, with its hover values as SVG `<title>`s (see hover_titles.ts). */
export async function renderSvg(spec: FigureSpec): Promise<string> {
  useWideAwareTextWidth(); // Chinese text laid out at its real width (text_width.ts)
  const view = svgView(spec, CONFIG);
  try {
    return hoverTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}
