/**
 * Gradient checks (central differences in float64 on the reference backend) for the losses' PyTorch
 * options: crossEntropy/nllLoss `weight` and `ignoreIndex` on the fused path, with label smoothing,
 * for [N, C, d] and unbatched [C] input and probability targets (whose weight is differentiated),
 * binaryCrossEntropyWithLogits `weight`/`posWeight` (input and target differentiated), and
 * mseLoss/l1Loss with broadcasting targets (the target's gradient summed back to its shape).
 * Sizes 0, 1 and odd included.
 */
import { describe, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  Generator,
  l1Loss,
  logSoftmax,
  mseLoss,
  nllLoss,
  softmax,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { fixed, gradcheck, type InputArg } from '../helpers/gradcheck.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only.
useReferenceBackend();

function f64(g: Generator, shape: readonly number[], offset = 0): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = g.normal() + offset;
  return tensor(data, { dtype: 'float64', shape });
}

/** |x| ≥ 0.3: away from l1Loss's kink at x = y. */
function apart(g: Generator, shape: readonly number[]): Tensor {
  const t = f64(g, shape);
  return tensor(
    Float64Array.from(t.data(), (v) => v + Math.sign(v) * 0.3),
    { dtype: 'float64', shape },
  );
}

function int32(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return tensor(Int32Array.from(values), { dtype: 'int32', shape });
}

/** Positive class weights, a constant of the loss. */
const weight = (values: readonly number[]): Tensor => tensor(Float64Array.from(values), { dtype: 'float64' });

interface Case {
  name: string;
  inputs: (g: Generator) => InputArg[];
  f: (...inputs: Tensor[]) => Tensor;
}

const W5 = [0.5, 2, 1.25, 0.75, 3];

