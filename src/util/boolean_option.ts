/** The one check of a true-or-false option, shared by the ops and the schedulers. */

/**
 * `v` itself when it is a boolean; otherwise a TypeError naming `who` and the option. No coercion:
 * 1, 'yes' and 'false' are refused, since 'false' would read as true.
 */
export function requireBoolean(who: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') {
    throw new TypeError(`${who}: ${name} must be true or false, got ${JSON.stringify(v) ?? String(v)}`);
  }
  return v;
}
