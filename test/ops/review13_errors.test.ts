/**
 * Error messages fixed after the issue-13 review: a loss's weight or target on another backend is
 * named by the loss and the argument (not "mul:"/"sub:"), max/min name themselves (not argmax) and
 * refuse a non-integer axis as such, and labelSmoothing must be a number (no string coercion).
 */
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  l1Loss,
  max,
  maxWithIndices,
  min,
  minWithIndices,
  mseLoss,
  nllLoss,
  ReferenceBackend,
  type Tensor,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';

const reference = new ReferenceBackend();
const wasm = new WasmBackend();
const onWasm = <T>(fn: () => T): T => withBackend(wasm, fn);
const onReference = <T>(fn: () => T): T => withBackend(reference, fn);

const int = (data: number[]): Tensor =>
  tensor(Int32Array.from(data), { dtype: 'int32', shape: [data.length] });

describe('a loss argument on another backend', () => {
  const logits = onWasm(() => zeros([2, 3]));
  const elsewhere = onReference(() => zeros([2, 3]));
  const classWeight = onReference(() => tensor([1, 2, 3]));
  const where = "is on the reference backend, the input on wasm; create it on the input's backend";

  it('BCE weight and posWeight are named by the loss and the option', () => {
    const target = onWasm(() => zeros([2, 3]));
    expect(() => binaryCrossEntropyWithLogits(logits, target, { weight: elsewhere })).toThrow(
      `binaryCrossEntropyWithLogits: weight ${where}`,
    );
    expect(() => binaryCrossEntropyWithLogits(logits, target, { posWeight: classWeight })).toThrow(
      `binaryCrossEntropyWithLogits: posWeight ${where}`,
    );
  });

  it('class weights of crossEntropy and nllLoss are named by the loss', () => {
    const target = onWasm(() => int([0, 1]));
    expect(() => crossEntropy(logits, target, { weight: classWeight })).toThrow(
      `crossEntropy: weight ${where}`,
    );
    expect(() => nllLoss(logits, target, { weight: classWeight })).toThrow(`nllLoss: weight ${where}`);
    const probabilities = onWasm(() => zeros([2, 3]));
    expect(() => crossEntropy(logits, probabilities, { weight: classWeight })).toThrow(
      `crossEntropy: weight ${where}`,
    );
  });

  it('a target is named by the loss: BCE, mseLoss, l1Loss and probability cross-entropy', () => {
    expect(() => binaryCrossEntropyWithLogits(logits, elsewhere)).toThrow(
      `binaryCrossEntropyWithLogits: target ${where}`,
    );
    expect(() => mseLoss(logits, elsewhere)).toThrow(`mseLoss: target ${where}`);
    expect(() => l1Loss(logits, elsewhere)).toThrow(`l1Loss: target ${where}`);
    expect(() => crossEntropy(logits, elsewhere)).toThrow(`crossEntropy: target ${where}`);
  });

  it('a weight that is not a tensor is still refused with what is accepted', () => {
    const target = onWasm(() => zeros([2, 3]));
    expect(() => binaryCrossEntropyWithLogits(logits, target, { weight: [1, 2, 3] as never })).toThrow(
      'binaryCrossEntropyWithLogits: weight must be a Tensor or null',
    );
  });
});

describe('max and min along one axis', () => {
  it('name themselves for an empty axis, not the argmax they run on', () =>
    onReference(() => {
      expect(() => max(zeros([2, 0]), 1)).toThrow(
        'max: cannot reduce an empty axis (axis 1 has size 0); there is no identity for it',
      );
      expect(() => min(zeros([2, 0]), -1)).toThrow('min: cannot reduce an empty axis (axis -1 has size 0)');
      expect(() => maxWithIndices(zeros([0, 2]), 0)).toThrow('maxWithIndices: cannot reduce an empty axis');
    }));

  it('refuse a non-integer axis as not an integer, naming the caller', () =>
    onReference(() => {
      expect(() => maxWithIndices(zeros([2, 3]), 1.5)).toThrow(
        'maxWithIndices: axis must be an integer, got 1.5',
      );
      expect(() => minWithIndices(zeros([2, 3]), 0.5)).toThrow(
        'minWithIndices: axis must be an integer, got 0.5',
      );
      expect(() => max(zeros([2, 3]), 1.5)).toThrow('max: axis must be an integer, got 1.5');
    }));

  it('still reduce a non-empty axis of a tensor that has an empty other axis', () =>
    onReference(() => {
      expect(max(zeros([0, 3]), 1).shape).toEqual([0]);
    }));
});

describe('crossEntropy labelSmoothing', () => {
  it('accepts 1, as PyTorch: F.cross_entropy([[1, 2, 3], [0, -1, 4]], [0, 2], label_smoothing=1.0)', () =>
    onReference(() => {
      const loss = crossEntropy(
        tensor([
          [1, 2, 3],
          [0, -1, 4],
        ]),
        int([0, 2]),
        { labelSmoothing: 1 },
      );
      expect(loss.item()).toBeCloseTo(2.2161755561828613, 5);
    }));

  it('refuses a string instead of coercing it', () =>
    onReference(() => {
      expect(() => crossEntropy(zeros([2, 3]), int([0, 1]), { labelSmoothing: '0.1' as never })).toThrow(
        'crossEntropy: labelSmoothing must be in [0, 1], got "0.1" (a string; give a number)',
      );
      expect(() => crossEntropy(zeros([2, 3]), int([0, 1]), { labelSmoothing: true as never })).toThrow(
        'crossEntropy: labelSmoothing must be in [0, 1], got true (a boolean; give a number)',
      );
    }));
});
