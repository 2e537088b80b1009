/**
 * Argument checks shared by the schedulers. Every message names the scheduler, the argument and what
 * is accepted, then the value received: `StepLR: stepSize must be a positive integer, got 0`.
 */

export function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `[${x.map(describe).join(', ')}]`;
  if (typeof x === 'object') return x.constructor?.name ?? 'an object';
  return typeof x;
}

function fail(who: string, name: string, accepted: string, value: unknown): never {
  throw new RangeError(`${who}: ${name} must be ${accepted}, got ${describe(value)}`);
}

export function positiveInt(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(who, name, 'a positive integer', v);
  return v;
}

export function nonNegativeInt(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(who, name, 'a non-negative integer', v);
  return v;
}

export function positive(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(who, name, 'a positive finite number', v);
  return v;
}

export function nonNegative(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    fail(who, name, 'a non-negative finite number', v);
  }
  return v;
}

/** A number in [lo, hi]; `openLo` excludes lo, `openHi` excludes hi. */
export function inRange(
  who: string,
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  { openLo = false, openHi = false } = {},
): number {
  const ok =
    typeof v === 'number' && Number.isFinite(v) && (openLo ? v > lo : v >= lo) && (openHi ? v < hi : v <= hi);
  if (!ok) fail(who, name, `a number in ${openLo ? '(' : '['}${lo}, ${hi}${openHi ? ')' : ']'}`, v);
  return v as number;
}

export function oneOf<T extends string>(who: string, name: string, v: unknown, accepted: readonly T[]): T {
  if (typeof v !== 'string' || !(accepted as readonly string[]).includes(v)) {
    fail(who, name, `one of ${accepted.map((a) => `'${a}'`).join(', ')}`, v);
  }
  return v as T;
}

/** Who calls a user function, and how messages name it and its argument. */
interface UserCall {
  who: string;
  /** The function as the message names it: 'scaleFn', 'lrLambda for param group 0'. */
  name: string;
  /** Its argument in the message: 'at step 3', 'for 0.5'. */
  at: string;
}

/**
 * A user function's result, refused unless a finite number: one that returns `undefined` (a missing
 * `return`) or NaN would otherwise set a NaN learning rate silently (PyTorch does not check).
 */
export function finiteResult(result: unknown, call: UserCall): number {
  if (typeof result !== 'number' || !Number.isFinite(result)) {
    throw new TypeError(
      `${call.who}: ${call.name} must return a finite number, returned ${describe(result)} ${call.at}`,
    );
  }
  return result;
}

/** A true-or-false option (the ops' check, src/util/boolean_option.ts). */
export { requireBoolean as boolean } from '../../util/boolean_option.js';

/**
 * One value per parameter group: a single value is repeated, an array must have one entry per group
 * (as PyTorch's `_format_param`). `check` validates each entry.
 */
export function perGroup(
  who: string,
  name: string,
  v: unknown,
  groups: number,
  check: (who: string, name: string, v: unknown) => number,
): number[] {
  if (Array.isArray(v)) {
    if (v.length !== groups) {
      throw new RangeError(
        `${who}: ${name} must be one number or an array of ${groups} (one per param group), got ${v.length} values`,
      );
    }
    return v.map((x, i) => check(who, `${name}[${i}]`, x));
  }
  const x = check(who, name, v);
  return new Array<number>(groups).fill(x);
}

/**
 * PyTorch's `last_epoch` option of every schedule: −1 (the default) starts afresh, an integer k ≥ 0
 * resumes after k steps.
 */
export function lastEpochOption(who: string, v: unknown): number {
  if (v === undefined) return -1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) {
    fail(who, 'lastEpoch', 'an integer ≥ -1 (-1 starts afresh, k ≥ 0 resumes after k steps)', v);
  }
  return v;
}
