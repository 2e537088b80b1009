import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';

/** A scalar operand of an int32 tensor must be an int32 value: a fill would wrap, zero NaN or truncate. */
describe('int32 tensor with a scalar operand', () => {
  const five = () => tensor([5], { dtype: 'int32' });

  it('refuses a scalar past the int32 range instead of wrapping it', () => {
    expect(() => five().add(3e9)).toThrow(/add: the scalar is 3000000000.*int32 holds integers.*\.float\(\)/);
  });

  it('refuses NaN and infinity instead of storing 0', () => {
    expect(() => five().mul(Number.NaN)).toThrow(/mul: the scalar is NaN.*int32 has no NaN.*\.float\(\)/);
    expect(() => five().sub(Number.POSITIVE_INFINITY)).toThrow(/sub: .*int32 has no infinity.*\.float\(\)/);
  });

  it('refuses a fractional scalar, where PyTorch would promote to float', () => {
    expect(() => five().add(0.5)).toThrow(
      /add: the scalar 0.5 is not an integer.*cast the tensor with \.float\(\)/,
    );
  });

  it('still takes integer scalars, including the int32 extremes', () => {
    expect(Array.from(five().add(3).data())).toEqual([8]);
    expect(Array.from(five().mul(-2).data())).toEqual([-10]);
    expect(
      Array.from(
        tensor([0], { dtype: 'int32' })
          .add(-(2 ** 31))
          .data(),
      ),
    ).toEqual([-(2 ** 31)]);
  });

  it('leaves float tensors free to take any scalar', () => {
    expect(Array.from(tensor([5]).add(0.5).data())).toEqual([5.5]);
  });
});
