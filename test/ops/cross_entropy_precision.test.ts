/**
 * crossEntropy keeps its precision at any logit magnitude (issue 12, item 4): for logits [a, a] the
 * loss is log 2 whatever a is, as in PyTorch, where descent used to give 0.75 at 1e15 and 0 from
 * 1e18 (a blown-up network reported a loss of 0). Every path is checked, forward and gradient: the
 * fused kernel (2-D logits, class indices), label smoothing, probability targets, spatial [N, C, d]
 * logits and logSoftmax itself (row and strided layouts), on every backend and WebAssembly build.
 *
 * Expected values are derived by hand: equal logits give log-probabilities −log C; the row
 * [a, −a, 0] gives [0, −2a, −a] once e^−a underflows (a ≥ 1e15), with −2a overflowing float32 to
 * −∞ at a = 3e38, as PyTorch 1.13 computes them. At a = 1 the values are PyTorch 1.13's.
 */
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  backward,
  crossEntropy,
  logSoftmax,
  ReferenceBackend,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { ulps, wasmBackends } from '../backend/wasm_helpers.js';
import { backends } from '../backends.js';

const allBackends: { name: string; backend: Backend }[] = [
  ...backends,
  ...wasmBackends.map(({ variant, backend }) => ({ name: `wasm ${variant}`, backend })),
];

/** Label smoothing used by the smoothing path: q = (1 − ε)·onehot + ε/C. */
const EPS = 0.25;

interface Case {
  name: string;
  logits: number[];
  label: number;
  /** The row's log-probabilities, by hand. */
  logProbs: number[];
  /** Overrides for a = 1, where the values are PyTorch's: loss per path, gradient per path. */
  torch?: { loss: Record<string, number>; grad: Record<string, number[]> };
}

const MAGNITUDES = [1, 1e15, 1e18, 1e30, 3e38];

function equalCases(): Case[] {
  const out: Case[] = [];
  for (const a of MAGNITUDES) {
    for (const sign of [1, -1]) {
      for (const classes of [2, 5]) {
        out.push({
          name: `${classes} equal logits of ${sign * a}`,
          logits: new Array(classes).fill(sign * a),
          label: classes - 1,
          logProbs: new Array(classes).fill(-Math.log(classes)),
        });
      }
    }
  }
  return out;
}

function mixedCases(): Case[] {
  const out: Case[] = [];
  for (const a of MAGNITUDES.slice(1)) {
    const twoA = Math.fround(2 * a); // Infinity at 3e38, as float32 logits minus their maximum overflow
    for (const label of [0, 1, 2]) {
      out.push({
        name: `[${a}, ${-a}, 0] at label ${label}`,
        logits: [a, -a, 0],
        label,
        logProbs: [0, -twoA, -a],
      });
    }
  }
  return out;
}

/** [1, −1, 0] at label 1: PyTorch 1.13's values (cross_entropy, float32). */
const torchSmall: Case = {
  name: '[1, -1, 0] at label 1 (PyTorch 1.13)',
  logits: [1, -1, 0],
  label: 1,
  logProbs: [-0.4076060354709625, -2.4076061248779297, -1.4076060056686401],
  torch: {
    loss: { labels: 2.4076061248779297, smoothing: 2.1576061248779297, probabilities: 2.4076061248779297 },
    grad: {
      labels: [0.6652408838272095, -0.9099694490432739, 0.2447284609079361],
      smoothing: [0.5819075107574463, -0.7433027625083923, 0.1613951176404953],
      probabilities: [0.6652408838272095, -0.9099694490432739, 0.2447284609079361],
    },
  },
};

const cases = [...equalCases(), ...mixedCases(), torchSmall];

/** The target distribution a path uses. */
function targetOf(path: string, c: Case): number[] {
  const classes = c.logits.length;
  const onehot = c.logits.map((_, i) => (i === c.label ? 1 : 0));
  return path === 'smoothing' ? onehot.map((v) => (1 - EPS) * v + EPS / classes) : onehot;
}

/**
 * The loss by PyTorch's formula for each path, by hand from the case's log-probabilities: picked
 * (−log p_t), smoothed ((1 − ε)·(−log p_t) − ε·mean log p) or summed (−Σ q·log p, where 0·(−∞) is
 * NaN, as in PyTorch); the gradient is p − q on every path.
 */
