/**
 * Hover values in static SVG. A report is a page without script, so a figure shows values on hover
 * the way SVG itself does: a `<title>` child of the shape under the pointer, which browsers show as
 * a tooltip. Vega's SVG renderer emits no `<title>`: it writes a mark's `description` as the shape's
 * `aria-label`. So a chart's hover marks carry their text in `description` (and `tooltip`, for
 * Vega's own tooltip handler where a figure is drawn live, as in the lab) and a role description of
 * their own, and `hoverTitles` turns those labels into titles after rendering.
 */

/** The `ariaRoleDescription` of the marks whose labels become titles. */
export const HOVER_ROLE = 'hover value';

/** One shape of a hover mark as Vega's SVG renderer writes it: `<path … aria-roledescription="hover value" …/>`. */
const HOVER_SHAPE = new RegExp(`<(path|rect)\\b([^>]*\\baria-roledescription="${HOVER_ROLE}"[^>]*?)/>`, 'g');

/**
 * The SVG with a `<title>` (the shape's aria-label, already escaped by Vega) inside each shape of a
 * hover mark.
 */
export function hoverTitles(svg: string): string {
  return svg.replace(HOVER_SHAPE, (whole, tag: string, attributes: string) => {
    const label = /\baria-label="([^"]*)"/.exec(attributes)?.[1];
    return label === undefined ? whole : `<${tag}${attributes}><title>${label}</title></${tag}>`;
  });
}

/** A value as a hover text shows it: four significant digits, no trailing zeros (0.001, 2.346e-7). */
export function hoverNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}
