/** Rasterizes SVG figures to PNG (Node only) with resvg, a Rust SVG renderer shipped as an npm package. */
import { Resvg } from '@resvg/resvg-js';
import { reportFontFiles } from './font_face.js';

/**
 * PNG bytes of an SVG at `scale` times its size. Chinese is drawn with the reports' embedded Noto Sans
 * SC subset, so a zh figure shows glyphs on a machine without CJK fonts. resvg lays text out in its
 * default family (a regular Latin face) and takes each character that face lacks from the first font
 * holding it: the subset, or an installed CJK font. The subset is not the first family: resvg's
 * fallback for the Latin characters it lacks picks any face, italic or bold included.
 */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  return rasterize(svg, scale).asPng();
}

/** The rendered image (its `pixels` are RGBA), for callers that compare pictures. */
export function rasterize(svg: string, scale = 2): ReturnType<Resvg['render']> {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      fontFiles: reportFontFiles(),
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
    },
  });
  return resvg.render();
}
