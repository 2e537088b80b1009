/**
 * A property-based differential test of the backends: every elementwise op, reduction and activation
 * of the gradient table (and the comparisons, mean, max/min along an axis and argmax/argmin), forward
 * and backward, on random shapes (size-0 and size-1 dimensions among them), with broadcasting, on
 * transposed, step-sliced and expanded views, and on edge values (NaN, ±inf, ±0, denormals, ties,
 * huge and tiny magnitudes), computed by every wasm build this runtime runs (scalar, SIMD, relaxed
 * SIMD) and by the wasm thread pool, and compared with the reference backend.
 *
 * Int32 operands (extremes, overflowing products) go through the ops that take them, without
 * gradients. The thread pool takes part in matrix products and convolutions only; here it checks
 * that the shared-memory build gives the same results as the others.
 *
 * The allowance is the same bits (NaN meets NaN, −0 differs from +0) except where a kernel is an
 * approximation the architecture documents (exp, log, tanh, sigmoid, erf, elu, softplus, GELU, pow,
 * softmax): then the documented ulps forward, and backward that error carried through the gradient's
 * formula (test/helpers/differential_bounds.ts). Sums give the same bits while no reduced axis
 * reaches the eight float64 lanes of the wasm sum, which the default shapes never do
 * (test/helpers/differential_inputs.ts); the 'over long axes' cases draw axes of 8 to 40 and allow
 * the reordering bound. The relaxed build fuses multiply-adds only in the matrix product, so it is
 * held to the same bits here.
 *
 * fast-check shrinks a failure to a small case and prints its seed and path (replay with
 * `{ seed, path }` in fc.assert). RUNS = 100 drawn cases for each of the 68 op cases, each run on the
 * reference and up to four wasm backends: about 15 s on two busy cores (20 s with the imports), a
 * small part of the suite's budget, while 100 cases per op already meet every class of edge value
 * and every layout many times over. DESCENT_DIFFERENTIAL_RUNS=1000 searches longer (about a minute);
 * at 1000 it found the reference's int32 product below, and that wasm_parity's softmax floor of
 * 1e-45 is less than one denormal step (differential_bounds.ts).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gradRules } from '../../src/autograd/grad_rules.js';
import type { Backend } from '../../src/backend/backend.js';
import { ulpsOf } from '../../src/backend/precision.js';
import { closeWasmThreads, createThreadedWasmBackend } from '../../src/backend/wasm/threads_node.js';
import { mul, ReferenceBackend, square, tensor, withBackend } from '../../src/index.js';
import {
  COMPOSED_CASES,
  type Excluded,
  INT32_CASES,
  KERNEL_COVERAGE,
  type OpCase,
  PRIMITIVE_CASES,
} from '../helpers/differential_cases.js';
import { type Perturbation, PerturbedBackend } from '../helpers/differential_perturbed.js';
import { compareOutcomes, type DrawnCase, drawnCase, execute } from '../helpers/differential_run.js';
import { runnableVariants, wasmBackends } from './wasm_helpers.js';

const RUNS = Number(process.env.DESCENT_DIFFERENTIAL_RUNS ?? 100);
const reference = new ReferenceBackend();
const best = runnableVariants().includes('relaxed-simd') ? 'relaxed-simd' : 'simd';
const threaded = createThreadedWasmBackend({ threads: 2, variant: best });
afterAll(() => closeWasmThreads(threaded));

const subjects: { label: string; backend: Backend }[] = [
  ...wasmBackends.map(({ variant, backend }) => ({ label: `wasm ${variant}`, backend })),
  { label: `wasm ${best} with 2 threads`, backend: threaded },
];

const isCase = (c: OpCase | Excluded): c is OpCase => !('excluded' in c);

/** The ops a Precision gives ulps for, as the op table names them (its unary and binary primitives). */
const DECLARABLE = {
  exp: true,
  log: true,
  sigmoid: true,
  tanh: true,
  erf: true,
  elu: true,
  softplus: true,
  gelu: true,
  pow: true,
  neg: true,
  abs: true,
  sqrt: true,
  rsqrt: true,
  relu: true,
  add: true,
  sub: true,
  mul: true,
  div: true,
} as const;
const cases: [string, OpCase][] = [
  ...Object.entries(PRIMITIVE_CASES).filter((e): e is [string, OpCase] => isCase(e[1])),
  ...Object.entries(COMPOSED_CASES),
  ...Object.entries(INT32_CASES),
];

