import { describe, expect, it } from 'vitest';
import { checkOptions, type OptionKeys } from '../../src/util/options.js';

interface Opts {
  stride?: number;
  padding?: number;
  ceilMode?: boolean;
}
const KEYS: OptionKeys<Opts> = { stride: true, padding: true, ceilMode: true };

describe('checkOptions', () => {
  it('passes undefined, an empty object and known keys', () => {
    expect(() => checkOptions<Opts>('pool', undefined, KEYS)).not.toThrow();
    expect(() => checkOptions<Opts>('pool', {}, KEYS)).not.toThrow();
    expect(() => checkOptions<Opts>('pool', { stride: 2, ceilMode: true }, KEYS)).not.toThrow();
  });

  it('refuses an unknown key, naming it and every accepted key in table order', () => {
    expect(() => checkOptions('pool', { stride: 1, bogus: 1 } as Opts, KEYS)).toThrow(
      new TypeError("pool: unknown option 'bogus'; accepted: stride, padding, ceilMode"),
    );
  });

  it('refuses an unknown key even when its value is undefined', () => {
    expect(() => checkOptions('pool', { ceil_mode: undefined } as Opts, KEYS)).toThrow(
      "pool: unknown option 'ceil_mode'",
    );
  });

  it("says 'none' for a function that takes no options", () => {
    expect(() => checkOptions<Record<never, never>>('f', { x: 1 }, {})).toThrow(
      "f: unknown option 'x'; accepted: none",
    );
  });

  it('does not take inherited names (toString, __proto__) as accepted keys', () => {
    const withProto = JSON.parse('{"__proto__": 1}') as Opts;
    expect(() => checkOptions('pool', withProto, KEYS)).toThrow("pool: unknown option '__proto__'");
    expect(() => checkOptions('pool', { toString: 1 } as unknown as Opts, KEYS)).toThrow(
      "pool: unknown option 'toString'",
    );
  });

  it.each([
    [null, 'null'],
    [3, '3'],
    ['x', '"x"'],
    [[1], 'an array'],
    [() => 1, 'a function'],
    [true, 'true'],
  ])('refuses a non-object options value %s', (value, shown) => {
    expect(() => checkOptions('pool', value as unknown as Opts, KEYS)).toThrow(
      new TypeError(`pool: options must be an object, got ${shown}`),
    );
  });

  it('makes a key missing from the table, or an extra one, a compile error', () => {
    // @ts-expect-error ceilMode is in Opts but not in the table
    const missing: OptionKeys<Opts> = { stride: true, padding: true };
    // @ts-expect-error extra is not in Opts
    const extra: OptionKeys<Opts> = { stride: true, padding: true, ceilMode: true, extra: true };
    expect(Object.keys(missing)).toEqual(['stride', 'padding']);
    expect(Object.keys(extra)).toHaveLength(4);
  });
});
