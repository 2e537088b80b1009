/** Rasterizes SVG figures to PNG (Node only) with resvg, a Rust SVG renderer shipped as an npm package. */
import { Resvg } from '@resvg/resvg-js';

/** PNG bytes of an SVG at `scale` times its size; text uses the system's fonts. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
