/**
 * Gradient checks (central differences in float64 on the reference backend, test/helpers/gradcheck.ts)
 * for the PyTorch options of issue 13 item 7: pooling in ceil mode (windows that run past the input),
 * avgPool2d's countIncludePad with ceil mode and divisorOverride, conv2d 'same' with even effective
 * kernels (the extra pad on the bottom/right; input, weight and bias), clamp with min > max (zero
 * gradient), the values of maxWithIndices/minWithIndices and Dropout(1). Sizes 1 and odd included;
 * inputs are distinct normals, so no window holds a tie.
 */
import { describe, expect, it } from 'vitest';
import {
  avgPool2d,
  clamp,
  conv2d,
  Dropout,
  Generator,
  maxPool2d,
  maxWithIndices,
  minWithIndices,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only.
useReferenceBackend();

function f64(g: Generator, shape: readonly number[]): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = g.normal();
  return tensor(data, { dtype: 'float64', shape });
}

interface Case {
  name: string;
  shapes: number[][];
  f: (...inputs: Tensor[]) => Tensor;
}

const cases: Case[] = [
  {
    name: 'maxPool2d 2, ceilMode, 5×5',
    shapes: [[1, 2, 5, 5]],
    f: (x) => maxPool2d(x, 2, { ceilMode: true }),
  },
  {
    name: 'maxPool2d 3, stride 2, padding 1, ceilMode, 6×7',
    shapes: [[2, 1, 6, 7]],
    f: (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  },
  {
    name: 'maxPool2d 1, ceilMode, a 1×1 input (size 1)',
    shapes: [[1, 1, 1, 1]],
    f: (x) => maxPool2d(x, 1, { ceilMode: true }),
  },
  {
    name: 'maxPool2d values with returnIndices',
    shapes: [[1, 2, 5, 3]],
    f: (x) => maxPool2d(x, [2, 2], { stride: [2, 1], ceilMode: true, returnIndices: true }).values,
  },
  {
    name: 'avgPool2d 2, ceilMode, 5×5',
    shapes: [[1, 2, 5, 5]],
    f: (x) => avgPool2d(x, 2, { ceilMode: true }),
  },
  {
    name: 'avgPool2d 3, stride 2, padding 1, ceilMode, countIncludePad, 6×6',
    shapes: [[1, 2, 6, 6]],
    f: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  },
  {
    name: 'avgPool2d 3, stride 2, padding 1, ceilMode, countIncludePad false, 6×5',
    shapes: [[1, 1, 6, 5]],
    f: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  },
  {
    name: 'avgPool2d [2, 3], divisorOverride 5, ceilMode',
    shapes: [[2, 1, 5, 7]],
    f: (x) => avgPool2d(x, [2, 3], { ceilMode: true, divisorOverride: 5 }),
  },
  {
    name: "conv2d 'same' 2×2 kernel with bias",
    shapes: [[2, 2, 5, 4], [3, 2, 2, 2], [3]],
    f: (x, w, b) => conv2d(x, w, b, { padding: 'same' }),
  },
  {
    name: "conv2d 'same' [4, 3] kernel, groups 2 (im2col path)",
    shapes: [
      [1, 4, 6, 5],
      [2, 2, 4, 3],
    ],
    f: (x, w) => conv2d(x, w, null, { padding: 'same', groups: 2 }),
  },
  {
    name: "conv2d 'same' [2, 2] kernel, dilation [3, 2] (effective 4×3)",
    shapes: [
      [1, 2, 5, 5],
      [2, 2, 2, 2],
    ],
    f: (x, w) => conv2d(x, w, null, { padding: 'same', dilation: [3, 2] }),
  },
  { name: 'clamp(x, 1, -1): min > max', shapes: [[17]], f: (x) => clamp(x, 1, -1) },
  { name: 'maxWithIndices values, axis 1', shapes: [[3, 5]], f: (x) => maxWithIndices(x, 1).values },
  {
    name: 'minWithIndices values, axis 0, keepDim',
    shapes: [[3, 5]],
    f: (x) => minWithIndices(x, 0, true).values,
  },
  { name: 'Dropout(1) in training', shapes: [[3, 5]], f: (x) => new Dropout(1).call(x) },
];

describe('gradients of the conv/pool/clamp/max options (float64, central differences)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const g = new Generator(17);
      const report = gradcheck(
        c.f,
        c.shapes.map((s) => f64(g, s)),
        { name: c.name },
      );
      expect(report.checked).toBeGreaterThan(0);
    });
  }
});
