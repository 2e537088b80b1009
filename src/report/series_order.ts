/**
 * Legend order for `lineChart` specs: Vega-Lite sorts a nominal colour field alphabetically; an
 * experiment lists its series in the order the lecture discusses them.
 */
import type { FigureSpec } from './spec_type.js';

type Channel = { scale?: Record<string, unknown> } | undefined;

/**
 * Returns `spec` with its colour legend (and colours and dash patterns) in the order of `names`, the
 * series it draws. The order is the scales' domain, not a `sort`: Vega-Lite keeps one legend for
 * colour and dash only when their domains are equal, and a sort gives each channel its own.
 */
export function orderSeries(spec: FigureSpec, names: readonly string[]): FigureSpec {
  const encoding = (spec as { encoding?: Record<string, Channel> }).encoding;
  for (const channel of ['color', 'strokeDash'] as const) {
    const e = encoding?.[channel];
    if (e) e.scale = { ...e.scale, domain: [...names] };
  }
  return spec;
}
