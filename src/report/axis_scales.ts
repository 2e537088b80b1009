/**
 * Scales and axes of a quantitative channel chosen from the values it shows, so that every figure
 * has readable ticks: counts (epochs, steps, layers) tick at integers only, a constant series (a
 * learning rate of 0.001 throughout) gets a range around its value instead of one tick labelled 0,
 * and small values keep their significant digits.
 */

export interface AxisChoice {
  scale: Record<string, unknown>;
  axis: Record<string, unknown>;
}

/**
 * `~g`: up to six significant digits, trailing zeros dropped (0.001, 0.0005, 2.5, 60000). Vega's own
 * format follows the tick step, which a one-value domain makes zero: 0.001 printed as "0".
 */
const LINEAR_FORMAT = '~r';

/** The scale and axis of a channel over `values` (finite), linear or logarithmic. */
export function axisFor(values: readonly number[], o: { log?: boolean }): AxisChoice {
  if (o.log) return { scale: { type: 'log' }, axis: {} };
  const integers = values.length > 0 && values.every(Number.isInteger);
  const domain = constantDomain(values, integers);
  const axis: Record<string, unknown> = { format: LINEAR_FORMAT };
  // Vega-Lite drops `tickMinStep`, so integer ticks are listed outright.
  if (integers) axis.values = integerTicks(domain ?? [Math.min(...values), Math.max(...values)]);
  return { scale: domain ? { zero: false, domain } : { zero: false }, axis };
}

/**
 * At most `maxCount` integer ticks over [lo, hi], a step of 1, 2 or 5 times a power of ten: epochs
 * 1…3 tick at 1, 2, 3 (not 1.0, 1.4, 1.8…), steps 1…4690 at 0, 1000, 2000….
 */
export function integerTicks([lo, hi]: readonly [number, number], maxCount = 8): number[] {
  const rough = Math.max(1, (hi - lo) / (maxCount - 1));
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return ticks;
}

/**
 * A domain around the one value all of `values` share (null when they differ): ±1 for integers (so
 * that the neighbouring integers are ticks), else ±half the value (±1 around 0).
 */
function constantDomain(values: readonly number[], integers: boolean): [number, number] | null {
  if (values.length === 0 || values.some((v) => v !== values[0])) return null;
  const v = values[0]!;
  const pad = integers || v === 0 ? 1 : Math.abs(v) / 2;
  return [v - pad, v + pad];
}
