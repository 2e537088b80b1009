/**
 * The two averages the `dropout-ensemble` experiment compares, both over softmax outputs (the
 * ensemble's predictive distribution, as in Srivastava et al. 2014, JMLR 15, section 7.5, and Gal &
 * Ghahramani 2016, "Dropout as a Bayesian Approximation", arXiv:1506.02142):
 *
 *   Monte-Carlo dropout   p̄_K(y|x) = (1/K) Σ_k softmax(f(x; mask_k)), K sub-networks sampled by
 *                         keeping the Dropout layers in training mode at test time (every other
 *                         module, e.g. BatchNorm, stays in evaluation mode);
 *   an explicit ensemble  p̄_M(y|x) = (1/M) Σ_m softmax(f_m(x)), M separately trained networks in
 *                         evaluation mode.
 *
 * The usual evaluation of a dropout network, weight scaling (inverted dropout: no mask, no scaling at
 * test time), approximates the first average with one pass. Sums are taken in float64 on the host;
 * every pass runs without gradients and releases its tensors.
 */
import { noGrad } from '../autograd/tape.js';
import { Dropout } from '../nn/dropout.js';
import type { Module } from '../nn/module.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { withMode } from '../train/mode.js';

/** Mean class probabilities, row-major [samples, classes]. */
export interface MeanProbabilities {
  values: Float64Array;
  classes: number;
}

/** softmax(model(x)) read to the host, in the modes the model is in. */
function softmaxOf(model: Module, x: Tensor): { values: ArrayLike<number>; classes: number } {
  return scope(() =>
    noGrad(() => {
      const logits = model.call(x);
      return { values: logits.softmax(1).data(), classes: logits.shape[1]! };
    }),
  );
}

/** Adds one pass's probabilities into the running sum and calls `onMean` with the current mean. */
function accumulate(
  sum: MeanProbabilities | null,
  pass: { values: ArrayLike<number>; classes: number },
  count: number,
  onMean?: (count: number, mean: MeanProbabilities) => void,
): MeanProbabilities {
  const acc = sum ?? { values: new Float64Array(pass.values.length), classes: pass.classes };
  for (let i = 0; i < acc.values.length; i++) acc.values[i]! += pass.values[i]!;
  if (onMean) onMean(count, { values: acc.values.map((v) => v / count), classes: acc.classes });
  return acc;
}

const divided = (sum: MeanProbabilities, n: number): MeanProbabilities => ({
  values: sum.values.map((v) => v / n),
  classes: sum.classes,
});

/**
 * Monte-Carlo dropout: the mean softmax of `samples` passes of `model` over `x` with its Dropout
 * layers sampling masks (from their generator, by default the seeded default one) and every other
 * module in evaluation mode; each module's mode is restored afterwards. `onMean(k, mean)` sees the
 * running mean after each pass k = 1…samples.
 */
export function mcDropoutAverage(
  model: Module,
  x: Tensor,
  samples: number,
  onMean?: (k: number, mean: MeanProbabilities) => void,
): MeanProbabilities {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`mcDropoutAverage: samples must be a positive integer, got ${samples}`);
  }
  return withMode(model, false, () => {
    for (const m of model.modules()) if (m instanceof Dropout) m.training = true;
    let sum: MeanProbabilities | null = null;
    for (let k = 1; k <= samples; k++) sum = accumulate(sum, softmaxOf(model, x), k, onMean);
    return divided(sum!, samples);
  });
}

/**
 * An ensemble's mean softmax over `x`, each model in evaluation mode (restored afterwards);
 * `onMean(m, mean)` sees the mean of the first m models.
 */
export function ensembleAverage(
  models: readonly Module[],
  x: Tensor,
  onMean?: (m: number, mean: MeanProbabilities) => void,
): MeanProbabilities {
  if (models.length === 0) throw new RangeError('ensembleAverage: models must hold at least one model');
  let sum: MeanProbabilities | null = null;
  for (const [i, model] of models.entries()) {
    sum = accumulate(
      sum,
      withMode(model, false, () => softmaxOf(model, x)),
      i + 1,
      onMean,
    );
  }
  return divided(sum!, models.length);
}

/** The fraction of rows whose most probable class (the first, on ties) is the label. */
export function accuracyOf(mean: MeanProbabilities, labels: ArrayLike<number>): number {
  const { values, classes } = mean;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[i * classes + c]! > values[i * classes + best]!) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}
