/** Argument parsers for commander options: each rejects malformed input with a message naming what is accepted. */
import { InvalidArgumentError } from 'commander';

function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`'${value}' is not a finite number.`);
  return n;
}

export function parseNonNegative(value: string): number {
  const n = parseNumber(value);
  if (n < 0) throw new InvalidArgumentError(`'${value}' must be non-negative.`);
  return n;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`'${value}' is not a non-negative integer.`);
  return Number(value);
}

/**
 * A count from `min` to `max` (README, "Limits"): beyond the maximum the message gives it, so that a
 * typo such as `--steps 100000000` is refused instead of running for hours.
 */
export function parseCountIn(min: number, max: number) {
  return (value: string): number => {
    const n = parseCount(value);
    if (n < min || n > max)
      throw new InvalidArgumentError(
        `'${value}' is out of range: accepted ${min} to ${max.toLocaleString('en-US')}.`,
      );
    return n;
  };
}

export function parsePair(value: string): [number, number] {
  const parts = value.split(',');
  if (parts.length !== 2)
    throw new InvalidArgumentError(`'${value}' is not a pair of numbers written as A,B.`);
  return [parseNumber(parts[0]!), parseNumber(parts[1]!)];
}

export function parseChoice(choices: readonly string[]) {
  return (value: string): string => {
    if (!choices.includes(value))
      throw new InvalidArgumentError(`'${value}' is not one of: ${choices.join(', ')}.`);
    return value;
  };
}
