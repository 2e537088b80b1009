/**
 * Scales and axes of a quantitative channel chosen from the values it shows, so that every figure
 * has readable ticks: counts (epochs, steps, layers) tick at integers only, a constant series (a
 * learning rate of 0.001 throughout) gets a range around its value instead of one tick labelled 0,
 * small values keep their significant digits, and a logarithmic axis labels every tick it draws.
 */

export interface AxisChoice {
  scale: Record<string, unknown>;
  axis: Record<string, unknown>;
}

/**
 * `~r`: up to six significant digits in plain decimals, trailing zeros dropped (0.001, 0.0005, 2.5,
 * 60000). Vega's own format follows the tick step, which a one-value domain makes zero: 0.001
 * printed as "0".
 */
const LINEAR_FORMAT = '~r';

/** The scale and axis of a channel over `values` (finite), linear or logarithmic. */
export function axisFor(values: readonly number[], o: { log?: boolean }): AxisChoice {
  if (o.log) return logAxis(values);
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

/**
 * A logarithmic axis over whole decades with its ticks listed: 1, 2 and 5 times each power of ten
 * over up to two decades, else the powers of ten (every n-th, at most eight). Listed ticks are all
 * labelled; Vega's own log ticks leave most labels empty strings.
 */
function logAxis(values: readonly number[]): AxisChoice {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { scale: { type: 'log' }, axis: {} };
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive))));
  const ticks: number[] = [];
  if (hi - lo <= 2) {
    for (let e = lo; e < hi; e++)
      for (const m of [1, 2, 5]) ticks.push(Number((m * 10 ** e).toPrecision(12)));
    ticks.push(10 ** hi);
  } else {
    const step = Math.ceil((hi - lo) / 7);
    for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
  }
  return {
    scale: { type: 'log', domain: [10 ** lo, 10 ** hi], nice: false },
    axis: { values: ticks, format: '~g' },
  };
}