function expected(path: string, c: Case): { loss: number; grad: number[] } {
  if (c.torch && path in c.torch.loss) return { loss: c.torch.loss[path]!, grad: c.torch.grad[path]! };
  const q = targetOf(path, c);
  const picked = -c.logProbs[c.label]!;
  const mean = c.logProbs.reduce((a, b) => a + b, 0) / c.logProbs.length;
  let loss = picked;
  if (path === 'smoothing') loss = (1 - EPS) * picked - EPS * mean;
  if (path === 'probabilities') loss = -q.reduce((a, qi, i) => a + qi * c.logProbs[i]!, 0);
  return { loss, grad: c.logProbs.map((lp, i) => Math.exp(lp) - q[i]!) };
}

const PATHS = ['labels', 'smoothing', 'probabilities', 'spatial'] as const;

/** The loss and the logits' gradient through one path, for one row. */
function run(path: (typeof PATHS)[number], c: Case): { loss: number; grad: number[] } {
  const classes = c.logits.length;
  const x = tensor([c.logits], { requiresGrad: true });
  let loss: Tensor;
  if (path === 'labels') loss = crossEntropy(x, tensor([c.label], { dtype: 'int32' }));
  else if (path === 'smoothing')
    loss = crossEntropy(x, tensor([c.label], { dtype: 'int32' }), { labelSmoothing: EPS });
  else if (path === 'probabilities') loss = crossEntropy(x, tensor([targetOf('labels', c)]));
  else loss = crossEntropy(x.reshape([1, classes, 1]), tensor([[c.label]], { dtype: 'int32' }));
  backward(loss, undefined);
  return { loss: loss.item(), grad: (x.grad!.toArray() as number[][])[0]! };
}

/** Within a few float32 ulps (PyTorch rounds in a different order); infinities and NaN exactly. */
function expectClose(actual: number, wanted: number, what: string): void {
  if (!Number.isFinite(wanted) || wanted === 0) {
    expect(actual, what).toBe(wanted === 0 ? 0 : wanted);
    return;
  }
  expect(ulps(actual, wanted), `${what}: ${actual} vs ${wanted}`).toBeLessThanOrEqual(8);
}

describe.each(allBackends)('crossEntropy precision on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it.each(cases)('$name: the loss and its gradient on every path', (c) =>
    on(() => {
      for (const path of PATHS) {
        const got = run(path, c);
        const want = expected(path === 'spatial' ? 'labels' : path, c);
        expectClose(got.loss, want.loss, `${path} loss`);
        got.grad.forEach((g, i) => {
          expect(
            Math.abs(g - want.grad[i]!),
            `${path} gradient [${i}]: ${g} vs ${want.grad[i]}`,
          ).toBeLessThan(1e-6);
        });
      }
    }),
  );

  it.each(cases)('$name: logSoftmax along rows and along a strided axis', (c) =>
    on(() => {
      const row = logSoftmax(tensor([c.logits]), -1).toArray() as number[][];
      const columns = logSoftmax(tensor([c.logits.map((v) => [v, v])]), 1).toArray() as number[][][];
      c.logProbs.forEach((lp, i) => {
        expectClose(row[0]![i]!, lp, `row [${i}]`);
        expectClose(columns[0]![i]![0]!, lp, `strided [${i}][0]`);
        expectClose(columns[0]![i]![1]!, lp, `strided [${i}][1]`);
      });
    }),
  );

  it('a blown-up batch reports its loss, not 0: [1e18, 1e18] among ordinary rows', () =>
    on(() => {
      const loss = crossEntropy(
        tensor([
          [1e18, 1e18],
          [0, 0],
        ]),
        tensor([0, 1], { dtype: 'int32' }),
      );
      expectClose(loss.item(), Math.LN2, 'mean loss');
    }));
});

describe('crossEntropy precision in float64 (reference backend)', () => {
  it('logits of ±1e300 give log 2 through the fused kernel', () =>
    withBackend(new ReferenceBackend(), () => {
      for (const a of [1e300, -1e300]) {
        const x = tensor([[a, a]], { dtype: 'float64' });
        const loss = crossEntropy(x, tensor([0], { dtype: 'int32' })).item();
        expect(Math.abs(loss - Math.LN2)).toBeLessThan(1e-15);
      }
    }));
});
