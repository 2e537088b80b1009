/**
 * Option checks shared by the optimizer classes; each error names the optimizer, the option and what
 * is accepted, then the value as given: `describe` prints NaN and Infinity as themselves, where
 * JSON.stringify wrote both as "null".
 */
import { describe } from '../schedules/checks.js';

export { describe };

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
