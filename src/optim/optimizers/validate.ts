/**
 * Option checks of the optimizer specs (each an `OptionCheck`); each error names the optimizer, the option and what
 * is accepted, then the value as given: `describe` prints NaN and Infinity as themselves, where
 * JSON.stringify wrote both as "null".
 */
import { describe } from '../schedules/checks.js';

export function nonNegative(name: string, option: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name}: ${option} must be a non-negative number, got ${describe(value)}`);
  }
}

export function unitInterval(name: string, option: string, value: unknown, closedAbove = false): void {
  const ok = typeof value === 'number' && value >= 0 && (closedAbove ? value <= 1 : value < 1);
  if (!ok)
    throw new RangeError(
      `${name}: ${option} must be in [0, 1${closedAbove ? ']' : ')'}, got ${describe(value)}`,
    );
}

export function betasPair(name: string, option: string, value: unknown): void {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new RangeError(
      `${name}: ${option} must be a pair [β1, β2] of numbers in [0, 1), got ${describe(value)}`,
    );
  }
  unitInterval(name, `${option}[0]`, value[0]);
  unitInterval(name, `${option}[1]`, value[1]);
}

export function boolean(name: string, option: string, value: unknown): void {
  if (typeof value !== 'boolean')
    throw new TypeError(`${name}: ${option} must be true or false, got ${describe(value)}`);
}

/** A number in [0, 1]. */
export function closedUnitInterval(name: string, option: string, value: unknown): void {
  unitInterval(name, option, value, true);
}

/** A pair of numbers in [0, 1] (QHAdam's ν₁, ν₂). */
export function closedUnitPair(name: string, option: string, value: unknown): void {
  if (!Array.isArray(value) || value.length !== 2)
    throw new RangeError(`${name}: ${option} must be a pair [ν1, ν2] in [0, 1], got ${describe(value)}`);
  closedUnitInterval(name, `${option}[0]`, value[0]);
  closedUnitInterval(name, `${option}[1]`, value[1]);
}

/** A non-empty list of numbers in [0, 1) (AggMo's dampings). */
export function unitIntervalList(name: string, option: string, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RangeError(
      `${name}: ${option} must be a non-empty list of numbers in [0, 1), got ${describe(value)}`,
    );
  }
  for (const [i, b] of value.entries()) unitInterval(name, `${option}[${i}]`, b);
}

export function positiveInteger(name: string, option: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new RangeError(`${name}: ${option} must be a positive integer, got ${describe(value)}`);
}

/** One of the strings given (SGD's nesterovForm). */
export function oneOf(values: readonly string[]) {
  return (name: string, option: string, value: unknown): void => {
    if (!values.includes(value as string)) {
      const accepted = values.map((v) => `'${v}'`).join(' or ');
      throw new RangeError(`${name}: ${option} must be ${accepted}, got ${describe(value)}`);
    }
  };
}
