/**
 * How the series of a chart are told apart: by colour and, where there are several, by dash pattern
 * too, both in one legend. Vega-Lite's default palette (tableau10) makes its second and third colours
 * orange and red, which read alike (the residual and dense lines of the depth figures); the Okabe–Ito
 * palette (Okabe & Ito 2008, "Color Universal Design") stays distinct, also for colour-blind readers.
 */

export const SERIES_COLORS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#000000',
  '#F0E442',
] as const;

/** Solid first, then dashes that stay apart at a line width of 2 (cycled past six series). */
export const SERIES_DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [4, 4],
  [1, 3],
] as const;

/** Legend entries drawn as short strokes, so that each shows its line's dash pattern. */
const LEGEND = { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 };

/** The colour and dash encodings of a nominal `series` field, sharing one legend. */
export function seriesEncoding(seriesCount: number): Record<string, unknown> {
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { range: [...SERIES_COLORS] },
    legend: LEGEND,
  };
  if (seriesCount < 2) return { color };
  const strokeDash = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { range: SERIES_DASHES.map((d) => [...d]) },
    legend: LEGEND,
  };
  return { color, strokeDash };
}
