/**
 * The reports' font names, apart from the font itself (report/font_face.ts, Node only): figure
 * specifications name the family wherever they are drawn, and naming it must not pull the font's bytes
 * into a browser bundle.
 */

/**
 * The family of the embedded Noto Sans SC subset in the HTML reports (the lab's @font-face uses the
 * same name, so figures drawn in the lab find the lab's subset).
 */
export const CJK_FONT_FAMILY = 'Descent Noto Sans SC';

/**
 * The font list of every report text (HTML and figures): the embedded subset first (its
 * unicode-range covers only CJK, so Latin falls through to the system's sans-serif). resvg does not
 * know the subset by this name (the file calls itself "Noto Sans SC"), so it lays text out in its
 * default family and finds the Chinese glyphs in the subset by fallback (see png.ts).
 */
export const REPORT_FONT_STACK = `"${CJK_FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", sans-serif`;

/** One face of the generated subset (src/report/generated/report_font.ts), bytes in base64. */
export interface ReportFontFace {
  /** The CSS unicode-range of the characters it maps. */
  unicodeRange: string;
  /** For the HTML's @font-face. */
  woff2: string;
  /** The same glyphs as an OpenType/TrueType file, for resvg. */
  sfnt: string;
}
