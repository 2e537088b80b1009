/**
 * The losses' PyTorch options (issue 13, item 7), on every backend: crossEntropy/nllLoss `weight`,
 * `ignoreIndex` and unbatched [C] input, binaryCrossEntropyWithLogits `weight` and `posWeight`,
 * mseLoss/l1Loss with broadcasting targets, and the errors for what PyTorch refuses.
 *
 * PyTorch's values for every option are in the golden fixture (test/ops/golden.test.ts, cases
 * `lossOptions/…` from gen_ops.py's gen_loss_options); these specs check the rules themselves against
 * values derived independently (the plain loss of a subset, a hand-worked formula), and the messages.
 * Gradients are checked in loss_options_gradcheck.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { hasFused, type WithFused } from '../../src/backend/capabilities.js';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  l1Loss,
  logSoftmax,
  mseLoss,
  nllLoss,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { backends } from '../backends.js';
import { expectClose } from '../helpers/golden.js';

const int = (data: number[], shape?: number[]): Tensor =>
  tensor(Int32Array.from(data), { dtype: 'int32', shape: shape ?? [data.length] });

/** Logits [4, 3] whose rows all have different losses at every class. */
const LOGITS = [
  [0.5, -1.25, 2.0],
  [1.5, 0.25, -0.75],
  [-2.0, 0.0, 1.0],
  [0.3, 0.9, -0.4],
];
const WEIGHT = [0.5, 2.0, 1.25];

/** −log softmax(row)[t] in float64, by hand. */
function nll(row: readonly number[], t: number): number {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return lse - row[t]!;
}

function close(actual: number, expected: number, label: string): void {
  expectClose([actual], [expected], 1e-5, 1e-6, label);
}

