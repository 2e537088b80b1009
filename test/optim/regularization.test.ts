import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AdamW,
  clipGradNorm_,
  clipGradValue_,
  l1Penalty,
  l2Penalty,
  SGD,
  type Tensor,
  tensor,
  weightDecayGroups,
  withBackend,
  zeros,
} from '../../src/index.js';
import { backends } from '../backends.js';

interface Serialized {
  shape: number[];
  data: number[];
}
const clip = JSON.parse(readFileSync(new URL('../fixtures/clip.json', import.meta.url), 'utf8')) as {
  cases: {
    kind: 'norm' | 'value';
    grads: Serialized[];
    clipped: Serialized[];
    maxNorm?: number;
    normType?: 2 | 'inf';
    totalNorm?: number;
    clipValue?: number;
  }[];
};

function close(actual: ArrayLike<number>, expected: number[], rtol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(1e-7 + rtol * Math.abs(expected[i]!));
  }
}

describe.each(backends)('regularization on $name', ({ backend }) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it(
    'l2Penalty is λ·Σw² over the weights only, unless biases are included',
    run(() => {
      const w = tensor(
        [
          [1, -2],
          [3, 0.5],
        ],
        { requiresGrad: true },
      );
      const b = tensor([10, -10], { requiresGrad: true });
      expect(l2Penalty([w, b], 0.1).item()).toBeCloseTo(0.1 * (1 + 4 + 9 + 0.25), 6);
      expect(l2Penalty([w, b], 0.1, { includeBiases: true }).item()).toBeCloseTo(0.1 * (14.25 + 200), 4);
      l2Penalty([w, b], 0.1).backward();
      expect(Array.from(w.grad!.data())).toEqual([0.2, -0.4, 0.6, 0.1].map(Math.fround));
      expect(b.grad).toBeNull();
    }),
  );

  it(
    'l1Penalty is λ·Σ|w| with gradient λ·sign(w)',
    run(() => {
      const w = tensor(
        [
          [1, -2],
          [3, 0],
        ],
        { requiresGrad: true },
      );
      const loss = l1Penalty([w, tensor([5])], 0.5);
      expect(loss.item()).toBe(3);
      loss.backward();
      expect(w.grad!.toArray()).toEqual([
        [0.5, -0.5],
        [0.5, 0],
      ]);
      expect(l1Penalty([], 1).item()).toBe(0);
      expect(() => l1Penalty([w], -1)).toThrow('l1Penalty: lambda must be a non-negative number, got -1');
    }),
  );

  it(
    'weightDecayGroups decays weights and leaves biases alone in AdamW',
    run(() => {
      const w = tensor([[1, 1]], { requiresGrad: true });
      const b = tensor([1], { requiresGrad: true });
      const opt = new AdamW(weightDecayGroups([w, b], 0.5), { lr: 0.1 });
      w.grad = zeros([1, 2]);
      b.grad = zeros([1]);
      opt.step();
      // zero gradient: Adam's step is 0, so only the decay moves θ: θ·(1 − lr·λ) for the weight.
      close(w.data(), [0.95, 0.95]);
      expect(Array.from(b.data())).toEqual([1]);
    }),
  );

  for (const [k, c] of clip.cases.entries()) {
    it(
      `matches torch.nn.utils.clip_grad_${c.kind}_ (case ${k})`,
      run(() => {
        const params: Tensor[] = c.grads.map((g) => {
          const p = zeros(g.shape, { requiresGrad: true });
          p.grad = tensor(g.data, { shape: g.shape });
          return p;
        });
        if (c.kind === 'norm') {
          const total = clipGradNorm_(params, c.maxNorm!, c.normType === 'inf' ? Infinity : 2).item();
          expect(Math.abs(total - c.totalNorm!)).toBeLessThanOrEqual(1e-6 * c.totalNorm!);
        } else {
          clipGradValue_(params, c.clipValue!);
        }
        params.forEach((p, i) => {
          close(p.grad!.data(), c.clipped[i]!.data);
        });
      }),
    );
  }

  it(
    'clipping validates its arguments',
    run(() => {
      expect(() => clipGradNorm_([], -1)).toThrow(
        'clipGradNorm_: maxNorm must be a non-negative number, got -1',
      );
      expect(() => clipGradNorm_([], 1, 3 as never)).toThrow(
        'clipGradNorm_: normType must be 2 or Infinity, got 3',
      );
      expect(() => clipGradValue_([], Number.NaN)).toThrow(
        'clipGradValue_: clipValue must be a non-negative number',
      );
    }),
  );

  it(
    'SGD weightDecay couples λθ into the gradient, as PyTorch',
    run(() => {
      const p = tensor([2], { requiresGrad: true });
      const opt = new SGD([p], { lr: 0.1, weightDecay: 0.5 });
      p.grad = tensor([1]);
      opt.step();
      close(p.data(), [2 - 0.1 * (1 + 0.5 * 2)]);
    }),
  );
});
