/**
 * The λ functions named in test/fixtures/schedules.json (`lrLambda`, `scaleFn`), the same arithmetic
 * as the generator's LAMBDAS (test/fixtures/gen/gen_schedules.py; the fixture's `lambdas` holds their
 * Python source), and the substitution of names by functions in a fixture's options.
 */
import type { LrLambda } from '../../src/optim/schedules/index.js';

export const LAMBDAS: Record<string, LrLambda> = {
  'linearTo0.5': (e) => 1 - e / 600,
  'pow0.99': (e) => 0.99 ** e,
  halvePer50: (e) => 0.5 ** Math.floor(e / 50),
  warmupInvSqrt: (e) => Math.min((e + 1) / 10, Math.sqrt(10 / (e + 1))),
  'const0.99': () => 0.99,
  upDown: (e) => (e % 3 === 0 ? 1.05 : 0.98),
  oneOverCycle: (x) => 1 / (1 + 0.5 * (x - 1)),
  oneOverIter: (x) => 1 / (1 + 0.01 * x),
};

function lambda(name: unknown): LrLambda {
  const fn = LAMBDAS[name as string];
  if (fn === undefined) throw new Error(`no test λ named ${JSON.stringify(name)}`);
  return fn;
}

/** A fixture's options with λ names replaced by the functions, in nested scheduler lists too. */
export function withLambdas(
  options: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (options === undefined) return undefined;
  const out: Record<string, unknown> = { ...options };
  for (const key of ['lrLambda', 'scaleFn']) {
    const v = out[key];
    if (v !== undefined) out[key] = Array.isArray(v) ? v.map(lambda) : lambda(v);
  }
  if (Array.isArray(out.schedulers)) {
    out.schedulers = (out.schedulers as { scheduler: string; options?: Record<string, unknown> }[]).map(
      (s) => ({
        ...s,
        options: withLambdas(s.options),
      }),
    );
  }
  return out;
}
