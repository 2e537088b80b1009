/**
 * The paths panel's view as URL state: surface, κ, start, steps and the optimizer list with each one's
 * options (only those the user set, as `descent surface` flags would give them), so a link reproduces
 * the figure and its export exactly.
 */
// '.js': this file is also compiled by the root tsconfig (node16 resolution), as test/lab/paths.test.ts imports it.
import type { OptionValue, RunSpec } from './run_spec.js';

/** `descent surface --steps` accepts at most this many (src/cli/limits.ts LIMITS.surfaceSteps; a test checks). */
export const MAX_STEPS = 100_000;

/** A step count `descent surface --steps` accepts: a whole number from 0 to MAX_STEPS. */
export function validSteps(steps: number): boolean {
  return Number.isInteger(steps) && steps >= 0 && steps <= MAX_STEPS;
}

/** The panel's URL keys. `start` empty means the surface's own start. */
export const DEFAULTS = {
  fn: 'rosenbrock',
  condition: 25,
  start: [] as number[],
  steps: 300,
  runs: [
    { optimizer: 'sgd', options: { lr: 0.001, momentum: 0.9 } },
    { optimizer: 'adam', options: { lr: 0.05 } },
    { optimizer: 'rmsprop', options: { lr: 0.01 } },
  ] as RunSpec[],
};

export type PathsState = typeof DEFAULTS;

const isOptionValue = (v: unknown): v is OptionValue =>
  typeof v === 'number' ||
  typeof v === 'boolean' ||
  typeof v === 'string' ||
  (Array.isArray(v) && v.every((x) => typeof x === 'number'));

/**
 * The optimizer list of a (possibly hand-edited) URL: entries that are not `{ optimizer, options }`
 * with a known name are dropped and reported by index, so the page can say what it ignored.
 */
export function cleanRuns(runs: unknown, known: readonly string[]): { runs: RunSpec[]; dropped: number[] } {
  const out: RunSpec[] = [];
  const dropped: number[] = [];
  (Array.isArray(runs) ? runs : []).forEach((entry, i) => {
    const e = entry as Partial<RunSpec> | null;
    const options = e?.options ?? {};
    const valid =
      typeof e === 'object' &&
      e !== null &&
      typeof e.optimizer === 'string' &&
      known.includes(e.optimizer) &&
      typeof options === 'object' &&
      !Array.isArray(options) &&
      Object.values(options).every(isOptionValue);
    if (valid) out.push({ optimizer: e.optimizer!, options: { ...options } });
    else dropped.push(i);
  });
  return { runs: out, dropped };
}

/** The start the runs use: the URL's when it is a finite pair, else the surface's own. */
export function effectiveStart(start: readonly number[], surfaceStart: [number, number]): [number, number] {
  return start.length === 2 && start.every(Number.isFinite) ? [start[0]!, start[1]!] : surfaceStart;
}

/** Rounds a clicked coordinate so the URL stays readable (1/1000 of the window is below a pixel). */
export function roundCoordinate(v: number): number {
  return Math.round(v * 1000) / 1000;
}
