/**
 * `fit` options for the experiments that train for a budget of optimizer steps (not epochs) and
 * measure along the way: `measure(0)` before the first step, then every `evalEvery` steps and at the
 * last one, where training stops.
 *
 * `fit` reads the step losses in blocks (every `logEvery` steps, counted from each epoch's start, and
 * at the epoch's end) and only then delivers the steps' `onBatchEnd` in order. A measurement must see
 * the model right after its step, and the stop must come before another step runs, so the options set
 * `logEvery` to a divisor of the steps per epoch, of `evalEvery` and of the budget: every measuring
 * step is then the last step of a block, delivered before the next step runs. The steps come from the
 * logs (`logs.step`), not from the context, whose count is the block's last.
 */
import type { Callback } from '../train/callbacks/callback.js';

/** What `stepBudget` returns: spread it into `fit`'s options. */
export interface StepBudgetOptions {
  callbacks: Callback[];
  logEvery: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The largest `logEvery` at which every step that is a multiple of each of `cadences` (positive
 * integers: the steps per epoch, the measurement intervals) is delivered right after it runs.
 */
export function alignedLogEvery(...cadences: number[]): number {
  return cadences.reduce(gcd);
}

export function stepBudget(o: {
  steps: number;
  evalEvery: number;
  /** Batches per epoch of the training data (ceil(samples / batchSize)). */
  stepsPerEpoch: number;
  measure: (step: number) => void;
}): StepBudgetOptions {
  const callback: Callback = {
    onTrainBegin: () => o.measure(0),
    onBatchEnd: (logs, ctx) => {
      if (logs.step % o.evalEvery === 0 || logs.step === o.steps) o.measure(logs.step);
      if (logs.step >= o.steps) ctx.stop(`${o.steps} steps`);
    },
  };
  return { callbacks: [callback], logEvery: alignedLogEvery(o.stepsPerEpoch, o.evalEvery, o.steps) };
}
