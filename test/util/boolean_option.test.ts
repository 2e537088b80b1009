/** requireBoolean: the one true-or-false check shared by pooling options and the schedulers. */
import { describe, expect, it } from 'vitest';
import { boolean } from '../../src/optim/schedules/checks.js';
import { requireBoolean } from '../../src/util/boolean_option.js';

describe('requireBoolean', () => {
  it('returns a boolean as it is', () => {
    expect(requireBoolean('op', 'flag', false)).toBe(false);
    expect(requireBoolean('op', 'flag', true)).toBe(true);
  });

  it('refuses what would coerce, naming the caller and the option', () => {
    expect(() => requireBoolean('maxPool2d', 'ceilMode', 'false')).toThrow(
      'maxPool2d: ceilMode must be true or false, got "false"',
    );
    expect(() => requireBoolean('op', 'flag', undefined)).toThrow(
      'op: flag must be true or false, got undefined',
    );
  });

  it('is the check the schedulers use', () => {
    expect(boolean).toBe(requireBoolean);
  });
});
