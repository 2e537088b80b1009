/**
 * A fit callback for the experiments that train for a budget of optimizer steps (not epochs) and
 * measure along the way: `measure(0)` before the first step, then every `evalEvery` steps and at the
 * last one, where it stops training.
 */
import type { Callback } from '../train/callbacks/callback.js';

export function stepBudget(o: {
  steps: number;
  evalEvery: number;
  measure: (step: number) => void;
}): Callback {
  return {
    onTrainBegin: () => o.measure(0),
    onBatchEnd: (_logs, ctx) => {
      if (ctx.step % o.evalEvery === 0 || ctx.step === o.steps) o.measure(ctx.step);
      if (ctx.step >= o.steps) ctx.stop(`${o.steps} steps`);
    },
  };
}