describe.each(backends)('loss options on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe('crossEntropy weight and ignoreIndex', () => {
    it("weight: 'none' scales each row by its target's weight and 'mean' divides by their sum", () =>
      on(() => {
        const targets = [2, 0, 1, 1];
        const rows = targets.map((t, i) => WEIGHT[t]! * nll(LOGITS[i]!, t));
        const opts = { weight: tensor(WEIGHT) };
        const none = crossEntropy(tensor(LOGITS), int(targets), { ...opts, reduction: 'none' });
        expectClose(none.data(), rows, 1e-5, 1e-6, 'none');
        const total = targets.reduce((s, t) => s + WEIGHT[t]!, 0);
        close(
          crossEntropy(tensor(LOGITS), int(targets), opts).item(),
          rows.reduce((a, b) => a + b) / total,
          'mean',
        );
        close(
          crossEntropy(tensor(LOGITS), int(targets), { ...opts, reduction: 'sum' }).item(),
          rows.reduce((a, b) => a + b),
          'sum',
        );
      }));

    it('ignored targets (default −100) add 0 and leave the mean: it equals the mean over the others', () =>
      on(() => {
        const none = crossEntropy(tensor(LOGITS), int([2, -100, 1, -100]), { reduction: 'none' }).data();
        expect(none[1]).toBe(0);
        expect(none[3]).toBe(0);
        const mean = crossEntropy(tensor(LOGITS), int([2, -100, 1, -100])).item();
        const subset = crossEntropy(tensor([LOGITS[0]!, LOGITS[2]!]), int([2, 1])).item();
        close(mean, subset, 'mean over the two counted rows');
      }));

    it('a custom ignoreIndex may be a class: its targets are skipped, −100 is then a bad index', () =>
      on(() => {
        const opts = { ignoreIndex: 1, weight: tensor(WEIGHT) };
        const mean = crossEntropy(tensor(LOGITS), int([2, 1, 0, 1]), opts).item();
        const want =
          (WEIGHT[2]! * nll(LOGITS[0]!, 2) + WEIGHT[0]! * nll(LOGITS[2]!, 0)) / (WEIGHT[2]! + WEIGHT[0]!);
        close(mean, want, 'weighted mean without class 1');
        expect(() => crossEntropy(tensor(LOGITS), int([2, -100, 0, 1]), opts)).toThrow(
          'crossEntropy: target index -100 is out of range for axis 1 of size 3; indices must lie in [0, 2] or equal ignoreIndex (1)',
        );
      }));

    it("every target ignored: 'mean' is NaN (0/0, as PyTorch), 'sum' 0, and the gradient is 0", () =>
      on(() => {
        const x = tensor(LOGITS, { requiresGrad: true });
        const t = int([-1, -1, -1, -1]);
        expect(crossEntropy(x, t, { ignoreIndex: -1, reduction: 'sum' }).item()).toBe(0);
        const mean = crossEntropy(x, t, { ignoreIndex: -1 });
        expect(mean.item()).toBeNaN();
        mean.backward();
        expectClose(x.grad!.data(), new Array(12).fill(0), 0, 0, 'gradient'); // ±0
        const smoothed = crossEntropy(x, t, { ignoreIndex: -1, labelSmoothing: 0.1, weight: tensor(WEIGHT) });
        expect(smoothed.item()).toBeNaN();
      }));

    it('a NaN logit in an ignored row stays out of the loss (masked, not multiplied by 0)', () =>
      on(() => {
        const rows = LOGITS.map((r) => [...r]);
        rows[1]![2] = Number.NaN;
        for (const labelSmoothing of [0, 0.1]) {
          const loss = crossEntropy(tensor(rows), int([2, -100, 1, 0]), {
            labelSmoothing,
            weight: tensor(WEIGHT),
          });
          expect(Number.isFinite(loss.item()), `labelSmoothing ${labelSmoothing}`).toBe(true);
        }
      }));

    it('label smoothing with weight and ignoreIndex follows PyTorch 1.13 (cross_entropy_loss_label_smoothing)', () =>
      on(() => {
        const eps = 0.2;
        const targets = [2, -100, 1, 0];
        const counted = [0, 2, 3];
        const smooth = (row: readonly number[]): number => WEIGHT.reduce((s, w, c) => s + w * nll(row, c), 0); // −Σ_c w_c log p_c
        const rows = counted.map(
          (i) =>
            (1 - eps) * WEIGHT[targets[i]!]! * nll(LOGITS[i]!, targets[i]!) + (eps / 3) * smooth(LOGITS[i]!),
        );
        const divisor = counted.reduce((s, i) => s + WEIGHT[targets[i]!]!, 0);
        const mean = crossEntropy(tensor(LOGITS), int(targets), {
          labelSmoothing: eps,
          weight: tensor(WEIGHT),
        });
        close(mean.item(), rows.reduce((a, b) => a + b) / divisor, 'mean');
      }));

    it.skipIf(!hasFused(backend, 'softmaxCrossEntropy'))(
      'the weighted and ignored class-index case runs the fused softmax-cross-entropy kernel once (skipped on a backend without it)',
      () =>
        on(() => {
          const spy = vi.spyOn(backend as WithFused<'softmaxCrossEntropy'>, 'softmaxCrossEntropy');
          try {
            crossEntropy(tensor(LOGITS), int([2, -100, 1, 0]), { weight: tensor(WEIGHT) });
            expect(spy).toHaveBeenCalledTimes(1);
          } finally {
            spy.mockRestore();
          }
        }),
    );

    it('[N, C, d] logits: weights and ignored targets per position', () =>
      on(() => {
        // [2, 3, 2]: sample n, position d holds LOGITS[2n + d].
        const data = [0, 1].map((n) => [0, 1, 2].map((c) => [0, 1].map((d) => LOGITS[2 * n + d]![c]!)));
        const targets = [2, -100, 1, 0];
        const loss = crossEntropy(tensor(data), int(targets, [2, 2]), {
          weight: tensor(WEIGHT),
          reduction: 'none',
        });
        expect(loss.shape).toEqual([2, 2]);
        const want = targets.map((t, i) => (t < 0 ? 0 : WEIGHT[t]! * nll(LOGITS[i]!, t)));
        expectClose(loss.data(), want, 1e-5, 1e-6, 'per position');
      }));
  });

  describe('unbatched [C] input with a 0-d target', () => {
    it("gives a 0-d 'none' loss equal to the batched one", () =>
      on(() => {
        const none = crossEntropy(tensor(LOGITS[1]!), int([2], []), { reduction: 'none' });
        expect(none.shape).toEqual([]);
        close(none.item(), nll(LOGITS[1]!, 2), 'crossEntropy');
        const weighted = crossEntropy(tensor(LOGITS[1]!), int([2], []), { weight: tensor(WEIGHT) });
        close(weighted.item(), nll(LOGITS[1]!, 2), 'weighted mean of one sample');
        const lp = logSoftmax(tensor(LOGITS[3]!), 0);
        close(nllLoss(lp, int([0], []), { reduction: 'sum' }).item(), nll(LOGITS[3]!, 0), 'nllLoss');
      }));

    it("an ignored unbatched target: 'none' 0, 'mean' NaN", () =>
      on(() => {
        expect(crossEntropy(tensor(LOGITS[0]!), int([-100], []), { reduction: 'none' }).item()).toBe(0);
        expect(crossEntropy(tensor(LOGITS[0]!), int([-100], [])).item()).toBeNaN();
      }));

    it('probability targets [C]', () =>
      on(() => {
        const q = [0.25, 0.25, 0.5];
        const want = q.reduce((s, p, c) => s + p * nll(LOGITS[2]!, c), 0);
        const loss = crossEntropy(tensor(LOGITS[2]!), tensor(q), { reduction: 'none' });
        expect(loss.shape).toEqual([]);
        close(loss.item(), want, 'soft target');
      }));
  });

  describe('probability targets with weight', () => {
    it("'mean' divides by the number of rows, not the weights (PyTorch's cross_entropy_loss_prob_target)", () =>
      on(() => {
        const q = [
          [0.1, 0.2, 0.7],
          [1, 0, 0],
        ];
        const per = q.map((row, n) => row.reduce((s, p, c) => s + WEIGHT[c]! * p * nll(LOGITS[n]!, c), 0));
        const loss = crossEntropy(tensor(LOGITS.slice(0, 2)), tensor(q), { weight: tensor(WEIGHT) });
        close(loss.item(), (per[0]! + per[1]!) / 2, 'mean');
      }));

    it('a negative ignoreIndex is accepted (it names no class); one ≥ 0 is refused, as PyTorch', () =>
      on(() => {
        const x = tensor(LOGITS.slice(0, 1));
        const q = tensor([[0.2, 0.3, 0.5]]);
        close(crossEntropy(x, q, { ignoreIndex: -1 }).item(), crossEntropy(x, q).item(), 'ignoreIndex −1');
        expect(() => crossEntropy(x, q, { ignoreIndex: 0 })).toThrow(
          'crossEntropy: ignoreIndex (0) is not supported with probability targets (float, shaped like the logits); give class indices (int32) to skip a class, or zero its probabilities',
        );
      }));
  });

  describe('binaryCrossEntropyWithLogits weight and posWeight', () => {
    /** PyTorch's definition in float64: −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))]. */
    const bce = (x: number, y: number, w: number, p: number): number => {
      const logSig = (v: number): number => -Math.log1p(Math.exp(-v));
      return -w * (p * y * logSig(x) + (1 - y) * logSig(-x));
    };

    it('posWeight broadcasts along the last (class) axis, weight over the input', () =>
      on(() => {
        const x = [
          [0.5, -1.5, 2.0],
          [-0.25, 1.0, -3.0],
        ];
        const y = [
          [1, 0, 0.25],
          [0.5, 1, 0],
        ];
        const p = [3, 0.5, 2];
        const w = [0.75, 2];
        const loss = binaryCrossEntropyWithLogits(tensor(x), tensor(y), {
          posWeight: tensor(p),
          weight: tensor([[w[0]!], [w[1]!]]),
          reduction: 'none',
        });
        const want = x.flatMap((row, n) => row.map((v, c) => bce(v, y[n]![c]!, w[n]!, p[c]!)));
        expectClose(loss.data(), want, 1e-5, 1e-6, 'none');
      }));

    it('stays finite and exact at logits ±80 with a posWeight', () =>
      on(() => {
        const loss = binaryCrossEntropyWithLogits(tensor([80, -80, 80, -80]), tensor([0, 1, 1, 0]), {
          posWeight: tensor([2]),
          reduction: 'none',
        });
        // −log σ(−80) = 80 (+e^−80); −2·log σ(−80) = 160; the others are e^−80 ≈ 0.
        expectClose(loss.data(), [80, 160, 0, 0], 1e-6, 1e-6, 'large logits');
      }));

    it('refuses a weight that would enlarge the input, one of another dtype, one requiring a gradient', () =>
      on(() => {
        const x = tensor([
          [0, 1, 2],
          [3, 4, 5],
        ]);
        const y = tensor([
          [0, 1, 0],
          [1, 0, 1],
        ]);
        expect(() =>
          binaryCrossEntropyWithLogits(x, y, { weight: tensor([[[1, 1, 1]], [[1, 1, 1]]]) }),
        ).toThrow(
          "binaryCrossEntropyWithLogits: weight of shape [2, 1, 3] must broadcast to the input's shape [2, 3] without enlarging it",
        );
        expect(() => binaryCrossEntropyWithLogits(x, y, { posWeight: tensor([1, 2]) })).toThrow(
          'binaryCrossEntropyWithLogits: posWeight and input: shapes [2] and [2, 3] cannot be broadcast together (dimension 1 of the result: 2 vs 3)',
        );
        expect(() =>
          binaryCrossEntropyWithLogits(x, y, { posWeight: tensor([1, 2, 3], { dtype: 'int32' }) }),
        ).toThrow(
          'binaryCrossEntropyWithLogits: posWeight is int32 but the input is float32; they must match',
        );
        expect(() =>
          binaryCrossEntropyWithLogits(x, y, { weight: tensor([1, 2, 3], { requiresGrad: true }) }),
        ).toThrow(
          'binaryCrossEntropyWithLogits: weight requires a gradient, but it is a constant of the loss (PyTorch refuses it too); pass weight.detach()',
        );
        expect(() => binaryCrossEntropyWithLogits(x, y, { weight: [1, 2, 3] as never })).toThrow(
          'binaryCrossEntropyWithLogits: weight must be a Tensor or null',
        );
      }));
  });

  describe('mseLoss and l1Loss broadcast the target', () => {
    it("'none' has the broadcast shape and the values of the expanded target", () =>
      on(() => {
        const x = tensor([[1], [2], [4]]); // [3, 1]
        const y = tensor([0, 3]); // [2]
        const mse = mseLoss(x, y, { reduction: 'none' });
        expect(mse.shape).toEqual([3, 2]);
        expect(Array.from(mse.data())).toEqual([1, 4, 4, 1, 16, 1]);
        expect(Array.from(l1Loss(y, x, { reduction: 'none' }).data())).toEqual([1, 2, 2, 1, 4, 1]);
        expect(mseLoss(x, y).item()).toBeCloseTo(27 / 6, 6);
      }));
  });

  describe('bad options name the option and what is accepted', () => {
    it('weight: a Tensor of one value per class, of the input dtype, without a gradient for class targets', () =>
      on(() => {
        const x = tensor(LOGITS);
        const t = int([0, 1, 2, 0]);
        expect(() => crossEntropy(x, t, { weight: tensor([1, 2]) })).toThrow(
          'crossEntropy: weight must hold one value per class, shape [3] for input [4, 3], got [2]',
        );
        expect(() => nllLoss(x, t, { weight: tensor([[1, 2, 3]]) })).toThrow(
          'nllLoss: weight must hold one value per class, shape [3] for input [4, 3], got [1, 3]',
        );
        expect(() => crossEntropy(x, t, { weight: tensor([1, 2, 3], { dtype: 'int32' }) })).toThrow(
          'crossEntropy: weight is int32 but the input is float32; they must match',
        );
        expect(() => crossEntropy(x, t, { weight: [1, 2, 3] as never })).toThrow(
          'crossEntropy: weight must be a Tensor of one weight per class, or null',
        );
        expect(() => crossEntropy(x, t, { weight: tensor(WEIGHT, { requiresGrad: true }) })).toThrow(
          'crossEntropy: weight requires a gradient, but with class-index targets it is a constant (PyTorch refuses it too); pass weight.detach()',
        );
      }));

    it('ignoreIndex must be an integer; a target outside [0, C) is refused unless it is ignoreIndex', () =>
      on(() => {
        const x = tensor(LOGITS);
        expect(() => crossEntropy(x, int([0, 1, 2, 0]), { ignoreIndex: 1.5 })).toThrow(
          'crossEntropy: ignoreIndex must be an integer (a class index whose targets are skipped; default -100), got 1.5',
        );
        expect(() => nllLoss(x, int([0, 1, 2, 0]), { ignoreIndex: '1' as never })).toThrow(
          'nllLoss: ignoreIndex must be an integer (a class index whose targets are skipped; default -100), got "1"',
        );
        expect(() => nllLoss(x, int([0, -1, 2, 0]))).toThrow(
          'nllLoss: target index -1 is out of range for axis 1 of size 3; indices must lie in [0, 2] or equal ignoreIndex (-100)',
        );
      }));

    it('unknown options are refused with the accepted ones listed', () =>
      on(() => {
        const x = tensor(LOGITS);
        const t = int([0, 1, 2, 0]);
        expect(() => crossEntropy(x, t, { pos_weight: 1 } as never)).toThrow(
          "crossEntropy: unknown option 'pos_weight'; accepted: reduction, labelSmoothing, weight, ignoreIndex",
        );
        expect(() => nllLoss(x, t, { labelSmoothing: 0.1 } as never)).toThrow(
          "nllLoss: unknown option 'labelSmoothing'; accepted: reduction, weight, ignoreIndex",
        );
        expect(() => binaryCrossEntropyWithLogits(x, x, { pos_weight: x } as never)).toThrow(
          "binaryCrossEntropyWithLogits: unknown option 'pos_weight'; accepted: reduction, weight, posWeight",
        );
        expect(() => mseLoss(x, x, { weight: x } as never)).toThrow(
          "mseLoss: unknown option 'weight'; accepted: reduction",
        );
        expect(() => l1Loss(x, x, { size_average: true } as never)).toThrow(
          "l1Loss: unknown option 'size_average'; accepted: reduction",
        );
      }));
  });
});
