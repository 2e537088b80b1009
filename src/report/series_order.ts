/**
 * Legend order for `lineChart` specs: Vega-Lite sorts a nominal colour field alphabetically; an
 * experiment lists its series in the order the lecture discusses them.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Returns `spec` with its colour legend (and colours) in the order of `names`. */
export function orderSeries(spec: TopLevelSpec, names: readonly string[]): TopLevelSpec {
  const color = (spec as { encoding?: { color?: { sort?: unknown } } }).encoding?.color;
  if (color) color.sort = [...names];
  return spec;
}
