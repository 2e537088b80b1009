/** Tick labels for rates and losses over decades: 1e-4 rather than uPlot's 0, 0.05 and 2 as they are. */
export function decadeTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-2 || a >= 1e4 ? v.toExponential(0) : String(Number(v.toPrecision(3)));
}