const cases: Case[] = [
  {
    name: 'crossEntropy weight, mean (fused kernel)',
    inputs: (g) => [f64(g, [5, 5]), fixed(int32([0, 4, 2, 2, 1]))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5) }),
  },
  {
    name: 'crossEntropy weight + ignoreIndex −100, sum',
    inputs: (g) => [f64(g, [7, 5]), fixed(int32([0, -100, 2, 3, -100, 4, 1]))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5), reduction: 'sum' }),
  },
  {
    name: 'crossEntropy ignoreIndex 3 (a class), none',
    inputs: (g) => [f64(g, [5, 4]), fixed(int32([3, 0, 3, 2, 1]))],
    f: (x, t) => crossEntropy(x, t, { ignoreIndex: 3, reduction: 'none' }),
  },
  {
    name: 'crossEntropy label smoothing + weight + ignoreIndex, mean',
    inputs: (g) => [f64(g, [5, 5]), fixed(int32([1, -100, 4, 0, 2]))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5), labelSmoothing: 0.2 }),
  },
  {
    name: 'crossEntropy label smoothing + ignoreIndex, none',
    inputs: (g) => [f64(g, [3, 5]), fixed(int32([1, -100, 4]))],
    f: (x, t) => crossEntropy(x, t, { labelSmoothing: 0.1, reduction: 'none' }),
  },
  {
    name: 'crossEntropy [N, C, d1, d2] weight + ignoreIndex, mean',
    inputs: (g) => [f64(g, [2, 5, 3, 1]), fixed(int32([0, 4, -100, 3, 1, 2], [2, 3, 1]))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5) }),
  },
  {
    name: 'crossEntropy [N, C, d] weight + ignoreIndex + label smoothing, sum',
    inputs: (g) => [f64(g, [2, 5, 3]), fixed(int32([0, 4, -100, 3, 1, 2], [2, 3]))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5), labelSmoothing: 0.1, reduction: 'sum' }),
  },
  {
    name: 'crossEntropy unbatched [C] with weight',
    inputs: (g) => [f64(g, [5]), fixed(int32([3], []))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5) }),
  },
  {
    name: 'crossEntropy unbatched [1] (one class), none',
    inputs: (g) => [f64(g, [1]), fixed(int32([0], []))],
    f: (x, t) => crossEntropy(x, t, { reduction: 'none' }),
  },
  {
    name: 'crossEntropy size 0 batch with weight, sum',
    inputs: (g) => [f64(g, [0, 5]), fixed(int32([]))],
    f: (x, t) => crossEntropy(x, t, { weight: weight(W5), reduction: 'sum' }),
  },
  {
    name: 'crossEntropy every target ignored, sum (zero gradient)',
    inputs: (g) => [f64(g, [3, 5]), fixed(int32([-100, -100, -100]))],
    f: (x, t) => crossEntropy(x, t, { reduction: 'sum' }),
  },
  {
    name: 'crossEntropy probability targets + weight (logits, targets and weight differentiated)',
    inputs: (g) => [f64(g, [3, 5]), softmax(f64(g, [3, 5]), 1), f64(g, [5], 1.5)],
    f: (x, q, w) => crossEntropy(x, q, { weight: w }),
  },
  {
    name: 'crossEntropy probability targets + weight + label smoothing, none',
    inputs: (g) => [f64(g, [3, 5]), softmax(f64(g, [3, 5]), 1), f64(g, [5], 1.5)],
    f: (x, q, w) => crossEntropy(x, q, { weight: w, labelSmoothing: 0.1, reduction: 'none' }),
  },
  {
    name: 'crossEntropy unbatched probability targets + weight',
    inputs: (g) => [f64(g, [5]), softmax(f64(g, [5]), 0), f64(g, [5], 1.5)],
    f: (x, q, w) => crossEntropy(x, q, { weight: w }),
  },
  {
    name: 'nllLoss weight + ignoreIndex, mean',
    inputs: (g) => [f64(g, [5, 5]), fixed(int32([1, -100, 4, 0, 4]))],
    f: (x, t) => nllLoss(logSoftmax(x, 1), t, { weight: weight(W5) }),
  },
  {
    name: 'nllLoss [N, C, d] weight + ignoreIndex 2, none',
    inputs: (g) => [f64(g, [2, 5, 3]), fixed(int32([0, 2, 4, 2, 1, 3], [2, 3]))],
    f: (x, t) => nllLoss(x, t, { weight: weight(W5), ignoreIndex: 2, reduction: 'none' }),
  },
  {
    name: 'nllLoss unbatched [C] with weight',
    inputs: (g) => [f64(g, [5]), fixed(int32([4], []))],
    f: (x, t) => nllLoss(x, t, { weight: weight(W5) }),
  },
  {
    name: 'binaryCrossEntropyWithLogits posWeight [5] (input and target differentiated)',
    inputs: (g) => [f64(g, [3, 5]), softmax(f64(g, [3, 5]), 1)],
    f: (x, y) => binaryCrossEntropyWithLogits(x, y, { posWeight: weight(W5) }),
  },
  {
    name: 'binaryCrossEntropyWithLogits weight [3, 1] + posWeight [5], large logits, sum',
    inputs: (g) => [f64(g, [3, 5]).mul(8), softmax(f64(g, [3, 5]), 1)],
    f: (x, y) =>
      binaryCrossEntropyWithLogits(x, y, {
        weight: tensor(Float64Array.from([0.5, 2, 1]), { dtype: 'float64', shape: [3, 1] }),
        posWeight: weight(W5),
        reduction: 'sum',
      }),
  },
  {
    name: 'binaryCrossEntropyWithLogits weight [17], none',
    inputs: (g) => [f64(g, [17]), softmax(f64(g, [17]), 0)],
    f: (x, y) =>
      binaryCrossEntropyWithLogits(x, y, { weight: f64(new Generator(9), [17]), reduction: 'none' }),
  },
  {
    name: 'mseLoss target [4] broadcast over input [3, 4] (both differentiated)',
    inputs: (g) => [f64(g, [3, 4]), f64(g, [4])],
    f: (x, y) => mseLoss(x, y),
  },
  {
    name: 'mseLoss input [3, 1] against target [1, 5], none',
    inputs: (g) => [f64(g, [3, 1]), f64(g, [1, 5])],
    f: (x, y) => mseLoss(x, y, { reduction: 'none' }),
  },
  {
    name: 'l1Loss input [5] against target [3, 5], sum',
    inputs: (g) => [apart(g, [5]), f64(g, [3, 5]).mul(0.01)],
    f: (x, y) => l1Loss(x, y, { reduction: 'sum' }),
  },
];

describe('gradients of the loss options (float64, central differences)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const g = new Generator(13);
      gradcheck(c.f, c.inputs(g), { name: c.name });
    });
  }
});
