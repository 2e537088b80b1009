/**
 * Runs one drawn case of the differential test on one backend — the forward op on views of fresh
 * leaves, then backward with the drawn upstream gradient — and compares a wasm backend's outcome
 * with the reference backend's, element by element, with the allowance the op's case states.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { expand, scope, tensor, withBackend } from '../../src/index.js';
import { sizeOf } from '../../src/tensor/shape.js';
import type { OpCase } from './differential_cases.js';
import { type Allowance, BITS, baseIndices, boundOnBase, firstMismatch } from './differential_compare.js';
import { type InputCase, inputCase, materialize, shape, upstream } from './differential_inputs.js';

/** One drawn case: the operands (views and data), the upstream gradient's values, the parameters. */
export interface DrawnCase {
  readonly inputs: InputCase[];
  readonly g: number[];
  readonly params: unknown;
}

export function drawnCase(op: OpCase): fc.Arbitrary<DrawnCase> {
  return (op.shape ?? shape).chain((s) => {
    // Operands broadcast to at most s, with 1 where both hold 1 against a 0 of s.
    const most = sizeOf(s.map((d) => Math.max(d, 1)));
    return op.operands(s).chain((shapes) =>
      fc.record({
        inputs: fc.tuple(...shapes.map((x) => inputCase(x, op.dtype, op.layouts))),
        g: fc.array(upstream, { minLength: most, maxLength: most }),
        params: op.params(shapes),
      }),
    );
  });
}

/** What one backend computed, or the message it refused the case with. */
export interface Outcome {
  readonly error?: string;
  readonly y?: { shape: number[]; dtype: string; values: number[] };
  /** Each operand leaf's gradient (null where it has none). */
  readonly grads?: (number[] | null)[];
  /** Reference only, for the bounds: each operand broadcast to the output, and where it is stored. */
  readonly broadcast?: { values: number[]; indices: Int32Array }[];
}

export function execute(backend: Backend, op: OpCase, c: DrawnCase, forBounds: boolean): Outcome {
  return withBackend(backend, () =>
    scope(() => {
      try {
        const ins = c.inputs.map((x, i) => materialize(x, op.differentiable[i]!));
        const y = op.run(
          ins.map((t) => t.view),
          c.params,
        );
        const out = { shape: [...y.shape], dtype: y.dtype, values: Array.from(y.data()) };
        if (!y.requiresGrad) return { y: out };
        y.backward(tensor(Float32Array.from(c.g.slice(0, y.size)), { shape: y.shape }));
        const grads = ins.map(({ leaf }) => (leaf.grad ? Array.from(leaf.grad.data()) : null));
        if (!forBounds) return { y: out, grads };
        const broadcast = ins.map(({ view }) => {
          const b = expand(view.detach(), y.shape);
          const v = b.strided();
          return { values: Array.from(b.data()), indices: baseIndices(v.shape, v.strides, v.offset) };
        });
        return { y: out, grads, broadcast };
      } catch (e) {
        return { error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
      }
    }),
  );
}

/** A value as the message shows it, −0 and NaN distinct. */
const show = (v: number | undefined) => (Object.is(v, -0) ? '-0' : String(v));

function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  a: Allowance,
  what: string,
): void {
  const i = firstMismatch(actual, expected, a);
  const detail =
    i < 0
      ? ''
      : `: element ${i} of ${expected.length} is ${show(actual[i])}, the reference gives ${show(expected[i])}` +
        (a.bound
          ? ` (allowed ${a.ulps} ulps or ${a.bound[i]})`
          : a.ulps
            ? ` (allowed ${a.ulps} ulps)`
            : ' (same bits required)');
  expect(i, `${what}${detail}`).toBe(-1);
}

/** The wasm outcome `w` against the reference outcome `r` for the drawn case `c`. */
export function compareOutcomes(op: OpCase, c: DrawnCase, r: Outcome, w: Outcome, label: string): void {
  expect(w.error, `${label}: refused or not as the reference`).toBe(r.error);
  if (r.error !== undefined) return;
  expect(w.y!.shape, `${label}: output shape`).toEqual(r.y!.shape);
  expect(w.y!.dtype, `${label}: output dtype`).toBe(r.y!.dtype);
  const forward: Allowance =
    typeof op.forward === 'number' ? { ulps: op.forward } : { ulps: 0, bound: op.forward(r.y!.values, c) };
  expectClose(w.y!.values, r.y!.values, forward, `${label}: forward`);
  expect(w.grads === undefined, `${label}: whether backward ran`).toBe(r.grads === undefined);
  if (r.grads === undefined) return;
  const bounds = op.backward?.({
    inputs: r.broadcast!.map((b) => b.values),
    y: r.y!.values,
    g: c.g.slice(0, r.y!.values.length),
    shape: r.y!.shape,
    params: c.params,
  });
  r.grads.forEach((rg, i) => {
    const wg = w.grads![i]!;
    expect(wg === null, `${label}: whether operand ${i} has a gradient`).toBe(rg === null);
    if (rg === null) return;
    const allowance: Allowance = bounds
      ? { ulps: 0, bound: boundOnBase(bounds[i]!, r.broadcast![i]!.indices, rg) }
      : BITS;
    expectClose(wg, rg, allowance, `${label}: gradient of operand ${i}`);
  });
}
