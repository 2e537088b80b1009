/**
 * What a data file may hold, checked when it is loaded (CSV and IDX), so that bad data is refused
 * naming the file and the place instead of training into a NaN loss that gets blamed on the learning
 * rate.
 *
 * - Features are finite and |x| ≤ 1e15 (`MAX_ABS_FEATURE`). float32 overflows at 3.4e38, so a value of
 *   1e38 is finite but its square is not, and squares are everywhere in training (the variance of
 *   `standardize` and batch norm, MSE, weight decay's ‖w‖²). At 1e15 a square is 1e30, and a sum of 10⁸
 *   of them still fits float32. Measurements are far below it; a larger value is almost always a
 *   corrupt file, a sentinel such as 1e300 for "missing", or a unit error: rescale the column first.
 * - Labels are class indices 0 … 9,999 (`MAX_CLASSES` = 10,000 classes at most, from a file). A larger
 *   label is almost always the wrong column or a corrupt file, and it would build a model with as many
 *   outputs (a label of 1e9 is a 4 GB output layer per hidden unit).
 * - A CSV cell is a decimal number as Python's `float()` and NumPy's `loadtxt` both read it: an optional
 *   sign, digits with an optional decimal point (`3`, `-0.5`, `.5`, `5.`), an optional exponent
 *   (`1.2e-3`), surrounding spaces ignored. Not numbers: `0x10` (JavaScript's `Number` reads 16),
 *   `0b1`, `1_000` (float() reads it, loadtxt does not), an empty or blank cell (`Number` reads 0).
 *   `nan`, `inf`, `Infinity` (any case) and values that overflow float64 (`1e400`) are numbers, but not
 *   finite ones: refused with their own message.
 */

/** The largest magnitude accepted for a feature read from a file (see the module comment). */
export const MAX_ABS_FEATURE = 1e15;

/** The most classes a data file may define: labels are 0 … MAX_CLASSES − 1. */
export const MAX_CLASSES = 10_000;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * What `readDecimal` found: a number, or why the text is not an accepted one — `syntax` when it is no
 * decimal number at all, `nonFinite` when it is a number but not a finite one (`nan`, `inf`, `1e400`).
 */
type DecimalRead = { value: number } | { problem: string; kind: 'syntax' | 'nonFinite' };

/** Reads one CSV cell (already trimmed) with the syntax of the module comment. */
export function readDecimal(text: string): DecimalRead {
  if (NON_FINITE.test(text))
    return { problem: `${JSON.stringify(text)} is not a finite number`, kind: 'nonFinite' };
  if (!DECIMAL.test(text))
    return { problem: `${JSON.stringify(text)} is not a decimal number`, kind: 'syntax' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { problem: `${text} overflows to infinity`, kind: 'nonFinite' };
  return { value };
}

/** True for text that some reader would take for a number (for guessing whether a line is a header). */
export function looksNumeric(text: string): boolean {
  return text.trim() !== '' && (!Number.isNaN(Number(text)) || NON_FINITE.test(text) || DECIMAL.test(text));
}

/** Why a feature value is refused, or null when it is accepted. */
export function featureProblem(value: number): string | null {
  if (Number.isNaN(value)) return 'NaN is not a finite number';
  if (!Number.isFinite(value)) return `${value} is not a finite number`;
  if (Math.abs(value) > MAX_ABS_FEATURE) {
    return `${value} is beyond ±1e15, the largest magnitude accepted (so that squares and their sums stay within float32); rescale the feature`;
  }
  return null;
}

/** What the messages say is accepted for a feature: in a CSV cell, and in a binary file. */
export const FEATURE_ACCEPTED = {
  csv: 'accepted: finite decimal numbers such as 3, -0.5 or 1.2e-3, with |x| ≤ 1e15',
  binary: 'accepted: finite numbers with |x| ≤ 1e15',
} as const;

/** Why a class index is refused, or null when it is accepted (`numClasses`, when known, bounds it). */
export function labelProblem(value: number, numClasses?: number): string | null {
  if (!Number.isInteger(value)) return `${value} is not an integer class index`;
  if (value < 0) return `${value} is negative; class indices start at 0`;
  if (numClasses !== undefined && value >= numClasses) {
    return `${value} is out of range for ${numClasses} classes (labels 0 … ${numClasses - 1})`;
  }
  if (value >= MAX_CLASSES) {
    return `${value} would make ${value + 1} classes; at most ${MAX_CLASSES.toLocaleString('en-US')} are accepted (labels 0 … ${MAX_CLASSES - 1}): is this the label column?`;
  }
  return null;
}
