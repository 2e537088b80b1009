/**
 * Fonts for text drawn on canvases (uPlot's axes, the lab's own figures). The bundled Chinese subset
 * comes first: it holds only CJK glyphs (its unicode-range), so Latin text falls through to the system
 * font, while Chinese never depends on the machine having a CJK font. Put after `system-ui`, Chromium
 * on Linux draws the Chinese as boxes.
 */
export const FONT_STACK = '"Descent Noto Sans SC", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** A canvas font string, e.g. canvasFont(12) or canvasFont(13, 'bold'). */
export function canvasFont(px: number, weight = ''): string {
  return `${weight ? `${weight} ` : ''}${px}px ${FONT_STACK}`;
}

/**
 * Resolves once the bundled font can draw `text` (at once when it already can); canvases drawn
 * before that redraw then, since a canvas does not update when a web font arrives.
 */
export function whenFontReady(text = '中文'): Promise<unknown> {
  if (typeof document === 'undefined' || !document.fonts) return Promise.resolve();
  return document.fonts.load(`12px "Descent Noto Sans SC"`, text).catch(() => undefined);
}