/** The property for one op: every subject agrees with the reference on the drawn case. */
function agree(
  name: string,
  op: OpCase,
  against = subjects,
  parameters: fc.Parameters<[DrawnCase]> = {},
): void {
  fc.assert(
    fc.property(drawnCase(op), (c) => {
      const r = execute(reference, op, c, op.backward !== undefined);
      for (const { label, backend } of against) {
        compareOutcomes(op, c, r, execute(backend, op, c, false), `${name} on ${label}`);
      }
    }),
    { numRuns: RUNS, ...parameters },
  );
}

describe('cases this test found', () => {
  it("int32 products and squares wrap around in two's complement on the reference backend too (4301023·(2³¹ − 1))", () => {
    const wrap = (a: bigint, b: bigint) => Number(BigInt.asIntN(32, a * b));
    for (const backend of [reference, ...subjects.map((s) => s.backend)]) {
      withBackend(backend, () => {
        const x = tensor(Int32Array.from([4301023, -123605739, 46341]));
        const y = tensor(Int32Array.from([2147483647, 3, -46341]));
        expect(Array.from(mul(x, y).data()), backend.name).toEqual([
          wrap(4301023n, 2147483647n),
          wrap(-123605739n, 3n),
          wrap(46341n, -46341n),
        ]);
        expect(Array.from(square(x).data()), backend.name).toEqual([
          wrap(4301023n, 4301023n),
          wrap(-123605739n, -123605739n),
          wrap(46341n, 46341n),
        ]);
      });
    }
  });
});

describe('the op table', () => {
  it('has a case or a stated exclusion for every primitive of the gradient table, and nothing else', () => {
    expect(Object.keys(PRIMITIVE_CASES).sort()).toEqual(Object.keys(gradRules).sort());
    for (const [name, c] of Object.entries(PRIMITIVE_CASES)) {
      if (!isCase(c)) expect(c.excluded.length, `${name}'s exclusion states a reason`).toBeGreaterThan(20);
    }
  });

  it('drives every elementwise and reduction kernel of the backend through some case', () => {
    const named = new Set(cases.map(([name]) => name));
    const missing = Object.entries(KERNEL_COVERAGE).filter(([, name]) => !named.has(name));
    expect(missing).toEqual([]);
  });
});

describe('the allowances are what the backends declare', () => {
  // A case's forward ulps for an elementwise op or reduction is the subject's declared precision
  // (src/backend/wasm/precision.ts): changing a declaration fails here, not silently elsewhere.
  const declared = cases.filter(([name, op]) => typeof op.forward === 'number' && name in DECLARABLE);
  it.each(declared)('%s', (name, op) => {
    for (const { label, backend } of subjects) {
      expect(op.forward, label).toBe(ulpsOf(backend.precision, name as keyof typeof DECLARABLE));
    }
  });
});

describe(`${subjects.map((s) => s.label).join(', ')} agree with the reference backend (property-based)`, () => {
  it.each(cases)('%s, forward and backward', (name, op) => {
    agree(name, op);
  });
});

/** The assertion that failed a property (fast-check keeps it as the error's cause), or 'passed'. */
function failure(run: () => void): string {
  try {
    run();
  } catch (e) {
    const cause = (e as Error).cause;
    return cause instanceof Error ? cause.message : String(e);
  }
  return 'passed';
}

describe('the comparison is not vacuous: a backend with one deliberate defect fails it', () => {
  const all = Object.fromEntries(cases);
  const defects: [Perturbation, string, RegExp][] = [
    ['relu of NaN is 0', 'relu', /relu on .*: forward: element \d+ of \d+ is 0, the reference gives NaN/],
    ['exp 8 ulps high', 'exp', /exp on .*: forward: .*allowed 1 ulps/],
    ['neg of +0 is +0', 'neg', /neg on .*: forward: .*is 0, the reference gives -0/],
    ['neg of +0 is +0', 'sub', /sub on .*: gradient of operand 1/],
    ['div 1 ulp high', 'mean', /mean on .*same bits required/],
    ['sum 1 ulp high', 'variance', /variance on .*same bits required/],
    ['sum 1 ulp high', 'add', /add on .*: gradient of operand/],
    ['tanh gradient 2⁻¹⁶ high', 'tanh', /tanh on .*: gradient of operand 0/],
    ['softmax 2⁻¹⁸ high', 'softmax', /softmax on .*: forward/],
  ];
  // A fixed seed: whether a defect is met within the runs must not depend on the draw.
  it.each(defects)('%s: caught by %s', (defect, name, message) => {
    const broken = [{ label: defect, backend: new PerturbedBackend(defect) }];
    expect(failure(() => agree(name, all[name]!, broken, { seed: 20261204, numRuns: 200 }))).toMatch(message);
  });
});
