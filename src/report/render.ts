/** Renders Vega-Lite specifications to standalone SVG, in Node or in the browser (no canvas needed). */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { REPORT_FONT_STACK } from './font_family.js';
import { hoverTitles } from './hover_titles.js';
import { useWideAwareTextWidth } from './text_width.js';

/**
 * Every text of a report figure names the reports' font list, the embedded Chinese subset first (a
 * specification's own `config` still wins).
 */
const CONFIG = { font: REPORT_FONT_STACK };

/** The SVG of a specification, with its hover values as SVG `<title>`s (see hover_titles.ts). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  useWideAwareTextWidth(); // Chinese text laid out at its real width (text_width.ts)
  const view = new View(parse(compile(spec, { config: CONFIG }).spec), { renderer: 'none' });
  try {
    return hoverTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}
